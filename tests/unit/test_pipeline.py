from broadsheet.moderation.pipeline import Outcome, Sample, Verdict, decide, premoderated_thread


def sample(**overrides) -> Sample:
    values = {"body": "hi", "is_guest": True, "is_reply": False, "thread_premoderated": False}
    return Sample(**(values | overrides))


def test_no_verdicts_publishes():
    assert decide(sample(), [premoderated_thread]).outcome == Outcome.PUBLISH


def test_premoderated_thread_holds_but_not_staff():
    assert decide(sample(thread_premoderated=True), [premoderated_thread]).outcome == Outcome.HOLD
    staff = sample(thread_premoderated=True, is_guest=False, author_is_staff=True)
    assert decide(staff, [premoderated_thread]).outcome == Outcome.PUBLISH


def test_strictest_verdict_wins_and_carries_its_message():
    def hold(_):
        return Verdict(Outcome.HOLD, "a", "looks odd")

    def reject(_):
        return Verdict(Outcome.REJECT, "b", "spam", message="Links to that site are not allowed.")

    decision = decide(sample(), [hold, reject, hold])
    assert decision.outcome == Outcome.REJECT
    assert decision.message == "Links to that site are not allowed."
    assert [v.check for v in decision.verdicts] == ["a", "b", "a"]
