"""Accounts and access: sign-in with argon2id passwords, server-side sessions with idle and
absolute timeouts, throttled failures, invitations, and the Actor every service is scoped by."""
