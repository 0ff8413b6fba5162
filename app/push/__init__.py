"""Web push: how an inbox notification reaches a phone. The inbox is the record; push is only
a way of delivering it, so nothing here decides who is told what."""
