"""Comment text that reads like a heated comment section under a local news story.

A comment is composed from sentence templates (banks below, all written for
this project) whose slots are filled from the story's `Topic`: its claims for
and against, its numbers, places, people and open questions. Each commenter
holds a side, so replies agree or argue; deep replies turn into the short,
sore exchanges of two people who will not let it go. The same seed gives the
same text, and no two consecutive comments are identical.
"""

import random
import re
from collections import deque
from enum import StrEnum

from broadsheet.core.markup import quote_markdown

from .topics import Topic


class Side(StrEnum):
    FOR = "for"
    AGAINST = "against"

    @property
    def opposite(self) -> "Side":
        return Side.AGAINST if self is Side.FOR else Side.FOR


OPENERS = (
    "Honestly, ",
    "Look, ",
    "I'll just say it: ",
    "Call me cynical, but ",
    "Unpopular opinion, apparently, but ",
    "Not to be that person, but ",
    "As someone who has lived here for {years} years, ",
    "Speaking as a {job}, ",
    "I've read the whole piece twice and ",
    "Before everyone piles in: ",
    "OK, ",
    "For what it's worth, ",
    "Genuinely, ",
    "Right, so ",
    "I hate to say it, but ",
)

STANCES = (
    "{claim}.",
    "the simple fact is that {claim}.",
    "I keep coming back to this: {claim}.",
    "whatever anyone says in this thread, {claim}.",
    "let's be adults about it: {claim}.",
    "everyone knows {claim}, they just won't say it out loud.",
    "it's not complicated. {Claim}.",
    "I was on the fence until this morning, but {claim}.",
    "the headline buries it, but {claim}.",
    "strip away the noise and what's left is that {claim}.",
    "I said it last time and I'll say it again: {claim}.",
    "call it what you like, {claim}.",
)

SUPPORTS = (
    "Look at {figure} and tell me otherwise.",
    "{Actor} has had years to get ahead of this.",
    "Spare a thought for {stake} in all this.",
    "Nobody in that room was thinking about {stake}.",
    "We've been here before and we'll be here again.",
    "The numbers in the piece back this up, if anyone bothers to read them.",
    "And before anyone says it, yes, I know {other}. That doesn't change a thing.",
    "I get that {other}, I really do. It's just not the point.",
    "People will say {other}. Fine. Doesn't change my mind.",
    "This is what happens when {actor} treats every warning as a suggestion.",
    "If {actor} spent half as much energy fixing things as explaining them, we'd be fine.",
    "I'm no fan of {person}, but credit where it's due on this one.",
    "{Person} has been strangely quiet about {figure}. Funny, that.",
    "None of this is new, it's just finally in the paper.",
    "Everyone is fixated on {figure}, but that's the least of it.",
    "Go back and look at {figure}. That's the whole story right there.",
    "Ask {stake} how they feel about it, not the people quoted in the article.",
    "It's {thing}, not rocket science.",
    "My {relative} lives near {place} and has talked about nothing else all week.",
    "There's a version of this that works. This isn't it.",
    "Somebody at {actor} should have to explain that in public.",
    "You can disagree with the conclusion, but the facts aren't really in dispute.",
)

QUESTIONS = (
    "Serious question: {question}?",
    "Can someone who knows more than me explain this one: {question}?",
    "Nobody has answered the obvious one yet: {question}?",
    "Genuine question, not trying to start anything: {question}?",
    "{Question}? Anyone?",
    "And {question}? Because the article doesn't say.",
    "One thing I'd like answered: {question}? Is that too much to ask?",
    "Am I the only one still asking this? {Question}?",
    "{Question}? I've asked {actor} twice and heard nothing back.",
)

SARCASM = (
    "Oh good, another review. That'll fix it.",
    "Can't wait for the press release explaining that this is actually good news.",
    "Great, so {actor} will announce a consultation and we'll all meet back here in two years.",
    "I'm sure {actor} has a very detailed plan. Somewhere. In a drawer.",
    "Ah yes, {thing}. The gift that keeps on giving.",
    "Wonderful. One more thing for {stake} to absorb, because they have so much slack already.",
    "Nothing says careful planning like {figure}.",
    "Let me guess: nobody resigns, a report is commissioned, and the report is late.",
    "At this point I'd settle for {actor} just answering the phone.",
    "Bold strategy. Let's see how it works out.",
    "Truly a city that plans ahead.",
    "Shocked. Shocked, I tell you. Well, not that shocked.",
    "Somewhere a consultant is writing an invoice for {figure}.",
    "Don't worry, I'm sure there'll be a strongly worded letter.",
)

ANECDOTES = (
    "I'm a {job} and I've watched this coming for years.",
    "I'm a {job}, and half the people I work with talk about nothing else.",
    "I've lived here {years} years and I've never seen people this angry about {thing}.",
    "We argued about {thing} over dinner and my teenager made more sense than {actor}.",
    "Our street's group chat has been nothing but {thing} since yesterday.",
    "A neighbour of mine works for {actor}. Off the record, they're as baffled as we are.",
    "My {relative} is one of {stake}. It's not abstract for us.",
    "I wrote to my councillor about this in the spring. Still waiting for an answer.",
    "I went to the last public meeting. Two hours of slides and not one straight answer.",
    "I moved here from a city that tried something like this. It was not pretty.",
)

LIST_INTROS = (
    "Three things nobody in this thread is mentioning:",
    "My problems with this, in no particular order:",
    "For anyone who only read the headline:",
    "Let me try to lay it out calmly:",
    "What actually matters here:",
)

QUESTION_LIST_INTROS = (
    "Questions {actor} should have to answer, on the record:",
    "Before I make up my mind I'd like answers to these:",
    "Things the article doesn't tell us:",
)

LINKS = (
    "The full report is here, if anyone wants to read it instead of guessing: {link}",
    "Worth reading before commenting: {link}",
    "Source, since someone will ask: {link}",
    "I dug this up: {link} Make of it what you will.",
    "It's all in [the original document]({link}), which nobody here seems to have opened.",
    "[Here]({link}). Page 14 is the interesting bit.",
)

CORRECTIONS = (
    "Small correction, since half this thread has it wrong: {correction}",
    "{correction} It's right there in the article.",
    "Before this goes any further: {correction}",
    "Not quite. {correction}",
    "Read it again. {correction}",
    "Pedant hat on: {correction}",
)

AGREEMENTS = (
    "This is the comment I came here to write.",
    "Exactly this.",
    "Agreed, and I'd add that {claim}.",
    "{name} is right, and the article practically says so.",
    "Couldn't have put it better.",
    "Came here to say this.",
    "Thank you. I was starting to think I was the only one who read past the headline.",
    "Yes, and it gets worse the more you read.",
    "Well put, {name}.",
    "Agree with every word of this.",
    "This, a hundred times.",
    "What {name} said. Also, {claim}.",
)

DISAGREEMENTS = (
    "No. {Claim}.",
    "That's a stretch, {name}. {Claim}.",
    "You're arguing with something nobody said.",
    "I see where you're coming from, but {claim}.",
    "Respectfully, that's not how any of this works. {Claim}.",
    "Source?",
    "Have you actually read the article?",
    "So your position is that {other}. OK. Then {question}?",
    "Both things can be true: {other}, and {claim}.",
    "Easy to say when you're not one of {stake}.",
    "That's exactly backwards. {Claim}.",
    "Where are you getting that from?",
    "I used to think that too, {name}. Then I actually looked at {figure}.",
    "Hard disagree. {Claim}.",
    "You make it sound simple. It isn't. {Claim}.",
    "With respect, you've got this the wrong way round.",
    "Not everyone who disagrees with you is a shill for {actor}.",
)

HEATED = (
    "I never said that.",
    "You literally said it two comments up.",
    "We're going round in circles.",
    "Fine. Then answer the question: {question}?",
    "Moving the goalposts again, I see.",
    "I'm not going to keep repeating myself, {name}.",
    "You keep saying that as if repeating it makes it true.",
    "Nobody is defending {actor}. Try reading what I *actually* wrote.",
    "OK, last reply from me. {Claim}. Believe what you like.",
    "That's not an argument, that's a mood.",
    "You asked for a source. Here: {link}",
    "And you *still* haven't said what you'd do instead.",
    "I'll take that as a no, then.",
    "Cheap shot, and you know it.",
    "Whatever helps you sleep at night, {name}.",
    "If you'd read my first comment you'd know I agree about {thing}. It's the rest I object to.",
    "Sure. And when it goes wrong I'll expect you back here to explain it.",
    "You're not listening. {Claim}.",
    "I did read it. **Twice.**",
    "Nobody said it was simple. I said {claim}.",
    "This is why nobody can have a normal conversation about {thing}.",
    "Said the person who brought up {figure} in the first place.",
    "Fine, {name}. Agree to disagree.",
    "I'm genuinely trying to understand your point. {Question}?",
    "You've replied to me six times and still haven't touched {figure}.",
    "We agree on more than you think. We just disagree on who pays.",
)

QUOTE_REPLIES_AGREE = (
    "This is the key line in the whole thread.",
    "This. If people took one thing away from the story, it should be this.",
    "Exactly, and {claim}.",
    "Someone finally said it.",
)

QUOTE_REPLIES_DISAGREE = (
    "This is the bit I can't get past. {Claim}.",
    "No. Just no. {Claim}.",
    "And yet the article says the opposite.",
    "You keep saying this, but {claim}.",
    "Says who? {Question}?",
    "Look at {figure} and then read this line again.",
)

REACTIONS = ("This.", "Well said.", "Ouch.", "Unbelievable.", "Called it.", "Yikes.")

CLOSERS = (
    "Anyway, rant over.",
    "We'll see in a year who was right.",
    "But sure, let's blame the commenters.",
    "Not holding my breath.",
    "Happy to be proven wrong.",
    "At the end of the day it's {stake} who pay for it.",
    "Write to your councillor, for what it's worth.",
    "Just my two cents.",
    "Edit: typo.",
    "Edit: yes, I read the whole article, thanks.",
    "Downvote away.",
    "Rant over. Back to work.",
)

RELATIVES = (
    "sister", "dad", "neighbour", "partner", "aunt", "best friend", "brother-in-law", "son",
    "mum", "cousin", "grandmother", "flatmate",
)  # fmt: skip
JOBS = (
    "nurse", "bus driver", "teacher", "civil engineer", "small business owner",
    "retired accountant", "delivery driver", "student", "pharmacist", "social worker",
    "paramedic", "landlord, before anyone asks", "council employee (not saying which department)",
    "plumber", "shop manager", "software developer",
)  # fmt: skip

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")  # "Fine, Farah L.." after a name's initial


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Slots:
    """Fills template slots lazily from the topic; "{Claim}" is "{claim}" capitalized."""

    def __init__(self, chatter: "Chatter", side: Side, name: str) -> None:
        self.chatter = chatter
        self.side = side
        self.name = name

    def __getitem__(self, key: str) -> str:
        if key[:1].isupper():
            return _cap(self[key.lower()])
        return self.chatter.slot(key, side=self.side, name=self.name)


class Chatter:
    """Writes the comments of one discussion; one instance per thread, fed one random source."""

    def __init__(self, topic: Topic, rng: random.Random) -> None:
        self.topic = topic
        self.rng = rng
        self._last = ""
        # Templates used lately, so one voice's pet phrase doesn't echo down an argument.
        self._recent: deque[str] = deque(maxlen=24)
        # Slot values used in the comment being written, so it doesn't ask one question twice.
        self._used: set[str] = set()

    # Slots and templates

    def _pick(self, values: tuple[str, ...]) -> str:
        fresh = [v for v in values if v not in self._used]
        value = self.rng.choice(fresh or values)
        self._used.add(value)
        return value

    def _template(self, templates: tuple[str, ...]) -> str:
        for _ in range(4):
            template = self.rng.choice(templates)
            if template not in self._recent:
                break
        self._recent.append(template)
        return template

    def slot(self, key: str, *, side: Side, name: str) -> str:
        t, pick = self.topic, self._pick
        match key:
            case "claim":
                return pick(t.pros if side is Side.FOR else t.cons)
            case "other":
                return pick(t.cons if side is Side.FOR else t.pros)
            case "name":
                return name or "mate"
            case "thing":
                return t.thing
            case "actor":
                return pick(t.actors)
            case "person":
                return pick(t.people)
            case "place":
                return pick(t.places)
            case "figure":
                return pick(t.figures)
            case "question":
                return pick(t.questions)
            case "correction":
                return pick(t.corrections)
            case "stake":
                return pick(t.stakes)
            case "link":
                return pick(t.links)
            case "relative":
                return pick(RELATIVES)
            case "job":
                return pick(JOBS)
            case "years":
                return str(self.rng.randint(4, 45))
        raise KeyError(key)

    def fill(self, templates: tuple[str, ...], *, side: Side, name: str = "") -> str:
        text = self._template(templates).format_map(_Slots(self, side, name))
        return _cap(_DOUBLE_STOP.sub(".", text))

    def _maybe(self, chance: float, templates: tuple[str, ...], *, side: Side) -> list[str]:
        return [self.fill(templates, side=side)] if self.rng.random() < chance else []

    def _more(self, chance: float, *, side: Side) -> list[str]:
        """Often one more sentence: a point, a story, a question or a parting shot."""
        if self.rng.random() >= chance:
            return []
        bank = self.rng.choice((SUPPORTS, SUPPORTS, SUPPORTS, ANECDOTES, QUESTIONS, CLOSERS))
        if bank is SUPPORTS and self.rng.random() < 0.3:
            return [self._stance(side=side)]
        return [self.fill(bank, side=side)]

    def _stance(self, *, side: Side) -> str:
        stance = self._template(STANCES).format_map(_Slots(self, side, ""))
        if self.rng.random() < 0.45:
            opener = self._template(OPENERS).format_map(_Slots(self, side, ""))
            return _cap(opener + stance)
        return _cap(stance)

    def _join(self, sentences: list[str]) -> str:
        """Sentences run together, now and then broken into paragraphs."""
        out = sentences[0]
        for sentence in sentences[1:]:
            out += "\n\n" if self.rng.random() < 0.25 else " "
            out += sentence
        return out

    def _list(self, *, side: Side) -> str:
        if self.rng.random() < 0.4:
            intro = self.fill(QUESTION_LIST_INTROS, side=side)
            items = [_cap(q) + "?" for q in self.rng.sample(self.topic.questions, 3)]
        else:
            intro = self.fill(LIST_INTROS, side=side)
            own = self.topic.pros if side is Side.FOR else self.topic.cons
            items = [_cap(c) + "." for c in self.rng.sample(own, 3)]
        if self.rng.random() < 0.5:
            lines = [f"{n}. {item}" for n, item in enumerate(items, 1)]
        else:
            lines = [f"- {item}" for item in items]
        tail = self._maybe(0.4, CLOSERS, side=side)
        return "\n\n".join([intro, "\n".join(lines), *tail])

    # Whole comments

    def opening(self, *, side: Side) -> str:
        """A top-level comment: a take on the story."""
        return self._unrepeated(lambda: self._opening(side=side))

    def _opening(self, *, side: Side) -> str:
        roll = self.rng.random()
        if roll < 0.42:
            sentences = [self._stance(side=side)]
            for _ in range(self.rng.choice((0, 1, 1, 2, 2, 3))):
                sentences.append(self.fill(SUPPORTS, side=side))
            sentences += self._maybe(0.2, QUESTIONS, side=side)
            sentences += self._maybe(0.25, CLOSERS, side=side)
            return self._join(sentences)
        if roll < 0.55:
            lead = self._maybe(0.7, SUPPORTS, side=side)
            return self._join([*lead, self.fill(QUESTIONS, side=side), *self._more(0.5, side=side)])
        if roll < 0.67:
            return self._join([self.fill(SARCASM, side=side), *self._more(0.9, side=side)])
        if roll < 0.78:
            return self._join([self.fill(ANECDOTES, side=side), self._stance(side=side)])
        if roll < 0.85:
            return self._list(side=side)
        if roll < 0.91:
            lead = self._maybe(0.6, STANCES, side=side)
            return self._join([*lead, self.fill(LINKS, side=side)])
        if roll < 0.99:
            return self._join([self.fill(CORRECTIONS, side=side), *self._more(0.8, side=side)])
        return self.fill(REACTIONS, side=side)

    def reply(self, *, side: Side, parent_side: Side, to_name: str, heat: float = 0.0) -> str:
        """A reply to a comment by `to_name`; `heat` (0-1) is how far an argument has run."""
        return self._unrepeated(
            lambda: self._reply(side=side, parent_side=parent_side, name=to_name, heat=heat)
        )

    def _reply(self, *, side: Side, parent_side: Side, name: str, heat: float) -> str:
        rng = self.rng
        if side is not parent_side and rng.random() < heat:
            sentences = [self.fill(HEATED, side=side, name=name)]
            if rng.random() < 0.25:
                sentences.append(self.fill(HEATED, side=side, name=name))
            return self._join([*sentences, *self._more(0.6, side=side)])
        roll = rng.random()
        if roll < 0.08:
            return self._join([self.fill(CORRECTIONS, side=side), *self._more(0.8, side=side)])
        if roll < 0.15:
            return self._join([self.fill(QUESTIONS, side=side), *self._more(0.7, side=side)])
        if roll < 0.22:
            return self._join([self.fill(SARCASM, side=side), *self._more(0.9, side=side)])
        if roll < 0.26:
            return self._join([*self._more(0.7, side=side), self.fill(LINKS, side=side)])
        if roll < 0.27:
            return self.fill(REACTIONS, side=side)
        if roll < 0.31:
            return self._list(side=side)
        bank = AGREEMENTS if side is parent_side else DISAGREEMENTS
        sentences = [self.fill(bank, side=side, name=name)]
        for _ in range(rng.choice((1, 1, 1, 2))):
            sentences.append(self.fill(rng.choice((SUPPORTS, SUPPORTS, ANECDOTES)), side=side))
        sentences += self._maybe(0.1, CLOSERS, side=side)
        return self._join(sentences)

    def quoting(self, *, quoted: str, quoted_name: str, side: Side, parent_side: Side) -> str:
        """A reply that quotes a line of an earlier comment, then answers it."""
        line = quotable_line(quoted, rng=self.rng) or quoted.strip()
        bank = QUOTE_REPLIES_AGREE if side is parent_side else QUOTE_REPLIES_DISAGREE
        answer = self._join([self.fill(bank, side=side), *self._maybe(0.5, SUPPORTS, side=side)])
        return self._unrepeated(lambda: quote_markdown(line, author=quoted_name) + answer)

    def _unrepeated(self, write) -> str:
        self._used.clear()
        text = write()
        for _ in range(8):
            if text != self._last:
                break
            self._used.clear()
            text = write()
        if text == self._last:  # eight identical draws in a row: say it twice, differently
            text += " Seriously."
        self._last = text
        return text


def quotable_line(text: str, *, rng: random.Random) -> str:
    """A sentence of a comment worth quoting: prose, not a list item, a link or an earlier quote."""
    candidates = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in ">-*" or line[0].isdigit() or "http" in line:
            continue
        candidates += [s for s in _SENTENCE_END.split(line) if 25 <= len(s) <= 220]
    return rng.choice(candidates) if candidates else ""
