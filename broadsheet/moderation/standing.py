"""A commenter's standing as the intake sees it: bans, suspension, mute, shadow-ban, trust."""

from datetime import datetime, timedelta

from django.db.models import Q

from broadsheet.accounts.models import User
from broadsheet.core import sql

from .models import Ban, BanKind, UserStanding
from .pipeline import AccountState
from .trust import trust_recompute

# Address bans also bind accounts below this trust level, so a banned guest who
# signs up afresh from the same address is still banned; established members
# behind the same shared address (an office, a mobile network) are not.
ADDRESS_BAN_SPARES_TRUST = 2

# Trust moves in steps of days (trust.py), so a member's level is counted again at most daily
# when they post, and at once after every moderator's decision about them.
TRUST_STALE_AFTER = timedelta(hours=12)

BAN_MESSAGE = "You can't comment here: this account or connection is banned."


def active_bans(at: datetime) -> Q:
    return Q(lifted_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=at))


def standing_get(user: User) -> UserStanding:
    """The user's standing row, created at level 0 (new accounts start low)."""
    standing, _ = UserStanding.objects.get_or_create(user=user)
    return standing


def trust_level_of(user_id: int | None) -> int:
    """The user's stored trust level (0 for a guest or a user without a standing row)."""
    if user_id is None:
        return 0
    level = UserStanding.objects.filter(user_id=user_id).values_list("trust_level", flat=True)
    return level.first() or 0


def account_state(
    *, user: User | None, address_hash: str, email_hash: str, at: datetime
) -> AccountState:
    """Two queries (the standing row, any ban that applies), and a trust recount when stale."""
    standing = UserStanding.objects.filter(user=user).first() if user is not None else None
    if user is not None and (standing is None or standing.updated_at < at - TRUST_STALE_AFTER):
        standing = trust_recompute(user=user, at=at)
    trust = standing.trust_level if standing else 0
    # Plain SQL (core/sql.py): it runs for every comment; a ban found is read in full.
    targets: list[str] = []
    params: list = [sql.moment(at)]
    if user is not None:
        targets.append("(kind = %s AND user_id = %s)")
        params += [BanKind.USER.value, user.pk]
    if address_hash and (user is None or trust < ADDRESS_BAN_SPARES_TRUST):
        targets.append("(kind = %s AND value_hash = %s)")
        params += [BanKind.ADDRESS.value, address_hash]
    if email_hash and user is None:
        targets.append("(kind = %s AND value_hash = %s)")
        params += [BanKind.EMAIL.value, email_hash]
    ban = None
    if targets:
        found = sql.rows(
            f"SELECT id FROM {sql.table(Ban)} WHERE lifted_at IS NULL "  # noqa: S608
            f"AND (expires_at IS NULL OR expires_at > %s) AND ({' OR '.join(targets)}) "
            "ORDER BY expires_at LIMIT 1",
            params,
        )
        ban = Ban.objects.get(pk=found[0][0]) if found else None
    message = ""
    if ban is not None:
        message = BAN_MESSAGE
        if ban.expires_at is not None:
            message += f" The ban ends on {ban.expires_at:%d %B %Y}."
    return AccountState(
        ban_message=message,
        suspended_until=standing.suspended_until if standing else None,
        muted=bool(standing and standing.muted),
        shadow_banned=bool(standing and standing.shadow_banned),
        trust_level=trust,
    )
