"""Walk-round observations: a manager (or quality lead) watches practice against a learning
theme's behaviours, asks whether staff can explain why, gives feedback there and then, and
plans follow-ups. The observed staff member sees the feedback and may add a reflection; other
care workers cannot see it.
"""
