"""Was an attempt the target sign? The verdict from the model's ranking over every sign."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.recognizer import Label, Prediction

#: The target must be the top sign with at least this probability to count as correct: a top-1
#: at 30% among near ties is a guess, and counting it would schedule the sign too far ahead.
CORRECT_THRESHOLD = 0.5
#: Alternatives kept beside the top sign (what the attempt looked like instead).
ALTERNATIVES = 3


@dataclass(frozen=True)
class Verdict:
    """The target's standing in one attempt's ranking."""

    target: Label
    correct: bool
    target_confidence: float
    target_rank: int | None  # 1-based; None when the target is not among the ranked signs
    predicted: Label
    predicted_confidence: float
    alternatives: tuple[tuple[Label, float], ...]  # the next signs after the top one

    def to_json(self) -> dict:
        def label(lab: Label) -> dict:
            return {"name": lab.name, "gloss": lab.gloss, "id": lab.id}

        return {"target": label(self.target), "correct": self.correct,
                "target_confidence": round(self.target_confidence, 4), "target_rank": self.target_rank,
                "predicted": label(self.predicted), "predicted_confidence": round(self.predicted_confidence, 4),
                "alternatives": [{**label(lab), "probability": round(p, 4)} for lab, p in self.alternatives]}


def same_sign(a: Label, b: Label) -> bool:
    """Labels name one sign: equal ids when both have one, else equal names."""
    if a.id and b.id:
        return a.id == b.id
    return a.name == b.name


def verdict(probs: NDArray | Sequence[float], labels: Sequence[Label], target: Label,
            threshold: float = CORRECT_THRESHOLD) -> Verdict:
    """The verdict from the full probability vector over ``labels`` (so the rank is exact)."""
    p = np.asarray(probs, dtype=np.float64).reshape(-1)
    if len(p) != len(labels) or len(p) == 0:
        raise ValueError(f"{len(p)} probabilities for {len(labels)} labels")
    order = np.argsort(-p, kind="stable")
    index = next((i for i, lab in enumerate(labels) if same_sign(lab, target)), None)
    rank = int(np.flatnonzero(order == index)[0]) + 1 if index is not None else None
    confidence = float(p[index]) if index is not None else 0.0
    top = int(order[0])
    return Verdict(target, rank == 1 and confidence >= threshold, confidence, rank, labels[top], float(p[top]),
                   tuple((labels[i], float(p[i])) for i in order[1:1 + ALTERNATIVES]))


def verdict_of_prediction(prediction: Prediction, target: Label, threshold: float = CORRECT_THRESHOLD) -> Verdict:
    """The verdict from a top-k :class:`Prediction` (rank is None when the target is outside the top k)."""
    labels = [lab for lab, _ in prediction.top]
    probs = [p for _, p in prediction.top]
    return verdict(probs, labels, target, threshold)
