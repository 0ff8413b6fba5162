"""Interaction snapshots: on a walk round a manager (or quality lead) watches a room for a few
minutes and taps a tally of the interactions seen (positive social, positive care, neutral,
protective but restrictive, restrictive). Shown as proportions; it never names a person.
"""
