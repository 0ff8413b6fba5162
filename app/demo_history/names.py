"""Names for a generated provider: its sites, its staff and the people it supports. Plain and
varied, drawn from a seeded ``random.Random`` so the same seed names everyone the same way."""

from __future__ import annotations

from random import Random

from app.org.models import SiteKind

SITE_WORDS = (
    "Ashdown", "Birchfield", "Bramley", "Cedar", "Chestnut", "Elm", "Fernhill", "Foxglove",
    "Hawthorn", "Hazel", "Heather", "Juniper", "Kingfisher", "Larch", "Linden", "Maple",
    "Meadow", "Oakridge", "Orchard", "Primrose", "Rowan", "Sycamore", "Thornbury", "Willow",
    "Yew Tree",
)  # fmt: skip
HOME_ENDINGS = ("House", "Lodge", "Manor", "View", "Gardens")
LIVING_ENDINGS = ("Court", "Mews", "Place")
SUPPORTED_LIVING_SHARE = 0.3  # most sites are care homes; some are supported-living flats

STAFF_FIRST = (
    "Aisha", "Alex", "Amy", "Ben", "Beth", "Callum", "Chloe", "Connor", "Daniel", "Ella",
    "Emma", "Faisal", "Grace", "Hannah", "Harry", "Imran", "Jack", "Jade", "Jas", "Joe",
    "Kayleigh", "Kofi", "Laura", "Leah", "Liam", "Lucy", "Maria", "Megan", "Mohammed", "Nadia",
    "Nathan", "Olivia", "Owen", "Paul", "Priya", "Rachel", "Ryan", "Sara", "Shannon", "Sophie",
    "Tariq", "Tom", "Wiktoria", "Yusuf", "Zoe",
)  # fmt: skip
STAFF_LAST = (
    "Ahmed", "Baker", "Bennett", "Brown", "Campbell", "Clarke", "Davies", "Edwards", "Evans",
    "Green", "Hall", "Harris", "Hughes", "Jackson", "James", "Jones", "Kaur", "Khan", "Kowalski",
    "Lewis", "Mensah", "Mitchell", "Morgan", "Nowak", "Okoro", "Patel", "Phillips", "Roberts",
    "Robinson", "Shah", "Singh", "Taylor", "Thomas", "Turner", "Walker", "Ward", "Williams",
    "Wilson", "Wood", "Wright",
)  # fmt: skip
PEOPLE = (
    "Agnes", "Albert", "Alfie", "Annie", "Arthur", "Barbara", "Bernard", "Betty", "Bill",
    "Brenda", "Carol", "Colin", "Daphne", "Derek", "Doreen", "Dot", "Edna", "Eileen", "Ernest",
    "Frank", "Gladys", "Gordon", "Harold", "Hilda", "Ivy", "Jean", "Joan", "Ken", "Lil",
    "Margaret", "Maureen", "Nora", "Pat", "Peggy", "Ray", "Reg", "Rita", "Ron", "Sheila",
    "Stan", "Sylvia", "Ted", "Val", "Vera", "Wilf",
)  # fmt: skip


def site_names(rng: Random, count: int) -> list[tuple[str, SiteKind]]:
    """``count`` distinct site names, each with its kind; past the word list, a number tells
    two apart ("Cedar House 2")."""
    names: list[tuple[str, SiteKind]] = []
    words = list(SITE_WORDS)
    round_ = 1
    while len(names) < count:
        rng.shuffle(words)
        for word in words[: count - len(names)]:
            living = rng.random() < SUPPORTED_LIVING_SHARE
            ending = rng.choice(LIVING_ENDINGS if living else HOME_ENDINGS)
            name = f"{word} {ending}" if round_ == 1 else f"{word} {ending} {round_}"
            names.append((name, SiteKind.supported_living if living else SiteKind.care_home))
        round_ += 1
    return names


def staff_name(rng: Random) -> str:
    return f"{rng.choice(STAFF_FIRST)} {rng.choice(STAFF_LAST)}"


def people_names(rng: Random, count: int, kind: SiteKind) -> list[tuple[str, str]]:
    """Preferred names (distinct at the site) and rooms, or flats in supported living."""
    room = "Flat" if kind is SiteKind.supported_living else "Room"
    chosen = rng.sample(PEOPLE, k=min(count, len(PEOPLE)))
    return [(name, f"{room} {number}") for number, name in enumerate(chosen, start=1)]
