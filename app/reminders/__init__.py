"""Reminders: the scheduled notifications (a handover on your usual shift starts soon, an action
of yours is due), run by the worker, and the notification settings page, where staff also tick
the shifts they usually work. It reads the captures and tells people through the inbox; nothing
but the app's assembly imports it."""
