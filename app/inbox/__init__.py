"""The inbox: every notification a user is sent is a record here first; push only delivers it.

A shared lower layer, like ``push``: it imports only accounts, audit, push and the core, so any
capture domain may tell someone something in the same transaction as its record."""
