"""Benchmarks for ``make bench``: serve the app on loopback with demo data and print figures.

Nothing here asserts a timing (TESTING.md, "Budgets belong in benchmarks"): each benchmark prints
what it measured beside its goal, and the reader judges.
"""
