"""Abuse that lives in the phrasing, not in any one word.

Word lists catch "idiot" and "f*ck"; they miss "someone should teach him a
lesson", "the reading age of a potato" and "crawl back under your rock", where
every word is harmless alone. These patterns describe such constructions in
general terms (no names, places or topics of any one story), over the folded
words of `normalize.tokens` joined by spaces (apostrophes dropped: "youre").

Three kinds, each with a weight that adds to the abuse score:
- veiled threats and wishes of harm (0.75: a moderator must see them);
- put-downs of a person's mind or worth, and dismissive commands (0.5);
- degrading comparisons of a person (0.5).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Phrase:
    detail: str
    weight: float
    pattern: re.Pattern[str]


_W = r"(?:\w+ )"  # one word and its space
_SOMEONE = r"(?:someone|somebody|some people|a few of us|one of us|we|people)"
_OBJECT = r"(?:you|him|her|them|em|\w+)"
_POSSESSIVE = r"(?:your|his|her|their)"
_MODAL = r"(?:should|ought to|oughta|needs? to|will|is going to|are going to|gonna)"
_VISIT = r"(?:teach|pay|sort out|deal with|visit|pop round|have a word)"
_HARM = (
    r"(?:burns?|burned|burnt|flames|dies|die|hurts|suffers?|rots?|chokes?"
    r"|an accident|a nasty accident|run over|gets? what)"
)
_CHILDISH = r"(?:toddlers|children|a toddler|a child|sheep|lemmings)"
_HARMED = r"(?:dragged|battered|beaten|shot|hanged|hung|lynched|put down|kneecapped|horsewhipped)"
_WATER = r"(?:river|thames|sea|harbour|canal|docks|sewer|pier)"

THREATS = r"""
\b{someone} {modal} {visit}
\bteach {w}{{1,3}}a lesson\b
\bpay {w}{{1,3}}a (?:little |friendly )?visit\b
\bpop round\b
\b(?:watch|mind) {possessive} back\b
\bhope {w}{{0,10}}{harm}\b
\b(?:shame|pity) if something\b
\bsomething (?:bad |nasty )?(?:happened|happens|should happen|were to happen) to\b
\b(?:knows?|know) {possessive} (?:face|car|address|kids|house)\b
\bon {possessive} own two (?:legs|feet)\b
\bfind out where {w}{{0,3}}lives?\b
\bstrung up\b
\bstring {object} up\b
\b(?:watch|see) {w}{{1,3}}(?:get |getting )?(?:dragged|strung|thrown|beaten|battered|lynched)\b
\bkarmas? (?:is )?coming for\b
\bone day (?:someone|somebody) will\b
\bbetween (?:them|you|him|her) and us\b
\bf\*+k? (?:you|yourself|off|ur|u)\b
\b(?:should|ought to|needs? to|deserves? to) be {harmed}\b
\bbe (?:chucked|thrown|dumped|tossed|pushed) (?:in|into|off) the (?:\w+ )?{water}\b
\bconcrete (?:boots|shoes|wellies|overcoat)\b
\bby (?:his|her|their) hair\b
\bminutes alone (?:in a room )?with\b
\b(?:pepper spray|taser|tase|hose|gas|shoot|batter) (?:the lot of (?:them|em)|them all|em all)\b
\b(?:bollocks|sod|up yours|damn) to you\b
"""

PUT_DOWNS = r"""
\b(?:reading age|iq|mental age|attention span) of\b
\b(?:working|functioning|two|three|single) brain cells?\b
\bwith a (?:working|functioning) brain\b
\bthe (?:dimmest|thickest|dumbest|stupidest) (?:person|man|woman|poster|commenter|thing)\b
\bare you (?:always|really|actually) (?:this|that) (?:slow|thick|dim|stupid|dense)\b
\bout of a (?:paper|wet paper) bag\b
\b(?:colouring|coloring) books?\b
\bcrayons\b
\blog off\b
\bgo outside\b
\btouch grass\b
\bsit down {w}{{0,2}}(?:be quiet|shut up|shut it)\b
\b(?:get|come) off your high horse\b
\bcrawl back\b
\bback under {w}{{0,2}}(?:rock|stone|bridge)\b
\b(?:keep )?running your mouth\b
\bnobody asked\b(?! (?:us|me|them|the|residents|tenants)\b)
\bclap harder\b
\byou should (?:feel bad|be ashamed of yourself)\b
\bgo and do your (?:jigsaw|knitting|homework)\b
\bbless your (?:heart|little)\b
"""

COMPARISONS = r"""
\bhuman equivalent of\b
\b(?:talking|arguing|speaking|debating) (?:to|with) you is like\b
\bmanners of a\b
\b(?:are|is|youre|like) (?:a bunch of |a pack of )?{childish}\b
\b(?:rats|vermin|cockroaches|maggots|leeches|parasites) in suits\b
"""


def _compile(block: str, detail: str, weight: float) -> list[Phrase]:
    filled = block.format(
        w=_W,
        someone=_SOMEONE,
        object=_OBJECT,
        possessive=_POSSESSIVE,
        modal=_MODAL,
        visit=_VISIT,
        harm=_HARM,
        childish=_CHILDISH,
        harmed=_HARMED,
        water=_WATER,
    ).splitlines()
    return [Phrase(detail, weight, re.compile(line.strip())) for line in filled if line.strip()]


@cache
def phrases() -> tuple[Phrase, ...]:
    return tuple(
        _compile(THREATS, "veiled threat or wish of harm", 0.75)
        + _compile(PUT_DOWNS, "put-down of a person", 0.5)
        + _compile(COMPARISONS, "degrading comparison of a person", 0.5)
    )


def find(words: Sequence[str]) -> list[Phrase]:
    """Every phrase the folded words contain, the strongest of each kind once."""
    text = " ".join(words)
    found: dict[str, Phrase] = {}
    for phrase in phrases():
        if phrase.detail not in found and phrase.pattern.search(text):
            found[phrase.detail] = phrase
    return list(found.values())
