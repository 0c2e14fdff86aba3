"""Imported commenters and authors as profiles that can't sign in.

An imported person gets a User with an unusable password: shown like any
member (no "(not verified)"), unable to sign in or reset a password until an
operator decides otherwise. Only Broadsheet's own export carries e-mail
addresses; everyone else gets a reserved address that can never receive mail,
`imported-<24 hex digits>@invalid` (RFC 2606 reserves `.invalid`), derived from
the source's identity of the person, so a second import finds the same profile.
Text archives know people only by name: a member with that name (compared as
`name_key` compares) is reused, and an author profile is made only if needed.
"""

import hashlib
import unicodedata
from collections.abc import Iterable

from broadsheet.accounts.models import User
from broadsheet.accounts.names import name_key

from .records import ImportedUser

IMPORTED_DOMAIN = "invalid"
DISPLAY_NAME_MAX_LENGTH = 50
FALLBACK_NAME = "Imported reader"
# Said after an imported name that a member who can sign in already uses.
IMPORTED_SUFFIX = " (imported)"


def imported_email(source_key: str) -> str:
    digest = hashlib.sha256(source_key.encode()).hexdigest()[:24]
    return f"imported-{digest}@{IMPORTED_DOMAIN}"


def is_imported_email(email: str) -> bool:
    return email.startswith("imported-") and email.endswith(f"@{IMPORTED_DOMAIN}")


def clean_name(name: str, *, limit: int = DISPLAY_NAME_MAX_LENGTH) -> str:
    """Printable, single-spaced, within the limit."""
    printable = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return " ".join(printable.split())[:limit].strip()


def profiles_get_or_create(
    *, people: Iterable[ImportedUser], source: str
) -> tuple[dict[str, User], int]:
    """Users for imported people (ImportedUser records), by record key; and how many are new."""
    people = list(people)
    found: dict[str, User] = {}
    by_name = [p for p in people if p.match_by_name]
    if by_name:
        keys = {name_key(clean_name(p.display_name) or FALLBACK_NAME): p for p in by_name}
        for user in User.objects.filter(name_key__in=list(keys)).order_by("pk"):
            person = keys.get(user.name_key)
            if person is not None and person.key not in found:
                found[person.key] = user
    emails = {
        p.key: (p.email.strip().lower() if p.email else imported_email(f"{source}:{p.key}"))
        for p in people
        if p.key not in found
    }
    existing = {u.email.lower(): u for u in User.objects.filter(email__in=list(emails.values()))}
    fresh: dict[str, ImportedUser] = {}
    for person in people:
        if person.key not in found and emails[person.key] not in existing:
            fresh.setdefault(emails[person.key], person)
    for user in _create(fresh):
        existing[user.email] = user
    for person in people:
        if person.key not in found:
            found[person.key] = existing[emails[person.key]]
    return found, len(fresh)


def _create(fresh: dict[str, ImportedUser]) -> list[User]:
    """New profiles in one insert: unusable passwords, names marked if a member uses them."""
    if not fresh:
        return []
    names = {email: clean_name(p.display_name) or FALLBACK_NAME for email, p in fresh.items()}
    keys = {email: name_key(name) for email, name in names.items()}
    # An unusable password starts with "!": such a profile can't sign in, so can't be impersonated.
    members = set(
        User.objects.filter(name_key__in=set(keys.values()))
        .exclude(password__startswith="!")  # noqa: S106
        .values_list("name_key", flat=True)
    )
    users = []
    for email, person in fresh.items():
        name = names[email]
        if keys[email] in members:
            name = clean_name(name, limit=DISPLAY_NAME_MAX_LENGTH - len(IMPORTED_SUFFIX))
            name += IMPORTED_SUFFIX
        user = User(
            email=email,
            display_name=name,
            name_key=name_key(name),
            bio=(person.bio or "")[:2000],
        )
        if person.date_joined:
            user.date_joined = person.date_joined
        user.set_unusable_password()
        users.append(user)
    return User.objects.bulk_create(users)
