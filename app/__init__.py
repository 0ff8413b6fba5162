"""Shift Companion: a shift companion for adult social care."""
