"""The moderators' word lists: banned terms (reject) and suspect terms (hold), stored as Term rows.

Matching lives in `classifiers.wordlists`; here terms are checked, stored and
compiled. A term must fold to at least one word, so a list can't hold a term
that matches nothing (or, worse, everything). `term_list()` is what the checks
match against: the shipped defaults plus the moderators' rows, read in one
query and compiled again only when the rows changed.
"""

from functools import lru_cache

from django.db import IntegrityError, transaction

from broadsheet.accounts.models import User
from broadsheet.classifiers.default_terms import DEFAULT_EXCEPTIONS, DEFAULT_TERMS
from broadsheet.classifiers.normalize import tokens
from broadsheet.classifiers.wordlists import Category, Level, TermList
from broadsheet.classifiers.wordlists import Term as ListTerm
from broadsheet.core import sql
from broadsheet.core.errors import Conflict, InvalidInput, NotFound
from broadsheet.core.text import check_text

from .models import Term, TermKind

TERM_CATEGORIES: tuple[str, ...] = tuple(str(c) for c in Category)


def term_list() -> TermList:
    """The defaults plus the moderators' terms: one query (plain SQL: it runs for every
    comment, core/sql.py); compiled once per version of the rows."""
    rows = sql.rows(f"SELECT kind, text, category FROM {sql.table(Term)} ORDER BY id")  # noqa: S608
    return _compiled(tuple(map(tuple, rows)))


@lru_cache(maxsize=4)
def _compiled(rows: tuple[tuple[str, str, str], ...]) -> TermList:
    extra = [
        ListTerm(
            text=text,
            category=Category(category) if category in TERM_CATEGORIES else Category.ABUSE,
            level=Level(kind),
        )
        for kind, text, category in rows
    ]
    return TermList((*DEFAULT_TERMS, *extra), exceptions=DEFAULT_EXCEPTIONS)


def terms_list() -> list[Term]:
    return list(Term.objects.select_related("created_by").order_by("kind", "text"))


def term_add(*, actor: User | None, kind: str, text: str, category: str) -> Term:
    if kind not in TermKind.values:
        raise InvalidInput("A term is banned or suspect.", code="term_kind", field="kind")
    if category not in TERM_CATEGORIES:
        raise InvalidInput(
            f"The category is one of: {', '.join(TERM_CATEGORIES)}.",
            code="term_category",
            field="category",
        )
    text = " ".join(check_text(text, field="text", label="The term").split())
    if not text:
        raise InvalidInput("Write the word or phrase.", code="term_empty", field="text")
    limit = Term._meta.get_field("text").max_length
    if len(text) > limit:
        raise InvalidInput(
            f"A term is at most {limit} characters.", code="term_too_long", field="text"
        )
    if not tokens(text.rstrip("*")):
        raise InvalidInput(
            "The term needs at least one letter or digit.", code="term_no_word", field="text"
        )
    try:
        with transaction.atomic():
            return Term.objects.create(kind=kind, text=text, category=category, created_by=actor)
    except IntegrityError:
        raise Conflict(f"“{text}” is already on that list.", code="term_exists") from None


def term_remove(*, term_id: int) -> Term:
    term = Term.objects.filter(pk=term_id).first()
    if term is None:
        raise NotFound("There is no such term.")
    term.delete()
    return term
