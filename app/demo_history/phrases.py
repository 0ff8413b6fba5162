"""What the generated records say: short, plain phrases of the kind staff write. None names a
person supported, so the history is safe for the evidence pack's anonymised examples."""

from __future__ import annotations

# Activities by engagement level (0–3), and what nights hold instead.
ACTIVITIES = (
    ("Waiting in the lounge", "Sat with the TV on, not watching", "Waiting for lunch"),
    ("Lunch, helped to eat", "Personal care", "Drinks round", "Taken to the dining room"),
    ("Folding laundry together", "Garden walk", "Helped set the table", "Board game"),
    ("Chose the music for everyone", "Baking, chose the recipe", "Led the quiz",
     "Phoned family, dialled themselves"),
)  # fmt: skip
NIGHT_ACTIVITIES = (
    ("Awake in the corridor", "Calling out, waited for staff"),
    ("Checks, asleep", "Repositioned"),
    ("Woke early, made tea together", "Settling for bed, chose the music"),
    ("Awake at 3, chatted about family and settled", "Chose to stay up for the film"),
)
RESTRICTIONS = (
    ("kept_apart", "Shouting at another resident; walked with them to their room"),
    ("environmental", "Kept out of the kitchen while the oven was on"),
    ("physical", "Guided away from the front door, distressed and trying to leave"),
    ("medication", "PRN given after an hour of distress, calming strategies tried first"),
)
HANDOVER_UPDATES = {
    "stable": ("Good shift", "Ate well, in good spirits", "Quiet, slept well", "Out with family"),
    "watch": ("Low mood this afternoon", "Not drinking much, encourage fluids", "Restless"),
    "unwell": ("Temperature, GP called", "Chesty cough, monitor"),
}
DISCUSSED = (
    "Talked it through: what worked and who will try it next shift.",
    "Two good examples shared; agreed to keep offering choices.",
    "Discussed briefly; the team agreed what to try next.",
)
NOT_DISCUSSED = (
    "Ran out of time: a call bell during handover.",
    "Short-staffed, handover kept to the essentials.",
    "Agency staff on; went through the basics only.",
)
LOCATIONS = ("Lounge", "Dining room", "Garden", "Kitchen", "Corridor", "Activity room")
WENT_WELL = (
    "Offered real choices and waited for an answer.",
    "Calm, warm and unhurried; the person led what happened next.",
    "Noticed someone withdrawn and offered something to do.",
)
NEXT_STEPS = (
    "Give a little less help: let them start it.",
    "Record how engaged the person was, not just what was done.",
    "Try the known calming strategies before anything else.",
)
REFLECTIONS = (
    "I'll wait longer for an answer before I help.",
    "Good to hear. I'll try it on nights too.",
    "I hadn't noticed I was doing it for them. Will step back.",
)
ACTIONS = (
    "Practise offering choices with a colleague on shift",
    "Read the person's calming strategies in their plan",
    "Shadow a senior colleague on a late shift",
    "Talk through the observation at supervision",
)
REVIEW_CHANGES = (
    "Calming strategies added to the night handover.",
    "Extra member of staff in the lounge at the busy time.",
    "Team to try the person's music before anything else.",
)
VOID_REASON = "Entered twice by mistake"
