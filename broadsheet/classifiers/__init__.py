"""Pure content checks for comments: text in, scores and reasons out.

No ORM and no Django models here, so every scorer is a plain function that
unit tests and benchmarks call alone. The entry point is
`broadsheet.classifiers.scoring.assess`; the intake pipeline
(`broadsheet.moderation.checks`) turns its assessment into verdicts.
"""
