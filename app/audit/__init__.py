"""The append-only audit log: who did what to which record, and when. Summaries never hold free
text about a person supported; the database refuses updates and deletes of audit rows."""
