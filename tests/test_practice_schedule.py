"""Verdicts, the FSRS schedule and the practice session (no Qt, no model)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from fsrs import Card, Rating

from signdesk.practice import schedule
from signdesk.practice.feedback import Measure
from signdesk.practice.progress import ProgressStore
from signdesk.practice.session import PracticeSession, TargetMode, sign_key
from signdesk.practice.verdict import verdict, verdict_of_prediction
from signdesk.windowing import Attempt
from signdesk.recognizer import Label, Prediction

LABELS = [Label("hello", "hello", "hello"), Label("thank you", "thank you", "thankyou"),
          Label("yes", "yes", "yes"), Label("no", "no", "no")]
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_verdict_rank_threshold_and_alternatives():
    v = verdict([0.1, 0.6, 0.2, 0.1], LABELS, LABELS[1])
    assert v.correct and v.target_rank == 1 and v.target_confidence == pytest.approx(0.6)
    assert v.predicted == LABELS[1] and [lab for lab, _ in v.alternatives] == [LABELS[2], LABELS[0], LABELS[3]]
    unsure = verdict([0.3, 0.4, 0.2, 0.1], LABELS, LABELS[1])
    assert not unsure.correct and unsure.target_rank == 1
    wrong = verdict([0.1, 0.6, 0.2, 0.1], LABELS, LABELS[3])
    assert not wrong.correct and wrong.target_rank == 4 and wrong.predicted == LABELS[1]
    missing = verdict([0.1, 0.6, 0.2, 0.1], LABELS, Label("other", "", "other"))
    assert missing.target_rank is None and missing.target_confidence == 0.0
    top2 = verdict_of_prediction(Prediction([(LABELS[0], 0.7), (LABELS[1], 0.2)], np.zeros(4)), LABELS[2])
    assert top2.target_rank is None and top2.predicted == LABELS[0]
    with pytest.raises(ValueError):
        verdict([0.5, 0.5], LABELS, LABELS[0])


@pytest.mark.parametrize(("correct", "confidence", "rating"), [
    (False, 0.95, Rating.Again), (True, 0.55, Rating.Hard), (True, 0.8, Rating.Good), (True, 0.9, Rating.Easy)])
def test_ratings(correct, confidence, rating):
    assert schedule.rating_for(correct, confidence) is rating


def test_review_moves_the_due_date_by_rating():
    intervals = {}
    for name, (correct, conf) in {"again": (False, 0.1), "hard": (True, 0.6), "good": (True, 0.8),
                                  "easy": (True, 0.95)}.items():
        card = schedule.review(None, correct, conf, T0)
        Card.from_json(card)  # valid FSRS card JSON
        intervals[name] = schedule.due_at(card) - T0
    assert intervals["again"] < intervals["hard"] < intervals["good"] < intervals["easy"]
    assert intervals["easy"] >= timedelta(days=1)
    naive = schedule.review(None, True, 0.8, T0.replace(tzinfo=None))
    assert schedule.due_at(naive) == schedule.due_at(schedule.review(None, True, 0.8, T0))


def test_due_lists_most_overdue_first(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("yes", "yes", True, 0.95, when=T0)  # easy: due in days
    store.record("hello", "hello", False, 0.1, when=T0)  # again: due in a minute
    store.record("no", "no", True, 0.6, when=T0 + timedelta(seconds=30))  # hard: minutes
    assert schedule.due(store, T0) == []
    assert schedule.due(store, T0 + timedelta(hours=1)) == ["hello", "no"]
    assert schedule.due(store, T0 + timedelta(days=60)) == ["hello", "no", "yes"]
    store.close()


class _Result:
    def __init__(self, raw, prediction=None):
        self.attempt = Attempt(0, len(raw) - 1, 0.0, (len(raw) - 1) / 30, raw, raw)
        self.prediction = prediction


def test_session_targets():
    s = PracticeSession(LABELS, categories={"hello": "greetings", "thankyou": "Greetings", "yes": "answers"})
    assert s.search("THANK") == [LABELS[1]] and s.mode is TargetMode.SEARCH
    assert s.search("o") == [LABELS[0], LABELS[1], LABELS[3]]
    assert s.category("greetings") == LABELS[:2] and s.mode is TargetMode.CATEGORY
    drill = s.drill(6, seed=3)
    assert len(drill) == 6 and set(drill) == set(LABELS) and s.drill(6, seed=3) == drill
    assert s.current == drill[0] and s.next() == drill[1]
    s.choose([LABELS[2]])
    assert s.current == LABELS[2] and s.next() is None and s.current is None


def test_session_scores_records_and_summarizes(tmp_path):
    rng = np.random.default_rng(0)
    raw = rng.uniform(0.2, 0.8, (30, 184, 4)).astype(np.float32)
    store = ProgressStore(tmp_path / "p.sqlite3")
    refs = {"hello": (raw, 30.0)}
    s = PracticeSession(LABELS, reference_for=lambda lab: refs.get(sign_key(lab)), store=store, model="m")
    s.choose([LABELS[0], LABELS[1]])
    first = s.score(_Result(raw), np.array([0.7, 0.1, 0.1, 0.1]), when=T0)
    assert first.verdict.correct and first.has_reference
    assert first.lines and all(i.measure is not Measure.VIEW for i in first.feedback)
    s.next()
    second = s.score(_Result(raw), np.array([0.7, 0.1, 0.1, 0.1]), when=T0)
    assert not second.verdict.correct and not second.has_reference
    assert "No reference is available" in second.lines[0]
    assert (s.attempts, s.correct, s.streak, s.best_streak) == (2, 1, 0, 1)
    history = store.history()
    assert [(h.sign_id, h.correct, h.rank, h.predicted, h.model) for h in history] == [
        ("hello", True, 1, "hello", "m"), ("thankyou", False, 2, "hello", "m")]
    summary = s.summary(T0 + timedelta(hours=1))
    assert (summary.attempts, summary.correct, summary.mastered, summary.to_review) == (2, 1, 0, 2)
    assert s.due(T0 + timedelta(hours=1)) == [LABELS[1], LABELS[0]]  # Again (1 min) before Good (10 min)
    assert s.mode is TargetMode.DUE
    store.close()
