"""Offline sync: the phone's outbox sends what was recorded without signal, in batches.

Each item goes through the same service function as the online path (one write path), and the
answer is per item, so one bad item never holds back the good ones: created, duplicate (the same
id and content was saved before), conflict (the id holds something else), invalid (with field
errors) or forbidden. The phone drops an item from its outbox only on created or duplicate.
"""
