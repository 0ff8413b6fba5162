"""Governance: is each learning theme embedded, on every shift, and staying."""
