"""When to practise a sign again: a thin wrapper over the FSRS spaced-repetition scheduler.

A verdict becomes an FSRS rating (wrong → Again, right but unsure → Hard, right → Good,
right and sure → Easy); the card (FSRS's memory state of one sign) is kept as JSON in the
progress store, so this module holds no state of its own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from fsrs import Card, Rating, Scheduler

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.practice.progress import ProgressStore

#: Below this confidence a correct attempt is rated Hard: it only just beat the others.
HARD_BELOW = 0.7
#: At or above this confidence a correct attempt is rated Easy.
EASY_FROM = 0.9

#: One scheduler for the app; fuzzing off so the same history gives the same schedule (tests,
#: and two devices replaying one export).
_SCHEDULER = Scheduler(enable_fuzzing=False)


def rating_for(correct: bool, confidence: float) -> Rating:
    """The FSRS rating of one verdict."""
    if not correct:
        return Rating.Again
    if confidence >= EASY_FROM:
        return Rating.Easy
    if confidence < HARD_BELOW:
        return Rating.Hard
    return Rating.Good


def _utc(when: datetime | None) -> datetime:
    if when is None:
        return datetime.now(UTC)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def new_card(when: datetime | None = None) -> Card:
    """A card never reviewed (card id 0: the sign id is the key, FSRS's id is not used)."""
    return Card(card_id=0, due=_utc(when))


def load_card(card_json: str | None, when: datetime | None = None) -> Card:
    return Card.from_json(card_json) if card_json else new_card(when)


def review(card_json: str | None, correct: bool, confidence: float, when: datetime | None = None) -> str:
    """The card after one attempt at ``when`` (UTC; naive means UTC), as JSON."""
    when = _utc(when)
    card, _ = _SCHEDULER.review_card(load_card(card_json, when), rating_for(correct, confidence), when)
    return card.to_json()


def due_at(card_json: str) -> datetime:
    return _utc(Card.from_json(card_json).due)


def stability(card_json: str | None) -> float:
    """FSRS stability in days (0 for a card never reviewed): how long recall is expected to last."""
    if not card_json:
        return 0.0
    return float(Card.from_json(card_json).stability or 0.0)


def due(store: ProgressStore, now: datetime | None = None) -> list[str]:
    """Ids of the signs due for review at ``now``, most overdue first."""
    now = _utc(now)
    cards = [(due_at(card), sign) for sign, card in store.cards().items()]
    return [sign for when, sign in sorted(cards) if when <= now]
