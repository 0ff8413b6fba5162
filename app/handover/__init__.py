"""Handovers: the outgoing shift hands over to the incoming one at a site.

A team lead (or a manager) runs it: a summary per person supported built from the outgoing
shift's notes, a status, a one-line update and risks; the active themes' learning prompts, each
discussed or not; who attended; actions carried forward. Once completed it is locked (later
changes are amendments) and each incoming staff member acknowledges it on their own phone.
"""
