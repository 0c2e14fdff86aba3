"""The demo's comment writer: deterministic, varied, on topic, and every template fills."""

import itertools
import random
import string

import pytest

from broadsheet.core.markup import render_comment
from broadsheet.demo import chatter
from broadsheet.demo.chatter import Chatter, Side, quotable_line
from broadsheet.demo.stories import HUGE_STORY, STORIES
from broadsheet.demo.topics import BRIDGE, Topic

TOPICS = [s.topic for s in (*STORIES, HUGE_STORY) if s.topic is not None]
BANKS = {
    name: value
    for name, value in vars(chatter).items()
    if name.isupper() and isinstance(value, tuple) and name not in {"RELATIVES", "JOBS"}
}


def _conversation(writer: Chatter, n: int) -> list[str]:
    """A mix of every kind of comment the discussion simulator asks for."""
    rng = random.Random(99)
    out = []
    for i in range(n):
        side, other = rng.choice((Side.FOR, Side.AGAINST)), rng.choice((Side.FOR, Side.AGAINST))
        match i % 4:
            case 0:
                out.append(writer.opening(side=side))
            case 1:
                out.append(writer.reply(side=side, parent_side=other, to_name="Kemi Okafor"))
            case 2:
                out.append(
                    writer.reply(side=side, parent_side=side.opposite, to_name="x", heat=0.9)
                )
            case 3:
                out.append(
                    writer.quoting(
                        quoted=out[-1], quoted_name="harbourgull", side=side, parent_side=other
                    )
                )
    return out


def test_the_same_seed_writes_the_same_comments():
    first = _conversation(Chatter(BRIDGE, random.Random(7)), 300)
    again = _conversation(Chatter(BRIDGE, random.Random(7)), 300)
    assert first == again


def test_another_seed_writes_other_comments():
    first = _conversation(Chatter(BRIDGE, random.Random(7)), 100)
    other = _conversation(Chatter(BRIDGE, random.Random(8)), 100)
    assert sum(a != b for a, b in zip(first, other, strict=True)) > 90


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.thing)
def test_no_two_consecutive_comments_are_identical(topic: Topic):
    writer = Chatter(topic, random.Random(1))
    texts = [writer.reply(side=Side.FOR, parent_side=Side.AGAINST, to_name="A", heat=1.0)]
    for _ in range(2000):
        texts.append(writer.opening(side=Side.FOR))
        texts.append(writer.reply(side=Side.FOR, parent_side=Side.AGAINST, to_name="A", heat=1.0))
    assert all(a != b for a, b in itertools.pairwise(texts))


def test_even_a_writer_that_can_only_say_one_thing_does_not_repeat_itself(monkeypatch):
    monkeypatch.setattr(chatter, "REACTIONS", ("This.",))
    writer = Chatter(BRIDGE, random.Random(1))
    texts = [writer.fill(chatter.REACTIONS, side=Side.FOR) for _ in range(3)]
    assert texts == ["This."] * 3  # fill alone repeats; whole comments must not:
    monkeypatch.setattr(writer, "_opening", lambda side: "This.")
    assert writer.opening(side=Side.FOR) != writer.opening(side=Side.FOR)


def test_comments_are_varied_and_never_placeholders():
    texts = _conversation(Chatter(BRIDGE, random.Random(3)), 1000)
    assert len(set(texts)) >= 0.95 * len(texts)
    assert not any("Comment #" in t or "{" in t or "}" in t for t in texts)
    assert all(t[0].isupper() or t[0] in "*[" for t in texts)


def test_comments_talk_about_the_story():
    writer = Chatter(BRIDGE, random.Random(5))
    texts = [writer.opening(side=Side.AGAINST) for _ in range(200)]
    vocabulary = [BRIDGE.thing, *BRIDGE.actors, *BRIDGE.places, *BRIDGE.figures, *BRIDGE.cons]
    on_topic = [t for t in texts if any(word.lower() in t.lower() for word in vocabulary)]
    assert len(on_topic) >= 0.6 * len(texts)


def test_the_mix_has_questions_lists_links_and_sarcasm():
    texts = _conversation(Chatter(BRIDGE, random.Random(11)), 2000)
    html = [render_comment(t) for t in texts]
    assert sum("?" in t for t in texts) > 100
    assert any("<li>" in h for h in html)
    assert any('<a href="https://carrow.example.org' in h for h in html)
    assert any(s in t for t in texts for s in chatter.SARCASM if "{" not in s)


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.thing)
@pytest.mark.parametrize("bank", sorted(BANKS), ids=str)
def test_every_template_fills_from_every_topic(topic: Topic, bank: str):
    writer = Chatter(topic, random.Random(0))
    for template in BANKS[bank]:
        for side in Side:
            text = template.format_map(chatter._Slots(writer, side, "Name"))
            assert "{" not in text and "}" not in text


def test_topics_are_written_to_fit_the_templates():
    for topic in TOPICS:
        for clause in (*topic.pros, *topic.cons, *topic.questions):
            assert clause[0] in string.ascii_lowercase, clause
            assert not clause.endswith((".", "?")), clause
        for sentence in topic.corrections:
            assert sentence[0].isupper() and sentence.endswith("."), sentence
        assert all(link.startswith("https://") for link in topic.links)
        assert len(topic.pros) >= 4 and len(topic.cons) >= 4 and len(topic.questions) >= 3


def test_a_quote_is_a_markdown_block_quote_of_a_line_then_an_answer():
    writer = Chatter(BRIDGE, random.Random(2))
    earlier = "I was there at six. Two hours' notice for eighty thousand people is a disgrace."
    text = writer.quoting(
        quoted=earlier, quoted_name="Ilse M.", side=Side.FOR, parent_side=Side.AGAINST
    )
    head, quote, answer = text.split("\n\n", 2)
    assert head == "**Ilse M.** wrote:"
    assert quote.startswith("> ") and quote[2:] in earlier
    assert answer.strip()
    assert "<blockquote>" in render_comment(text)


def test_quotable_lines_skip_quotes_lists_and_links():
    rng = random.Random(0)
    text = (
        "**Someone** wrote:\n\n> An earlier quote that is long enough to pick.\n\n"
        "- a list item that is long enough to pick\n"
        "Source: https://carrow.example.org/a-long-enough-link\n"
        "This is the sentence worth quoting here."
    )
    assert {quotable_line(text, rng=rng) for _ in range(20)} == {
        "This is the sentence worth quoting here."
    }
    assert quotable_line("Short.", rng=rng) == ""


def test_a_name_ending_in_an_initial_does_not_double_the_full_stop():
    writer = Chatter(BRIDGE, random.Random(0))
    texts = {writer.fill(("Fine, {name}. Agree to disagree.",), side=Side.FOR, name="Farah L.")}
    assert texts == {"Fine, Farah L. Agree to disagree."}
