"""Practice mode without a window: verdicts, feedback against a reference, progress, schedule.

``verdict`` (was it the target sign), ``feedback`` (plain-language comparison of raw
landmarks with a reference), ``progress`` (the SQLite history), ``schedule`` (FSRS review
times) and ``session`` (targets, scoring, score and streak). No Qt: the practice view
subscribes to a :class:`~signdesk.practice.session.PracticeSession`.
"""
