"""The progress overview (signdesk.practice.overview): days, signs mastered by each day, sign rows.

``seed_history`` makes a made-up practice history through the real ProgressStore API; the
progress page tests and the documentation's demo screenshot use it (the docs say it is a demo).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from signdesk.practice import schedule
from signdesk.practice.overview import overview
from signdesk.practice.progress import MASTERED_STREAK, ProgressStore

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SIGNS = [("0071", "هيكل عظمي"), ("0072", "جمجة"), ("0073", "عمود فقري"), ("0074", "قفص صدري")]


def seed_history(store: ProgressStore, signs: Sequence[tuple[str, str]] = SIGNS, days: int = 8, per_day: int = 12,
                 start: datetime = T0, seed: int = 0, model: str = "karsl-arabic") -> int:
    """A demo history: about ``per_day`` attempts (half to one and a half times as many) on practice
    days (every fourth day skipped), getting better over the days; returns how many were recorded."""
    rng = random.Random(seed)
    n = 0
    for d in range(days):
        if d % 4 == 3:
            continue
        skill = 0.35 + 0.6 * d / max(days - 1, 1)
        for k in range(rng.randint(per_day // 2, per_day * 3 // 2)):
            sign_id, name = signs[rng.randrange(len(signs))]
            correct = rng.random() < skill
            confidence = rng.uniform(0.75, 0.98) if correct else rng.uniform(0.05, 0.45)
            other = next(s for s in signs if s[0] != sign_id)[1]
            store.record(sign_id, name, correct, confidence, model=model, rank=1 if correct else 2,
                         predicted=name if correct else other,
                         feedback=[] if correct else ["Your right hand was lower than in the reference."],
                         when=start + timedelta(days=d, minutes=3 * k))
            n += 1
    return n


def test_an_empty_store_has_an_empty_overview(tmp_path):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        ov = overview(store)
    assert ov.empty and ov.days == [] and ov.signs == [] and ov.attempts == 0 and ov.accuracy == 0.0


def test_days_match_the_store_and_the_last_days_mastered_count_is_the_stores(tmp_path):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        n = seed_history(store)
        ov = overview(store, tz=UTC)
        per_day = store.per_day(tz=UTC)
        mastered = store.mastered()
        cards = store.cards()
    assert len(ov.days) == 6 and ov.attempts == n > 0  # 8 days, 2 of them skipped
    assert [(p.day, p.attempts, p.correct) for p in ov.days] == [(d.day, d.attempts, d.correct) for d in per_day]
    assert ov.days[-1].accuracy > ov.days[0].accuracy  # the demo learner gets better
    assert ov.days[-1].mastered == len(mastered) == ov.mastered
    assert {r.sign_id for r in ov.signs if r.mastered} == set(mastered)
    assert {r.sign_id: r.due for r in ov.signs} == {s: schedule.due_at(c) for s, c in cards.items()}
    assert sum(r.attempts for r in ov.signs) == n


def test_a_sign_counts_as_mastered_from_the_day_its_streak_reached_the_line(tmp_path):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record("hello", "hello", False, 0.2, when=T0)
        for k in range(MASTERED_STREAK):
            store.record("hello", "hello", True, 0.6, when=T0 + timedelta(days=1, minutes=k))
        store.record("yes", "yes", False, 0.1, when=T0 + timedelta(days=2))
        ov = overview(store, tz=UTC)
    assert [(p.day.day, p.attempts, p.correct, p.mastered) for p in ov.days] == [
        (1, 1, 0, 0), (2, MASTERED_STREAK, MASTERED_STREAK, 1), (3, 1, 0, 1)]
    hello, yes = sorted(ov.signs, key=lambda r: r.sign_id)
    assert (hello.attempts, hello.correct, hello.streak, hello.mastered) == (6, 5, 5, True)
    assert (yes.attempts, yes.streak, yes.mastered, yes.accuracy) == (1, 0, False, 0.0)
    assert ov.signs[0].sign_id == "yes"  # practised last comes first
    assert [r.correct for r in ov.attempts_of("hello")] == [True] * 5 + [False]  # newest first


def test_a_sign_keeps_its_latest_name(tmp_path):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record("c1", "wave", True, 0.9, when=T0)
        store.record("c1", "wave hello", True, 0.9, when=T0 + timedelta(hours=1))
        (row,) = overview(store).signs
    assert (row.name, row.last) == ("wave hello", T0 + timedelta(hours=1))
