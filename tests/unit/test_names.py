"""Name folding: two names a reader would take for the same person fold to one key."""

import pytest

from broadsheet.accounts.names import name_key


@pytest.mark.parametrize(
    ("name", "lookalike"),
    [
        ("John Smith", "john smith"),  # case
        ("John Smith", "JOHN  SMITH"),  # case and spacing
        ("John Smith", "John_Smith"),  # punctuation
        ("José", "Jose"),  # accents
        ("John Smith", "J\u043ehn Smith"),  # Cyrillic small o
        ("Maya", "M\u0430y\u0430"),  # Cyrillic small a
        ("Bob", "B0b"),  # digit for letter
        ("Bill", "B1ll"),
        ("Bill", "BIll"),  # capital I read as l
        ("modern", "modem"),  # rn reads as m
        ("ﬁsh", "fish"),  # ligature
    ],
)
def test_lookalike_names_fold_to_one_key(name, lookalike):
    assert name_key(name) == name_key(lookalike)


@pytest.mark.parametrize(("one", "other"), [("John Smith", "Joan Smith"), ("Maya", "Mara")])
def test_different_names_keep_different_keys(one, other):
    assert name_key(one) != name_key(other)


def test_a_name_of_only_symbols_folds_to_nothing():
    assert name_key("!!! ...") == ""


def test_expanding_characters_can_outgrow_the_name():
    # Why the key column is longer than the 50-character name.
    assert len(name_key("\ufdfa" * 50)) > 50
