"""A practice session without a window: which sign to make next, and how each attempt went.

The app's practice view and ``signdesk practice`` drive the same :class:`PracticeSession`:
choose targets (a list, a search, a category, a random drill, the signs due for review), then
:meth:`PracticeSession.score` each attempt the pipeline cut. Scoring gives the verdict (was it
the target), feedback against the target's reference (when there is one: a custom sign's
reference take, else a bundled sign's averaged reference, see :mod:`signdesk.practice.reference`),
updates the score and streak, and records the attempt in the progress store (when one is given).
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING


from signdesk.custom import fold_name
from signdesk.practice import schedule
from signdesk.practice.feedback import (
    FeedbackItem,
    feedback,
    no_reference,
    summary_lines,
)
from signdesk.practice.verdict import (
    CORRECT_THRESHOLD,
    Verdict,
    verdict,
    verdict_of_prediction,
)

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.pipeline import AttemptResult
    from signdesk.practice.progress import ProgressStore
    from signdesk.recognizer import Label, ModelInfo

#: ``reference_for(label)``: the raw (T, 184, 4) landmarks and frame rate of the sign's
#: reference, or None when the sign has none.
ReferenceSource = Callable[["Label"], "tuple[NDArray, float] | None"]

#: Frame rate assumed when an attempt's own times cannot give one.
DEFAULT_FPS = 30.0


def default_reference_source(model: ModelInfo | str, custom: ReferenceSource | None = None) -> ReferenceSource:
    """``reference_for(label)``: ``custom``'s reference first (the learner's own take wins), else
    the bundled model's averaged reference (:func:`signdesk.practice.reference.bundled_reference`)
    for a bundled sign; ``model`` is the model or a bundled model's name."""
    from signdesk.custom import CUSTOM_PREFIX
    from signdesk.practice.reference import bundled_reference
    from signdesk.recognizer import bundled_models

    if isinstance(model, str):
        info = next((m for m in bundled_models() if m.name == model), None)
    else:
        info = model

    def reference_for(label: Label) -> tuple[NDArray, float] | None:
        ref = custom(label) if custom is not None else None
        if ref is not None or info is None or label.id.startswith(CUSTOM_PREFIX):
            return ref
        return bundled_reference(info, label)

    return reference_for


class TargetMode(enum.Enum):
    """How the current list of targets was chosen."""

    LIST = "list"
    SEARCH = "search"
    CATEGORY = "category"
    DRILL = "drill"
    DUE = "due"


def sign_key(label: Label) -> str:
    """The id a sign's progress is kept under: its label id, or its name when it has none."""
    return label.id or label.name


@dataclass(frozen=True)
class Scored:
    """One scored attempt: the verdict, the feedback items and the lines to show."""

    verdict: Verdict
    feedback: list[FeedbackItem]
    lines: list[str]
    has_reference: bool

    def to_json(self) -> dict:
        return {**self.verdict.to_json(), "feedback": self.lines, "has_reference": self.has_reference,
                "feedback_items": [i.to_json() for i in self.feedback]}


@dataclass(frozen=True)
class SessionSummary:
    """How a session went, for the end-of-session screen."""

    attempts: int
    correct: int
    best_streak: int
    mastered: int  # signs mastered (over all sessions; 0 without a progress store)
    to_review: int  # signs due for review now (0 without a progress store)

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0


@dataclass
class PracticeSession:
    """Targets to practise, the current one, and the running score."""

    labels: Sequence[Label]
    reference_for: ReferenceSource | None = None  # None: the bundled reference of ``model`` (if it is one)
    store: ProgressStore | None = None
    model: str = ""
    categories: Mapping[str, str] = field(default_factory=dict)  # sign key → category
    threshold: float = CORRECT_THRESHOLD
    left_handed: bool = False
    targets: list[Label] = field(default_factory=list, init=False)
    mode: TargetMode = field(default=TargetMode.LIST, init=False)
    index: int = field(default=0, init=False)
    attempts: int = field(default=0, init=False)
    correct: int = field(default=0, init=False)
    streak: int = field(default=0, init=False)
    best_streak: int = field(default=0, init=False)

    # --- choosing targets -----------------------------------------------------------------

    def _set(self, targets: Sequence[Label], mode: TargetMode) -> list[Label]:
        self.targets, self.mode, self.index = list(targets), mode, 0
        return self.targets

    def choose(self, targets: Sequence[Label]) -> list[Label]:
        """Practise exactly these signs, in this order."""
        return self._set(targets, TargetMode.LIST)

    def search(self, text: str) -> list[Label]:
        """Signs whose name, gloss or id contains ``text`` (case- and space-insensitive)."""
        key = fold_name(text)
        found = [lab for lab in self.labels
                 if key and any(key in fold_name(v) for v in (lab.name, lab.gloss, lab.id))]
        return self._set(found, TargetMode.SEARCH)

    def category(self, name: str) -> list[Label]:
        """Signs in one category."""
        key = fold_name(name)
        return self._set([lab for lab in self.labels if fold_name(self.categories.get(sign_key(lab), "")) == key],
                         TargetMode.CATEGORY)

    def drill(self, n: int, seed: int | None = None) -> list[Label]:
        """``n`` signs at random (repeats only when ``n`` exceeds the vocabulary); a seed repeats a drill."""
        rng = random.Random(seed)
        pool = list(self.labels)
        picks: list[Label] = []
        while pool and len(picks) < n:
            picks += rng.sample(pool, min(n - len(picks), len(pool)))
        return self._set(picks, TargetMode.DRILL)

    def due(self, now: datetime | None = None) -> list[Label]:
        """The signs due for review (most overdue first), among this session's labels."""
        by_key = {sign_key(lab): lab for lab in self.labels}
        ids = schedule.due(self.store, now) if self.store is not None else []
        return self._set([by_key[i] for i in ids if i in by_key], TargetMode.DUE)

    @property
    def current(self) -> Label | None:
        return self.targets[self.index] if 0 <= self.index < len(self.targets) else None

    def next(self) -> Label | None:
        """Move on to the next target (None after the last)."""
        self.index = min(self.index + 1, len(self.targets))
        return self.current

    # --- scoring ---------------------------------------------------------------------------

    def score(self, result: AttemptResult, probs: NDArray | None = None, labels: Sequence[Label] | None = None,
              fps: float | None = None, target: Label | None = None, when: datetime | None = None) -> Scored:
        """Score one attempt at ``target`` (default :attr:`current`).

        ``probs`` is the full probability vector over ``labels`` (default the session's), so
        the target's rank is exact; without it the prediction's top-k is used. Feedback needs
        the attempt's raw landmarks and the target's reference.
        """
        target = target or self.current
        if target is None:
            raise ValueError("no target sign chosen")
        if probs is not None:
            v = verdict(probs, labels if labels is not None else self.labels, target, self.threshold)
        else:
            v = verdict_of_prediction(result.prediction, target, self.threshold)
        items, has_ref = self._feedback(result, target, fps)
        scored = Scored(v, items, summary_lines(items) if has_ref else [i.message for i in items], has_ref)
        self._count(v.correct)
        if self.store is not None:
            self.store.record(sign_key(target), target.name, v.correct, v.target_confidence, model=self.model,
                              rank=v.target_rank, predicted=v.predicted.name, feedback=scored.lines, when=when)
        return scored

    def _feedback(self, result: AttemptResult, target: Label, fps: float | None) -> tuple[list[FeedbackItem], bool]:
        source = self.reference_for
        if source is None and self.model:
            source = default_reference_source(self.model)
        ref = source(target) if source is not None else None
        raw = result.attempt.raw
        if ref is None or raw is None:
            return no_reference(), False
        ref_raw, ref_fps = ref
        return feedback(raw, ref_raw, fps or result.attempt.fps(DEFAULT_FPS), ref_fps, self.left_handed), True

    def _count(self, correct: bool) -> None:
        self.attempts += 1
        self.correct += int(correct)
        self.streak = self.streak + 1 if correct else 0
        self.best_streak = max(self.best_streak, self.streak)

    def summary(self, now: datetime | None = None) -> SessionSummary:
        mastered = len(self.store.mastered()) if self.store is not None else 0
        to_review = len(schedule.due(self.store, now)) if self.store is not None else 0
        return SessionSummary(self.attempts, self.correct, self.best_streak, mastered, to_review)
