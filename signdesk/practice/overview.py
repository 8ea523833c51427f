"""The learner's progress at a glance: per day (accuracy, signs mastered so far) and per sign.

Read from a :class:`~signdesk.practice.progress.ProgressStore` in one go (the progress page
runs it in the background thread). "Mastered" means what :meth:`ProgressStore.mastered` means;
the count at the end of each past day is found by replaying that day's review cards, so the
last day's count equals the store's current one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from signdesk.practice import schedule
from signdesk.practice.progress import (
    MASTERED_STABILITY_DAYS,
    MASTERED_STREAK,
    AttemptRecord,
)

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.practice.progress import ProgressStore


@dataclass(frozen=True)
class DayPoint:
    """One (local) day with attempts: how many, how many right, and signs mastered by its end."""

    day: date
    attempts: int
    correct: int
    mastered: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0


@dataclass(frozen=True)
class SignRow:
    """One practised sign: its tally, when it was last practised and when it is due again."""

    sign_id: str
    name: str
    attempts: int
    correct: int
    last: datetime
    streak: int
    due: datetime | None
    mastered: bool

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0


@dataclass(frozen=True)
class Overview:
    """Everything the progress page shows."""

    days: list[DayPoint] = field(default_factory=list)
    signs: list[SignRow] = field(default_factory=list)
    history: list[AttemptRecord] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.history

    @property
    def attempts(self) -> int:
        return len(self.history)

    @property
    def accuracy(self) -> float:
        return sum(r.correct for r in self.history) / len(self.history) if self.history else 0.0

    @property
    def mastered(self) -> int:
        return sum(row.mastered for row in self.signs)

    def attempts_of(self, sign_id: str) -> list[AttemptRecord]:
        """One sign's attempts, newest first."""
        return [r for r in reversed(self.history) if r.sign_id == sign_id]

    def due_now(self, now: datetime) -> int:
        return sum(1 for row in self.signs if row.due is not None and row.due <= now)


def _is_mastered(card: str | None, streak: int) -> bool:
    return schedule.stability(card) >= MASTERED_STABILITY_DAYS or streak >= MASTERED_STREAK


def overview(store: ProgressStore, tz: tzinfo | None = None) -> Overview:
    """Days (in ``tz``, default the local time zone) and signs of the store's history."""
    history = store.history()
    cards: dict[str, str | None] = {}
    streaks: dict[str, int] = {}
    tally: dict[date, list[int]] = {}
    mastered_by_day: dict[date, int] = {}
    for record in history:
        day = record.time.astimezone(tz).date()
        card = schedule.review(cards.get(record.sign_id), record.correct, record.confidence, record.time)
        cards[record.sign_id] = card
        streaks[record.sign_id] = streaks.get(record.sign_id, 0) + 1 if record.correct else 0
        counts = tally.setdefault(day, [0, 0])
        counts[0] += 1
        counts[1] += int(record.correct)
        mastered_by_day[day] = sum(_is_mastered(cards[s], streaks[s]) for s in cards)
    days = [DayPoint(day, n, c, mastered_by_day[day]) for day, (n, c) in sorted(tally.items())]
    stored = store.cards()
    rows: dict[str, list] = {}
    for record in history:  # oldest first: the last one seen is the latest name and time
        row = rows.setdefault(record.sign_id, [record.sign_name, 0, 0, record.time])
        row[0], row[3] = record.sign_name, record.time
        row[1] += 1
        row[2] += int(record.correct)
    signs = []
    for sign_id, (name, n, c, last) in rows.items():
        card = stored.get(sign_id)
        signs.append(SignRow(sign_id, name, n, c, last, streaks[sign_id],
                             schedule.due_at(card) if card else None, _is_mastered(card, streaks[sign_id])))
    signs.sort(key=lambda r: r.last, reverse=True)
    return Overview(days, signs, history)
