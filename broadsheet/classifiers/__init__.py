"""Pure content checks for comments: text in, scores and reasons out.

No ORM and no Django models here, so every scorer is a plain function that
unit tests and benchmarks call alone. The intake pipeline (moderation) wires
them in through `broadsheet.classifiers.checks`; the entry point for scores is
`broadsheet.classifiers.scoring.assess`.
"""
