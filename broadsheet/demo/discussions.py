"""A simulated discussion: who comments, on what, when, and how the arguments nest.

Comments arrive front-loaded over the hours after publication. Each one is a
new take or a reply to a recent comment; now and then a reply starts a
running argument between two people on opposite sides, which is where the
deep chains come from. A few people comment a lot and most once or twice,
about a third of them as guests. The output is plain `CommentRecord`s, in
time order, parents before children, for the bulk loader.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from broadsheet.accounts.models import User
from broadsheet.discussion.bulk import CommentRecord

from .chatter import Chatter, Side
from .stories import Topic

GUEST_SHARE = 0.33
MAX_DEPTH = 40
# Threads this long get two long arguments on purpose, so depth 10+ is certain.
DEEP_THREAD = 300


@dataclass(frozen=True)
class Commenter:
    name: str
    user: User | None = None  # None: a guest, known by name only


@dataclass
class _Argument:
    """Two people on opposite sides replying to each other until one gives up."""

    people: tuple[Commenter, Commenter]
    last: int  # index of the latest comment in the exchange
    turns_left: int
    turns: int = 0


@dataclass
class _Posted:
    author: Commenter
    side: Side
    text: str
    depth: int
    parent: int | None


class _Crowd:
    """Picks who speaks next: a few regulars a lot, everyone at least sometimes."""

    def __init__(self, people: Sequence[Commenter], rng: random.Random) -> None:
        self.rng = rng
        self.guests = [p for p in people if p.user is None]
        self.members = [p for p in people if p.user is not None]
        self.deck = list(people)
        rng.shuffle(self.deck)
        self.sides = {p.name: rng.choice((Side.FOR, Side.AGAINST)) for p in people}
        self._weights = {
            "guests": list(accumulate(1 / (i + 1) ** 0.8 for i in range(len(self.guests)))),
            "members": list(accumulate(1 / (i + 1) ** 0.8 for i in range(len(self.members)))),
        }

    def next(self) -> Commenter:
        if self.deck and self.rng.random() < 0.35:
            return self.deck.pop()
        group = "guests" if self.guests and self.rng.random() < GUEST_SHARE else "members"
        if not self.members:
            group = "guests"
        people = self.guests if group == "guests" else self.members
        return self.rng.choices(people, cum_weights=self._weights[group])[0]


def _arrival_offsets(count: int, window: timedelta, rng: random.Random) -> list[timedelta]:
    """Front-loaded arrival times: most comments in the first hours, a long tail after."""
    seconds = window.total_seconds()
    raw = sorted(60 + (seconds - 120) * rng.random() ** 1.8 for _ in range(count))
    offsets, last = [], 0.0
    for value in raw:
        last = max(value, last + 1)  # strictly after the one before: children after parents
        offsets.append(timedelta(seconds=last))
    return offsets


def _votes(rng: random.Random, *, depth: int) -> tuple[int, int]:
    if rng.random() < 0.35:
        return 0, 0
    up = int(min(400, (rng.paretovariate(1.2) - 1) * (6 if depth == 0 else 3)))
    down = int(up * rng.random() * 0.5) + (rng.randint(1, 9) if rng.random() < 0.2 else 0)
    return up, down


def discussion_records(
    *,
    topic: Topic,
    count: int,
    people: Sequence[Commenter],
    start: datetime,
    end: datetime,
    seed: str,
) -> list[CommentRecord]:
    """`count` comments on `topic` by `people`, between `start` and `end`, deterministic per seed."""
    if count <= 0:
        return []
    rng = random.Random(seed)
    chatter = Chatter(topic, random.Random(f"{seed}:text"))
    pool = list(people)
    if count < len(pool) * 2:  # a small thread: a handful of people, some more than once
        pool = rng.sample(pool, k=min(len(pool), max(5, count // 2)))
    crowd = _Crowd(pool, rng)
    offsets = _arrival_offsets(count, end - start, rng)
    top_share = 0.3 if count >= DEEP_THREAD else 0.45
    forced_arguments = 2 if count >= DEEP_THREAD else 0

    posted: list[_Posted] = []
    top_level: list[int] = []
    arguments: list[_Argument] = []
    records: list[CommentRecord] = []
    for i, offset in enumerate(offsets):
        parent: int | None = None
        argument: _Argument | None = None
        if arguments and rng.random() < 0.3:
            argument = rng.choice(arguments)
            parent = argument.last
            author = argument.people[0] if posted[parent].author == argument.people[1] else argument.people[1]
        elif posted and rng.random() > top_share:
            parent = _pick_parent(rng, posted, top_level)
            author = crowd.next()
            for _ in range(3):
                if author != posted[parent].author:
                    break
                author = crowd.next()
        else:
            author = crowd.next()

        side = crowd.sides[author.name]
        depth = posted[parent].depth + 1 if parent is not None else 0
        if parent is None:
            text = chatter.opening(side=side)
        else:
            above = posted[parent]
            heat = min(0.9, 0.3 + 0.1 * argument.turns) if argument else (0.15 if depth > 2 else 0.0)
            if rng.random() < (0.14 if argument else 0.1):
                text = chatter.quoting(
                    quoted=above.text, quoted_name=above.author.name, side=side, parent_side=above.side
                )
            else:
                text = chatter.reply(side=side, parent_side=above.side, to_name=above.author.name, heat=heat)

        posted.append(_Posted(author=author, side=side, text=text, depth=depth, parent=parent))
        if parent is None:
            top_level.append(i)

        if argument:
            argument.last, argument.turns, argument.turns_left = i, argument.turns + 1, argument.turns_left - 1
            if argument.turns_left <= 0 or depth >= MAX_DEPTH:
                arguments.remove(argument)
        elif parent is not None and posted[parent].side is not side and depth < MAX_DEPTH - 10:
            forced = forced_arguments > 0 and i >= 30
            if forced or rng.random() < 0.1:
                forced_arguments -= int(forced)
                turns = rng.randint(12, 16) if forced else rng.randint(2, 8)
                arguments.append(_Argument((author, posted[parent].author), last=i, turns_left=turns))

        up, down = _votes(rng, depth=depth)
        records.append(
            CommentRecord(
                key=f"demo-{i:05d}",
                parent_key=f"demo-{parent:05d}" if parent is not None else None,
                body=text,
                created_at=start + offset,
                author=author.user,
                guest_name=author.name if author.user is None else "",
                upvotes=up,
                downvotes=down,
            )
        )
    return records


def _pick_parent(rng: random.Random, posted: list[_Posted], top_level: list[int]) -> int:
    """Mostly something recent; sometimes an older top-level take, sometimes anything."""
    roll = rng.random()
    if roll < 0.5 or not top_level:
        return rng.randrange(max(0, len(posted) - 40), len(posted))
    if roll < 0.85:
        return rng.choice(top_level[-30:])
    return rng.randrange(len(posted))
