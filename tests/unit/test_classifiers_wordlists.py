import pytest

from broadsheet.classifiers.default_terms import DEFAULT_EXCEPTIONS, DEFAULT_TERMS
from broadsheet.classifiers.wordlists import Category, Level, Term, TermList

ASS = Term("ass", Category.PROFANITY)


@pytest.fixture(scope="module")
def defaults() -> TermList:
    return TermList(DEFAULT_TERMS, exceptions=DEFAULT_EXCEPTIONS)


def texts(found) -> list[str]:
    return [m.term.text for m in found]


@pytest.mark.parametrize(
    "text",
    ["Scunthorpe United", "a classic mistake", "assess the bass", "as if", "glass", "passport"],
)
def test_words_that_contain_a_term_do_not_match(text):
    assert TermList([ASS, Term("cunt*", Category.PROFANITY)]).find(text) == []


@pytest.mark.parametrize("text", ["ass", "ASS", "a$$", "@ss", "asss", "a s s hat", "asses"])
def test_the_term_itself_matches_through_tricks(text):
    assert texts(TermList([ASS]).find(text)) == ["ass"]


def test_prefix_terms_and_exceptions(defaults):
    assert "fuck*" in texts(defaults.find("absolutely fuuucking ridiculous"))
    assert texts(defaults.find("shiitake risotto")) == []
    assert "shit*" in texts(defaults.find("what a shitshow"))


def test_masked_letters(defaults):
    found = texts(defaults.find("f*ck this sh** council"))
    assert "fuck*" in found and "shit*" in found


def test_a_masked_word_is_read_once_per_category(defaults):
    # "f**k" fits "fuck" and the "fvck" spelling; it is still one swear word.
    assert len([m for m in defaults.find("what the f**k") if m.term.category == "profanity"]) == 1


def test_phrases_match_on_word_boundaries():
    terms = TermList([Term("kill yourself", Category.ABUSE, Level.BANNED)])
    assert [(m.start, m.end) for m in terms.find("just k1ll yourself")] == [(1, 3)]
    assert terms.find("skill yourselves up") == []


def test_plurals_and_stretching():
    terms = TermList([Term("idiot", Category.ABUSE)])
    assert len(terms.find("idiots everywhere, idiooots")) == 2
    assert terms.find("idiom") == []


def test_matches_carry_category_and_level(defaults):
    match = defaults.find("great replacement nonsense")[0]
    assert match.term.category == Category.HATE and match.term.level == Level.SUSPECT
    banned = defaults.find("kys")[0]
    assert banned.term.level == Level.BANNED


def test_lists_are_data_passed_in():
    custom = TermList([Term("harbour", Category.SPAM, weight=0.1)])
    assert texts(custom.find("Harbour!")) == ["harbour"]
    assert len(custom) == 1
