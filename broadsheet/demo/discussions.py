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
from .topics import Topic

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
    """`count` comments on `topic` by `people` between `start` and `end`; the same for a seed."""
    if count <= 0:
        return []
    rng = random.Random(seed)
    pool = list(people)
    if count < len(pool) * 2:  # a small thread: a handful of people, some more than once
        pool = rng.sample(pool, k=min(len(pool), max(5, count // 2)))
    discussion = _Discussion(
        chatter=Chatter(topic, random.Random(f"{seed}:text")),
        crowd=_Crowd(pool, rng),
        rng=rng,
        big=count >= DEEP_THREAD,
    )
    records = []
    for i, offset in enumerate(_arrival_offsets(count, end - start, rng)):
        posted = discussion.next()
        up, down = _votes(rng, depth=posted.depth)
        records.append(
            CommentRecord(
                key=f"demo-{i:05d}",
                parent_key=f"demo-{posted.parent:05d}" if posted.parent is not None else None,
                body=posted.text,
                created_at=start + offset,
                author=posted.author.user,
                guest_name=posted.author.name if posted.author.user is None else "",
                upvotes=up,
                downvotes=down,
            )
        )
    return records


class _Discussion:
    """The thread so far, and who says what next."""

    def __init__(self, *, chatter: Chatter, crowd: _Crowd, rng: random.Random, big: bool) -> None:
        self.chatter, self.crowd, self.rng = chatter, crowd, rng
        self.top_share = 0.3 if big else 0.45
        self.forced_arguments = 2 if big else 0
        self.posted: list[_Posted] = []
        self.top_level: list[int] = []
        self.arguments: list[_Argument] = []

    def next(self) -> _Posted:
        rng, posted = self.rng, self.posted
        argument: _Argument | None = None
        parent: int | None = None
        if self.arguments and rng.random() < 0.3:
            argument = rng.choice(self.arguments)
            parent = argument.last
            first, second = argument.people
            author = first if posted[parent].author == second else second
        elif posted and rng.random() > self.top_share:
            parent = self._pick_parent()
            author = self.crowd.next()
            for _ in range(3):  # rarely answer yourself
                if author != posted[parent].author:
                    break
                author = self.crowd.next()
        else:
            author = self.crowd.next()

        side = self.crowd.sides[author.name]
        comment = _Posted(
            author=author,
            side=side,
            text=self._text(author=author, side=side, parent=parent, argument=argument),
            depth=posted[parent].depth + 1 if parent is not None else 0,
            parent=parent,
        )
        index = len(posted)
        posted.append(comment)
        if parent is None:
            self.top_level.append(index)
        if argument:
            argument.last, argument.turns = index, argument.turns + 1
            argument.turns_left -= 1
            if argument.turns_left <= 0 or comment.depth >= MAX_DEPTH:
                self.arguments.remove(argument)
        elif parent is not None:
            self._maybe_start_argument(index)
        return comment

    def _text(
        self, *, author: Commenter, side: Side, parent: int | None, argument: _Argument | None
    ) -> str:
        if parent is None:
            return self.chatter.opening(side=side)
        above = self.posted[parent]
        if self.rng.random() < (0.14 if argument else 0.1):
            return self.chatter.quoting(
                quoted=above.text, quoted_name=above.author.name, side=side, parent_side=above.side
            )
        if argument:
            heat = min(0.9, 0.3 + 0.1 * argument.turns)
        else:
            heat = 0.15 if above.depth >= 2 else 0.0
        return self.chatter.reply(
            side=side, parent_side=above.side, to_name=above.author.name, heat=heat
        )

    def _maybe_start_argument(self, index: int) -> None:
        """A reply across sides sometimes turns into a running argument between the two."""
        reply = self.posted[index]
        above = self.posted[reply.parent] if reply.parent is not None else None
        if above is None or above.side is reply.side or reply.depth >= MAX_DEPTH - 10:
            return
        forced = self.forced_arguments > 0 and index >= 30
        if forced or self.rng.random() < 0.1:
            self.forced_arguments -= int(forced)
            turns = self.rng.randint(12, 16) if forced else self.rng.randint(2, 8)
            self.arguments.append(
                _Argument((reply.author, above.author), last=index, turns_left=turns)
            )

    def _pick_parent(self) -> int:
        """Mostly something recent; sometimes an older top-level take, sometimes anything."""
        rng, count = self.rng, len(self.posted)
        roll = rng.random()
        if roll < 0.5 or not self.top_level:
            return rng.randrange(max(0, count - 40), count)
        if roll < 0.85:
            return rng.choice(self.top_level[-30:])
        return rng.randrange(count)
