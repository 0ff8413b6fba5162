"""The home screen: what each role needs first when they open the app on shift."""
