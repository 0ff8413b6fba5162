"""Engagement-quality notes: how engaged a person supported was, on the product's 0–3 scale,
recorded in seconds at the point of care.

Care workers, team leads and managers record notes for people at their own site; staff of the
site read them. The author or a manager amends a note (a new revision, with a reason) or voids it
(with a reason); nothing is deleted. A note with restrictive practice waits for a manager's review.
"""
