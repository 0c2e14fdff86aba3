"""The demo's cast: the newsroom's staff, and the readers and guests who argue under the stories.

Names are drawn from banks of first names, surnames and handle words, so that
the crowd looks like a city's readership rather than "Reader 17". Registered
and guest names never collide, even compared the way the intake compares them
(`name_key`): a guest may not post under a member's name.
"""

import random
from dataclasses import dataclass

from broadsheet.accounts.names import name_key

DEMO_PASSWORD = "broadsheet-demo"  # noqa: S105 - the published demo login, printed by `make run`
ADMIN_EMAIL = "admin@example.com"


@dataclass(frozen=True)
class StaffMember:
    email: str
    display_name: str
    bio: str = ""


ADMIN = StaffMember(ADMIN_EMAIL, "Demo Admin")
MODERATOR = StaffMember(
    "moderator@example.com",
    "Rosa Delgado",
    "Keeps the comments civil, most days. Moderation questions: reply to any removal notice.",
)
AUTHORS = (
    StaffMember(
        "helen.achterberg@example.com",
        "Helen Achterberg",
        "City hall and transport reporter. Twelve years on the council beat; "
        "still reads every budget appendix so you don't have to.",
    ),
    StaffMember(
        "kwame.boateng-reid@example.com",
        "Kwame Boateng-Reid",
        "Covers schools, housing and energy. Before journalism he taught chemistry "
        "at Carrow High for six years.",
    ),
    StaffMember(
        "lucia.ferrandis@example.com",
        "Lucía Ferrandis",
        "Data and politics editor. Likes spreadsheets, dislikes press releases "
        "that bury the number in paragraph nine.",
    ),
)

FIRST_NAMES = (
    "Aisha", "Ben", "Carmen", "Dmitri", "Elena", "Finn", "Grace", "Hamid", "Ines", "Jonas",
    "Kemi", "Liam", "Mei", "Nikos", "Olu", "Priya", "Quinn", "Rosa", "Sanjay", "Tamsin",
    "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia", "Arjun", "Beatriz", "Callum", "Dana",
    "Emeka", "Freya", "Gareth", "Hana", "Ivan", "Jude", "Kasia", "Lorcan", "Maribel", "Nadia",
    "Oskar", "Pilar", "Rafael", "Saoirse", "Tobias", "Ulla", "Viktor", "Wanjiru", "Yara",
    "Zeynep", "Agnes", "Bruno", "Chidi", "Delphine", "Eamon", "Farah", "Gustavo", "Hiroshi",
    "Ilse", "Jamal", "Keiko", "Lars", "Moira", "Nuno", "Orla", "Pavel", "Rania", "Stellan",
    "Teodora", "Dev", "Malik", "Sunniva", "Marek", "Niamh", "Kofi", "Leilani", "Bram", "Esme",
)  # fmt: skip
SURNAMES = (
    "Abbott", "Bakshi", "Carvalho", "Dunmore", "Eriksen", "Fairweather", "Gallagher", "Hosseini",
    "Iwu", "Jablonski", "Kaur", "Lindgren", "Moreau", "Nakamura", "O'Neill", "Pereira", "Quist",
    "Rahman", "Sokolova", "Thornbury", "Umeh", "Varga", "Whitfield", "Xu", "Yilmaz", "Zielinski",
    "Ashdown", "Brennan", "Castillo", "Dhillon", "Esposito", "Fraser", "Grünewald", "Haddad",
    "Ibsen", "Jovanovic", "Kowalczyk", "Lafferty", "Mbeki", "Novak", "Okafor", "Petrescu",
    "Rossi", "Sandoval", "Tanaka", "Underhill", "Vasquez", "Wójcik", "Yates", "Zhang",
    "Achebe", "Bergström", "Cheung", "Delacroix", "Eze", "Fonseca", "Gillespie", "Holm",
)  # fmt: skip
HANDLE_WORDS = (
    "harbour", "heron", "tram", "quay", "gull", "lamplighter", "ferry", "tidewatcher", "brick",
    "cormorant", "northgate", "millrace", "kestrel", "drizzle", "fishergate", "allotment",
    "pigeon", "riverside", "commuter", "lighthouse", "oldtown", "saltmarsh", "crane", "dockside",
)  # fmt: skip
HANDLE_ADJECTIVES = (
    "quiet", "grumpy", "tired", "sensible", "local", "angry", "old", "curious", "sceptical",
    "patient", "soggy", "lapsed", "weary", "hopeful", "retired", "reluctant",
)  # fmt: skip
GUEST_TAGS = (
    "from {place}", "(long-time reader)", "in Eastfield", "on the south bank", "the plumber",
    "again", "(nurse)", "- taxpayer", "of Northgate",
)  # fmt: skip
GUEST_PLACES = ("Quay Street", "Old Carrow", "Fishergate", "the hill terraces", "Millbank")
GUEST_ANONYMOUS = (
    "Concerned parent", "Just a commuter", "Anon", "Worried resident", "A teacher",
    "Night shift", "Not a bot", "Someone who reads the article", "Former councillor",
    "Lurker", "Fed up", "Eastfield mum", "South bank dad", "Retired engineer",
)  # fmt: skip


def _registered_name(rng: random.Random) -> str:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    roll = rng.random()
    if roll < 0.45:
        return f"{first} {last}"
    if roll < 0.6:
        return f"{first} {last[0]}."
    if roll < 0.66:
        return f"{first[0]}. {last}"
    adjective, word = rng.choice(HANDLE_ADJECTIVES), rng.choice(HANDLE_WORDS)
    if roll < 0.8:
        return f"{adjective}{word}"
    if roll < 0.9:
        return f"{adjective}_{word}_{rng.randint(2, 99)}"
    return f"{word.capitalize()}{rng.randint(1950, 2006)}"


def _guest_name(rng: random.Random) -> str:
    first = rng.choice(FIRST_NAMES)
    roll = rng.random()
    if roll < 0.3:
        return first
    if roll < 0.5:
        tag = rng.choice(GUEST_TAGS).format(place=rng.choice(GUEST_PLACES))
        return f"{first} {tag}"
    if roll < 0.65:
        return rng.choice(GUEST_ANONYMOUS)
    if roll < 0.8:
        return f"{rng.choice(HANDLE_WORDS)}{rng.choice(HANDLE_WORDS)}"
    return f"{first} {rng.choice(SURNAMES)[0]}."


def crowd_names(*, readers: int, guests: int, seed: int) -> tuple[list[str], list[str]]:
    """Display names for registered readers and guests: distinct, also from the staff's."""
    rng = random.Random(f"{seed}:crowd")
    taken = {name_key(m.display_name) for m in (ADMIN, MODERATOR, *AUTHORS)}

    def draw(count: int, make) -> list[str]:
        names: list[str] = []
        while len(names) < count:
            name = make(rng)
            key = name_key(name)
            if key and key not in taken:
                taken.add(key)
                names.append(name)
        return names

    return draw(readers, _registered_name), draw(guests, _guest_name)
