"""One clip's body, analysed for feedback: shoulder frame, face levels, and each hand's track.

Positions are in *shoulder widths* from the shoulder midpoint, in the signer's own
directions: the camera picture is not mirrored, so the signer's right is image-left;
``lateral > 0`` is toward the signer's right and ``up > 0`` is up.
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from signdesk.landmarks import (
    FACE_ROWS,
    LEFT_HAND_ROWS,
    RIGHT_HAND_ROWS,
    X,
    Y,
    mirror_rows,
)

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

#: A hand counts as used when seen in this share of frames: MediaPipe loses a moving hand for
#: a few frames, and a hand resting in the lap is sometimes glimpsed, so neither is "used".
HAND_USED_FRACTION = 0.3
#: Fewest frames with a hand seen before its place, movement or shape are compared: fewer
#: give a mean that is mostly noise.
MIN_HAND_FRAMES = 3
#: Frames of the moving average applied to wrist tracks before path lengths: tracking jitter
#: of a still hand would otherwise add up to a visible "movement".
SMOOTH_FRAMES = 5


class Hand(enum.Enum):
    """The signer's own hand (rows 142-162 are the right hand, 163-183 the left)."""

    RIGHT = "right"
    LEFT = "left"

    @property
    def rows(self) -> slice:
        return RIGHT_HAND_ROWS if self is Hand.RIGHT else LEFT_HAND_ROWS

    @property
    def other(self) -> Hand:
        return Hand.LEFT if self is Hand.RIGHT else Hand.RIGHT


def mirror(raw: NDArray) -> NDArray:
    """The mirror image of raw landmarks (hands, shoulders and face sides swapped, x → 1 - x)."""
    out = np.asarray(raw, dtype=np.float32)[..., mirror_rows(), :].copy()
    present = np.any(out != 0, axis=-1)
    out[..., X] = np.where(present, 1.0 - out[..., X], 0.0)
    return out


def present(raw: NDArray, rows: slice) -> NDArray:
    return np.any(raw[:, rows, :] != 0, axis=(1, 2))


@dataclass(frozen=True)
class Body:
    """A clip's body frame: shoulder midpoint and width (image units) and face levels.

    Face levels are heights in shoulder widths above the shoulder line: chin, face centre
    and forehead (lowest, mean and highest face point), used to name a height in words.
    """

    mid: NDArray  # (2,) x, y
    width: float
    chin: float
    centre: float
    forehead: float

    def to_body(self, xy: NDArray) -> NDArray:
        """Image (…, 2) → signer coordinates (…, 2): (lateral toward the signer's right, up)."""
        d = (np.asarray(xy, dtype=np.float64) - self.mid) / self.width
        return np.stack([-d[..., 0], -d[..., 1]], axis=-1)

    def level(self, up: float) -> str:
        """A height in words, from the face and the shoulder line."""
        for limit, name in ((self.forehead, "above the head"),
                            ((self.centre + self.forehead) / 2, "forehead height"),
                            ((self.centre + self.chin) / 2, "face height"),
                            (self.chin - 0.1, "chin height"),
                            (0.1, "neck height"),
                            (-1.0, "chest height")):
            if up >= limit:
                return name
        return "waist height"


def body_of(raw: NDArray) -> Body | None:
    """The median body frame over frames with both shoulders, or ``None`` without shoulders."""
    sh = raw[:, 0:2, :]
    ok = np.all(np.any(sh != 0, axis=-1), axis=-1)
    if not ok.any():
        return None
    left, right = sh[ok, 0, :2].astype(np.float64), sh[ok, 1, :2].astype(np.float64)
    mid = np.median((left + right) / 2, axis=0)
    width = float(np.median(np.linalg.norm(left - right, axis=-1)))
    if width < 1e-4:
        return None
    face_ok = present(raw, FACE_ROWS)
    if face_ok.any():
        face_y = raw[face_ok][:, FACE_ROWS, Y].astype(np.float64)
        chin, centre, forehead = (float(np.median((mid[1] - v) / width))
                                  for v in (face_y.max(1), face_y.mean(1), face_y.min(1)))
    else:  # typical proportions when the face was not seen
        chin, centre, forehead = 0.55, 0.9, 1.3
    return Body(mid, width, chin, centre, forehead)


_FINGERS = ((1, 2, 3, 4), (5, 6, 7, 8), (9, 10, 11, 12), (13, 14, 15, 16), (17, 18, 19, 20))
FINGER_NAMES = ("thumb", "index finger", "middle finger", "ring finger", "little finger")


def hand_shape(points: NDArray) -> tuple[NDArray, float]:
    """Per-frame shape of one hand (…, 21, 3): finger extensions (…, 5) and spread (…) in degrees.

    Extension is the base-to-tip distance over the finger's length (1 = straight, smaller =
    bent); spread is the mean angle between neighbouring fingers' first segments. Both are
    ratios and angles, so they do not depend on where the hand is, how large it looks, or how
    the wrist is turned.
    """
    p = np.asarray(points, dtype=np.float64)
    ext = []
    for chain in _FINGERS:
        seg = sum(np.linalg.norm(p[..., b, :] - p[..., a, :], axis=-1) for a, b in itertools.pairwise(chain))
        ext.append(np.linalg.norm(p[..., chain[-1], :] - p[..., chain[0], :], axis=-1) / np.maximum(seg, 1e-9))
    dirs = [p[..., c[1], :] - p[..., c[0], :] for c in _FINGERS[1:]]
    dirs = [d / np.maximum(np.linalg.norm(d, axis=-1, keepdims=True), 1e-9) for d in dirs]
    angles = [np.degrees(np.arccos(np.clip((a * b).sum(-1), -1, 1))) for a, b in itertools.pairwise(dirs)]
    return np.stack(ext, axis=-1), np.mean(angles, axis=0)


def _smooth(track: NDArray, n: int = SMOOTH_FRAMES) -> NDArray:
    if len(track) < n:
        return track
    kernel = np.ones(n) / n
    return np.stack([np.convolve(track[:, i], kernel, mode="valid") for i in range(track.shape[1])], axis=-1)


@dataclass(frozen=True)
class HandTrack:
    """One hand through a clip: where it was seen, its wrist path and its average shape."""

    seen: NDArray  # (T,) bool
    wrist: NDArray  # (n, 2) signer coordinates of the frames where it was seen
    runs: list[NDArray]  # the wrist track split at gaps, each smoothed
    extension: NDArray  # (5,) mean finger extension
    spread: float  # mean spread in degrees
    points: NDArray  # (21, 3) mean hand landmarks relative to the wrist, in palm sizes

    @property
    def fraction(self) -> float:
        return float(self.seen.mean()) if len(self.seen) else 0.0

    @property
    def used(self) -> bool:
        return self.fraction >= HAND_USED_FRACTION

    @property
    def enough(self) -> bool:
        return int(self.seen.sum()) >= MIN_HAND_FRAMES

    @property
    def position(self) -> NDArray:
        return self.wrist.mean(axis=0)

    @property
    def path(self) -> float:
        return float(sum(np.linalg.norm(np.diff(r, axis=0), axis=-1).sum() for r in self.runs))

    @property
    def displacement(self) -> NDArray:
        return self.runs[-1][-1] - self.runs[0][0] if self.runs else np.zeros(2)


def track_of(raw: NDArray, hand: Hand, body: Body | None) -> HandTrack:
    seen = present(raw, hand.rows)
    pts = raw[seen][:, hand.rows, :3].astype(np.float64)
    if not len(pts) or body is None:
        return HandTrack(seen, np.zeros((0, 2)), [], np.ones(5), 0.0, np.zeros((21, 3)))
    wrist = body.to_body(pts[:, 0, :2])
    idx = np.flatnonzero(seen)
    breaks = np.flatnonzero(np.diff(idx) > 1) + 1
    runs = [_smooth(r) for r in np.split(wrist, breaks) if len(r) > 1]
    ext, spread = hand_shape(pts)
    rel = pts - pts[:, :1, :]
    palm = np.maximum(np.linalg.norm(rel[:, 9, :2], axis=-1), 1e-9)
    return HandTrack(seen, wrist, runs, ext.mean(axis=0), float(spread.mean()),
                     (rel / palm[:, None, None]).mean(axis=0))
