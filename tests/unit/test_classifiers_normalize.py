import pytest

from broadsheet.classifiers.normalize import normalize, squeeze, tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You are an IDIOT", "you are an idiot"),
        ("You are an I D I O T!!!", "you are an idiot"),
        ("f.u.c.k off", "fuck off"),
        ("i-d-i-o-t", "idiot"),
        ("1d10t", "idiot"),
        ("$hit", "shit"),
        ("b!tch", "bitch"),
        ("@ss", "ass"),
        ("m0r0n", "moron"),
        ("stuuuuupid", "stuupid"),
        ("Ídíôt", "idiot"),
        ("\u0456diot", "idiot"),  # Cyrillic i
        ("ｉｄｉｏｔ", "idiot"),  # full-width, folded by NFKC
        ("you're", "youre"),
        ("you\u2019re", "youre"),
        ("*idiot*", "idiot"),
        ("what a f u c k i n g mess", "what a fucking mess"),  # the article stays a word
        ("a s s h o l e", "asshole"),
        ("F U C K  Y O U", "fuck you"),  # a wider gap ends a spelled-out word
        ("f u c k   o f f\nnow", "fuck off now"),
        ("go f*** yourself", "go f*** yourself"),  # masked letters keep their count
    ],
)
def test_tricks_are_undone(text, expected):
    assert normalize(text) == expected


def test_numbers_and_units_are_not_letters():
    assert (
        normalize("£240m at 10pm on the 2nd, $500 for 3 days")
        == "240m at 10pm on the 2nd $500 for 3 days"
    )


def test_word_boundaries_survive():
    assert tokens("Scunthorpe classic assess") == ("scunthorpe", "classic", "assess")
    assert tokens("I am a fan") == ("i", "am", "a", "fan")


def test_masked_letters_are_kept_for_the_matcher():
    assert tokens("f*ck sh**") == ("f*ck", "sh**")


def test_squeeze_cuts_every_run():
    assert squeeze("fuuuck") == "fuck"
    assert squeeze("ass") == "as"
