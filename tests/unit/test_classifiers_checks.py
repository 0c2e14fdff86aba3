"""The pipeline-ready checks: plain samples in, Verdict-shaped findings out."""

from dataclasses import dataclass, field

from broadsheet.classifiers.checks import (
    Outcome,
    content_check,
    duplicate_check,
    make_content_check,
)
from broadsheet.classifiers.duplicates import exact_hash, simhash
from broadsheet.classifiers.wordlists import Category, Level, Term

LONG = "The council never held the ballot it promised the residents of the Eastgate estate"


@dataclass(frozen=True)
class Policy:
    sensitive: bool = False


@dataclass(frozen=True)
class Recent:
    simhash: int


@dataclass(frozen=True)
class Sample:
    """A stand-in with the attributes the checks read (the pipeline's Sample grows them)."""

    body: str
    thread_title: str = ""
    thread_text: str = ""
    first_comment: bool = False
    policy: Policy = field(default_factory=Policy)
    recent_hashes: frozenset[str] = frozenset()
    own_recent: tuple[Recent, ...] = ()


def test_outcomes_are_the_pipeline_values():
    assert [o.value for o in Outcome] == ["publish", "hold", "reject"]


def test_content_check_outcomes():
    assert content_check(Sample("A fair point about the budget.")) is None
    held = content_check(Sample("You are an idiot"))
    assert held.outcome == Outcome.HOLD and held.check == "content"
    assert held.as_record()["outcome"] == "hold"
    rejected = content_check(Sample("kys"))
    assert rejected.outcome == Outcome.REJECT and rejected.message


def test_the_sample_context_reaches_the_check():
    body = "Soros money again, I bet."
    assert content_check(Sample(body)) is None
    assert content_check(Sample(body, policy=Policy(sensitive=True))).outcome == Outcome.HOLD
    link = "Page 44: council.gov.uk/harbour"
    assert content_check(Sample(link)) is None
    assert content_check(Sample(link, first_comment=True)).outcome == Outcome.HOLD


def test_a_minimal_sample_is_enough():
    @dataclass(frozen=True)
    class Bare:
        body: str

    assert content_check(Bare("you absolute moron")).outcome == Outcome.HOLD
    assert duplicate_check(Bare(LONG)) is None


def test_site_lists():
    check = make_content_check(terms=[Term("marina", Category.SPAM, Level.BANNED)])
    assert check(Sample("a new marina")).outcome == Outcome.REJECT
    assert check(Sample("a new harbour")) is None


def test_duplicates():
    assert duplicate_check(Sample(LONG)) is None
    again = Sample(LONG.upper(), recent_hashes=frozenset({exact_hash(LONG)}))
    assert duplicate_check(again).outcome == Outcome.REJECT
    near = Sample(LONG + " again", own_recent=(Recent(simhash(LONG)),))
    assert duplicate_check(near).outcome == Outcome.HOLD
    short = Sample("Well said.", recent_hashes=frozenset({exact_hash("Well said.")}))
    assert duplicate_check(short) is None


def test_findings_work_in_the_pipeline():
    from broadsheet.moderation.pipeline import Outcome as PipelineOutcome
    from broadsheet.moderation.pipeline import Sample as PipelineSample
    from broadsheet.moderation.pipeline import decide

    sample = PipelineSample(
        body="You are an idiot", is_guest=True, is_reply=False, thread_premoderated=False
    )
    decision = decide(sample, [content_check])
    assert decision.outcome == PipelineOutcome.HOLD
    assert decision.verdicts[0].check == "content"
