import json
from pathlib import Path

from broadsheet.classifiers.group_words import DEHUMANIZING, GROUPS
from broadsheet.classifiers.heuristics import (
    Generalizations,
    aimed,
    aimed_at_you,
    caps_ratio,
    crypto_addresses,
    money_offers,
    off_topic_score,
    phone_numbers,
    repeated_characters,
    violence_at_someone,
    vocabulary,
)
from broadsheet.classifiers.normalize import tokens


def test_shouting_and_repeats():
    assert caps_ratio("THIS COUNCIL IS A DISGRACE AND WE WILL NOT STAND FOR IT") > 0.9
    assert caps_ratio("SHORT") == 0.0
    assert repeated_characters("noooooo!!!!!!") == 2


def test_spam_contact_patterns():
    assert phone_numbers("call 07700 900123 or +44 (0)20 7946 0000") == 2
    assert phone_numbers("in 1998-2004 the rent was 450") == 0
    assert crypto_addresses("send to 0x52908400098527886E0F7030069857D2E4169EE7") == 1
    assert money_offers("I earn $300 a day from home") == 1
    assert money_offers("My rent is £1,200 a month") == 0


STORY = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "moderation" / "story.json").read_text()
)


def test_a_brief_is_too_little_to_judge_drift_by():
    brief = vocabulary("Council approves harbour redevelopment; Eastgate homes demolished")
    assert off_topic_score("Anyone know a good plumber? Mine charges a fortune.", brief) == 0.0


def test_off_topic_is_relative_to_the_story():
    topic = vocabulary(f"{STORY['title']}\n{STORY['text']}")
    assert off_topic_score("The harbour redevelopment will demolish homes in Eastgate", topic) < 0.3
    assert (
        off_topic_score("Anyone know a good plumber? Mine charges a fortune for callouts.", topic)
        > 0.9
    )
    assert off_topic_score("Too short to judge", topic) == 0.0
    assert (
        off_topic_score(
            "Anyone know a good plumber? Mine charges a fortune for callouts.", frozenset()
        )
        == 0
    )


def test_generalizations_need_a_group_near_a_dehumanizing_word():
    finder = Generalizations(GROUPS, DEHUMANIZING)
    assert finder.count(tokens("Migrants are vermin")) == 1
    assert finder.count(tokens("The developers are vermin")) == 0
    assert finder.count(tokens("Refugee families deserve notice")) == 0


def test_aim():
    words = tokens("you absolute idiot")
    assert aimed(words, 2, 3)
    words = tokens("this stupid plan")
    assert not aimed_at_you(words, 1, 2)
    words = tokens("you are so stupid")
    assert aimed_at_you(words, 3, 4)


def test_violence_at_someone():
    assert violence_at_someone(tokens("I'd slap you"))
    assert violence_at_someone(tokens("I know where the mayor lives"))
    assert not violence_at_someone(tokens("Shoot this plan down at the judicial review"))
