"""Calibration of a model's top-1 confidence: is a sign shown at 90 % right 90 % of the time?

The app hides a result as "not sure" below a confidence threshold, so accuracy alone does not say
what users see: these figures say whether the confidence can be trusted and which threshold
keeps wrong answers rare. Pure numpy on (confidence, correct) pairs, so that ``signdesk evaluate``
and training report the same figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike, NDArray

#: Equal-width confidence bins over [0, 1], as in Guo et al. 2017 ("On calibration of modern
#: neural networks"), so figures compare with published ones.
BINS = 15
#: Precision the app should reach when it does show a sign: 1 wrong answer in 20.
TARGET_PRECISION = 0.95


@dataclass(frozen=True)
class Bin:
    """One non-empty confidence bin ``(lo, hi]``: a point of the reliability diagram."""

    lo: float
    hi: float
    n: int
    accuracy: float
    confidence: float  # mean top-1 confidence of the bin's clips

    def to_json(self) -> dict:
        return asdict(self)


def _pairs(confidence: ArrayLike, correct: ArrayLike) -> tuple[NDArray, NDArray]:
    conf = np.asarray(confidence, dtype=np.float64).reshape(-1)
    hit = np.asarray(correct, dtype=bool).reshape(-1)
    if conf.shape != hit.shape:
        raise ValueError(f"{conf.size} confidences for {hit.size} outcomes")
    return conf, hit


def reliability(confidence: ArrayLike, correct: ArrayLike, bins: int = BINS) -> list[Bin]:
    """The non-empty bins of equal width over [0, 1] (upper edge inclusive, 0 in the first bin).

    Accuracy against mean confidence per bin shows *where* the model is over- or under-confident,
    which one ECE figure hides.
    """
    conf, hit = _pairs(confidence, correct)
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.searchsorted(edges, conf, side="left") - 1, 0, bins - 1)
    out = []
    for b in np.unique(index):
        in_bin = index == b
        out.append(Bin(float(edges[b]), float(edges[b + 1]), int(in_bin.sum()),
                       float(hit[in_bin].mean()), float(conf[in_bin].mean())))
    return out


def expected_calibration_error(confidence: ArrayLike, correct: ArrayLike, bins: int = BINS) -> float:
    """ECE = sum over bins of (n_bin / n) * |accuracy_bin - mean confidence_bin|; NaN for no clips.

    0 means a shown confidence is the chance the sign is right, so a "not sure" threshold set
    by the user means what it says; 0.5 is e.g. 100 % confidence on coin-flip answers.
    """
    conf, _ = _pairs(confidence, correct)
    if not conf.size:
        return float("nan")
    return float(sum(b.n * abs(b.accuracy - b.confidence) for b in reliability(confidence, correct, bins)) / conf.size)


def precision_at(confidence: ArrayLike, correct: ArrayLike, threshold: float) -> tuple[float | None, float]:
    """(precision, coverage) of the answers kept at ``confidence >= threshold``.

    What the app would show at that threshold: how often a shown sign is right, and what share
    of the attempts is shown at all. Precision is None when nothing is kept.
    """
    conf, hit = _pairs(confidence, correct)
    kept = conf >= threshold
    if not kept.any():
        return None, 0.0
    return float(hit[kept].mean()), float(kept.mean())


def precision_threshold(confidence: ArrayLike, correct: ArrayLike, target: float = TARGET_PRECISION) -> float | None:
    """The smallest observed confidence t such that the answers with confidence >= t are at least
    ``target`` right; None when no threshold reaches it.

    The smallest such t shows the most answers while keeping wrong ones rare. Every observed
    value is tried, not only the first crossing from the top: precision is not monotone in t.
    Clips with equal confidence are kept or dropped together, as a threshold would.
    """
    conf, hit = _pairs(confidence, correct)
    if not conf.size:
        return None
    order = np.argsort(-conf, kind="stable")
    conf, hit = conf[order], hit[order]
    precision = np.cumsum(hit) / np.arange(1, conf.size + 1)
    group_end = np.append(conf[1:] != conf[:-1], True)  # last clip of each run of equal confidence
    ok = np.flatnonzero(group_end & (precision >= target))
    return float(conf[ok[-1]]) if ok.size else None
