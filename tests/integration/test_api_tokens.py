"""API token services: hashed storage, authentication, scope, limits, revocation, erasure."""

from datetime import timedelta

import pytest

from broadsheet.accounts import services
from broadsheet.accounts.api_tokens import token_hash, token_prefix
from broadsheet.accounts.models import ApiToken, TokenScope
from broadsheet.accounts.selectors import tokens_of
from broadsheet.core.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from broadsheet.portability.erasure import user_erase

pytestmark = pytest.mark.django_db


def test_only_the_hash_is_stored_and_the_token_authenticates(make_user):
    member = make_user()
    token, plaintext = services.token_create(user=member, name=" My  script ", scope="write")
    assert token.name == "My script" and token.scope == TokenScope.WRITE
    assert token_prefix(plaintext) == token.prefix and len(plaintext) == 56
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.secret_hash == token_hash(plaintext)
    assert plaintext not in str(list(ApiToken.objects.values_list()))
    assert services.token_authenticate(plaintext=plaintext).user == member


@pytest.mark.parametrize("bad", ["", "bst_", "Bearer x", "bst_zzzzzzzz_" + "a" * 43, "\x00"])
def test_malformed_tokens_are_refused_with_a_code(bad, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(Unauthenticated) as caught:
        services.token_authenticate(plaintext=bad)
    assert caught.value.code == "token_invalid"


def test_a_forged_secret_with_a_real_prefix_is_refused(make_user):
    _, plaintext = services.token_create(user=make_user(), name="x", scope="read")
    forged = plaintext[:13] + ("A" if plaintext[13] != "A" else "B") + plaintext[14:]
    with pytest.raises(Unauthenticated) as caught:
        services.token_authenticate(plaintext=forged)
    assert caught.value.code == "token_invalid"


def test_revocation_by_owner_or_staff_only(make_user):
    member, other, staff = make_user(), make_user(), make_user(is_staff=True)
    token, plaintext = services.token_create(user=member, name="x", scope="read")
    with pytest.raises(NotFound):
        services.token_revoke(token_id=token.pk, actor=other)
    services.token_revoke(token_id=token.pk, actor=staff)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    services.token_revoke(token_id=token.pk, actor=member)  # twice: harmless, time kept
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    with pytest.raises(Unauthenticated) as caught:
        services.token_authenticate(plaintext=plaintext)
    assert caught.value.code == "token_revoked"


def test_inputs_and_the_limit(make_user):
    member = make_user()
    for name, scope, code in [
        ("", "read", "token_name_required"),
        ("x" * 101, "read", "token_name_too_long"),
        ("a\x00b", "read", "nul_byte"),
        ("ok", "admin", "token_scope_invalid"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            services.token_create(user=member, name=name, scope=scope)
        assert caught.value.code == code
    for n in range(services.ACTIVE_TOKENS_MAX):
        services.token_create(user=member, name=f"t{n}", scope="read")
    with pytest.raises(InvalidInput) as caught:
        services.token_create(user=member, name="one more", scope="read")
    assert caught.value.code == "tokens_too_many"
    services.token_revoke(token_id=tokens_of(user=member).first().pk, actor=member)
    services.token_create(user=member, name="one more", scope="read")
    listed = list(tokens_of(user=member))
    assert listed[-1].revoked_at is not None and all(t.revoked_at is None for t in listed[:-1])


def test_last_used_is_written_at_most_once_a_minute(make_user, django_assert_num_queries):
    token, plaintext = services.token_create(user=make_user(), name="x", scope="read")
    with django_assert_num_queries(2):
        services.token_authenticate(plaintext=plaintext)
    with django_assert_num_queries(1):
        services.token_authenticate(plaintext=plaintext)
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=ApiToken.objects.get(pk=token.pk).last_used_at - timedelta(seconds=61)
    )
    with django_assert_num_queries(2):
        services.token_authenticate(plaintext=plaintext)


def test_inactive_and_erased_accounts_lose_their_tokens(make_user):
    member = make_user()
    _, plaintext = services.token_create(user=member, name="x", scope="write")
    user_erase(user=member)
    assert not ApiToken.objects.filter(user=member).exists()
    with pytest.raises(Unauthenticated):
        services.token_authenticate(plaintext=plaintext)
    closed = make_user(is_active=False)
    with pytest.raises(Forbidden) as caught:
        services.token_create(user=closed, name="x", scope="read")
    assert caught.value.code == "account_inactive"
