"""The 50-frame model window, the signing detector, and sign-attempt segmentation.

Frames arrive one at a time (live camera or video file). The :class:`SlidingWindow` keeps the
last ``WINDOW_LENGTH`` normalized frames in a preallocated ring buffer and produces the model
input, padding a short history by repeating the last frame. :class:`SigningDetector` says
whether a hand is up; :class:`AttemptSegmenter` turns the hands-up / hands-down stream into
sign attempts so that each attempt gets one final prediction and a user sitting still gets
none. :func:`to_window` is the one function that turns any clip into a model input; training,
evaluation and the final prediction of a live attempt all use it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from signdesk.landmarks import (
    FEATURE_DIM,
    LEFT_HAND_ROWS,
    N_CHANNELS,
    N_LANDMARKS,
    PARTS,
    RIGHT_HAND_ROWS,
    VIS,
    WINDOW_LENGTH,
    Y,
    normalize,
)

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray


def to_window(frames: NDArray, length: int = WINDOW_LENGTH) -> NDArray:
    """Turn a clip of normalized frames (T, 184, 4) into one model input (length, 736).

    A clip shorter than ``length`` is padded by repeating its last frame (as the live window
    does); a longer one is sampled at ``length`` evenly spaced frames so that the whole sign
    is seen.
    """
    frames = np.asarray(frames, dtype=np.float32)
    if frames.ndim != 3 or frames.shape[1:] != (N_LANDMARKS, N_CHANNELS):
        raise ValueError(f"expected (T, {N_LANDMARKS}, {N_CHANNELS}) frames, got {frames.shape}")
    n = len(frames)
    if n == 0:
        raise ValueError("cannot build a window from an empty clip")
    if n > length:
        idx = np.round(np.linspace(0, n - 1, length)).astype(np.int64)
    else:
        idx = np.minimum(np.arange(length), n - 1)
    return frames[idx].reshape(length, FEATURE_DIM)


def window_of(raw: NDArray) -> NDArray:
    """A whole clip of raw (T, 184, 4) landmarks → the model input (50, 736), as the app does it."""
    return to_window(normalize(raw))


class SlidingWindow:
    """The last ``length`` normalized frames, as the model sees them.

    Uses a preallocated ring buffer; :meth:`model_input` writes into a preallocated output,
    so pushing frames allocates nothing.
    """

    def __init__(self, length: int = WINDOW_LENGTH) -> None:
        if length < 1:
            raise ValueError("window length must be at least 1")
        self.length = length
        self._ring = np.zeros((length, FEATURE_DIM), dtype=np.float32)
        self._out = np.zeros((1, length, FEATURE_DIM), dtype=np.float32)
        self._next = 0
        self.count = 0  # frames pushed since the last reset (not capped)

    def push(self, normalized_frame: NDArray) -> None:
        self._ring[self._next] = np.asarray(normalized_frame, dtype=np.float32).reshape(FEATURE_DIM)
        self._next = (self._next + 1) % self.length
        self.count += 1

    def __len__(self) -> int:
        return min(self.count, self.length)

    def reset(self) -> None:
        self._next = 0
        self.count = 0

    def model_input(self) -> NDArray:
        """(1, length, 736) in time order; fewer frames than ``length`` are padded with the last.

        The returned array is reused by the next call: copy it to keep it.
        """
        n = len(self)
        if n == 0:
            raise ValueError("the window is empty")
        out = self._out[0]
        if n < self.length:
            out[:n] = self._ring[:n]
            out[n:] = self._ring[n - 1]
        else:
            start = self._next  # oldest frame
            tail = self.length - start
            out[:tail] = self._ring[start:]
            out[tail:] = self._ring[:start]
        return self._out


@dataclass
class SigningDetector:
    """Is a hand up? Decided on *raw* (unnormalized) landmarks.

    A hand counts as up when MediaPipe found it and, if the shoulders are known, its wrist is
    above ``shoulder line + drop * shoulder width`` (image y grows downwards). Hands resting
    in the lap or hanging by the side therefore do not start an attempt.
    """

    drop: float = 1.6

    def hand_up(self, raw: NDArray) -> bool:
        """A hand or shoulder holding NaN or infinity counts as not found (MediaPipe glitches)."""
        pose = raw[PARTS["pose"]]
        shoulders_known = pose[0, VIS] > 0.3 and pose[1, VIS] > 0.3 and bool(np.isfinite(pose[:2, :2]).all())
        limit = None
        if shoulders_known:
            with np.errstate(over="ignore", invalid="ignore"):
                width = float(np.hypot(*(pose[0, :2].astype(np.float64) - pose[1, :2])))
                limit = float((float(pose[0, Y]) + float(pose[1, Y])) / 2) + self.drop * width
            if not np.isfinite(limit):
                limit = None
        for rows in (RIGHT_HAND_ROWS, LEFT_HAND_ROWS):
            hand = raw[rows]
            if not np.any(hand[:, VIS] > 0) or not np.isfinite(hand[:, :2]).all():
                continue
            if limit is None or hand[0, Y] < limit:
                return True
        return False


@dataclass
class Attempt:
    """One sign attempt: frames between hands up and hands down."""

    start_frame: int
    end_frame: int  # inclusive: the last frame with a hand up
    start_time: float
    end_time: float
    frames: NDArray  # (T, 184, 4) normalized
    raw: NDArray | None = None  # (T, 184, 4) as MediaPipe gave them, when the caller passed them

    @property
    def duration(self) -> float:
        return self.end_time - self.start_time

    def fps(self, fallback: float = 30.0) -> float:
        """The rate its frames were analysed at (the camera's when none was dropped), for
        replaying it at its own speed; ``fallback`` when its frames cannot tell."""
        n = len(self.frames)
        rate = (n - 1) / self.duration if n > 1 and self.duration > 0 else fallback
        if not math.isfinite(rate) or rate <= 0:
            rate = fallback if math.isfinite(fallback) and fallback > 0 else 30.0
        return float(min(240.0, max(1.0, rate)))


@dataclass
class AttemptSegmenter:
    """Hands up → hands down, with hysteresis, as a stream of attempts.

    An attempt opens after ``start_frames`` consecutive hand-up frames (the frames that opened
    it belong to it) and closes after ``end_frames`` consecutive hand-down frames. Fewer
    hand-down frames inside an attempt (MediaPipe losing a hand for a moment) are kept as part
    of it. Attempts shorter than ``min_frames`` are dropped as flicker. ``max_frames`` bounds
    memory: a very long attempt keeps only its most recent frames.
    """

    start_frames: int = 2
    end_frames: int = 3
    min_frames: int = 6
    max_frames: int = 300
    active: bool = field(default=False, init=False)
    _kept: list = field(default_factory=list, init=False, repr=False)  # (index, time, frame, raw)
    _waiting: list = field(default_factory=list, init=False, repr=False)  # not yet part of it

    def reset(self) -> None:
        self.active = False
        self._kept.clear()
        self._waiting.clear()

    def push(self, index: int, time: float, normalized: NDArray, hand_up: bool,
             raw: NDArray | None = None) -> Attempt | None:
        """Feed one frame; returns the attempt that this frame closed, if any.

        ``raw`` (the frame before normalization) is kept beside it when given, so the attempt
        can be recorded as a custom sign's take.

        While idle, ``_waiting`` holds the run of hand-up frames that may open an attempt;
        while active, it holds the run of hand-down frames that may close it.
        """
        item = (index, time, normalized.copy(), None if raw is None else raw.copy())
        if not self.active:
            if not hand_up:
                self._waiting.clear()
                return None
            self._waiting.append(item)
            if len(self._waiting) >= self.start_frames:
                self.active = True
                self._kept.extend(self._waiting)
                self._waiting.clear()
            return None
        if not hand_up:
            self._waiting.append(item)
            return self.finish() if len(self._waiting) >= self.end_frames else None
        self._kept.extend(self._waiting)
        self._waiting.clear()
        self._kept.append(item)
        if len(self._kept) > self.max_frames:
            del self._kept[: len(self._kept) - self.max_frames]
        return None

    def current_frames(self) -> list[NDArray]:
        """Frames of the open attempt so far (empty when none is open)."""
        return [f for _, _, f, _ in self._kept]

    def closing(self) -> Attempt | None:
        """The open attempt as it will close if the hands stay down, from the first hand-down frame.

        The frames that close an attempt are not part of it, so this is exactly the attempt the
        end rule will return ``end_frames - 1`` frames later unless a hand comes back: it can be
        scored at once and confirmed then. ``None`` except on the first frame of a hand-down run.
        """
        if self.active and len(self._waiting) == 1 and len(self._kept) >= self.min_frames:
            return self._attempt()
        return None

    def finish(self) -> Attempt | None:
        """Close the open attempt now (end of a video); ``None`` if none is open or too short."""
        attempt = self._attempt() if self.active and len(self._kept) >= self.min_frames else None
        self.reset()
        return attempt

    def _attempt(self) -> Attempt:
        return Attempt(
            start_frame=self._kept[0][0],
            end_frame=self._kept[-1][0],
            start_time=self._kept[0][1],
            end_time=self._kept[-1][1],
            frames=np.stack([f for _, _, f, _ in self._kept]),
            raw=None if any(r is None for *_, r in self._kept) else np.stack([r for *_, r in self._kept]),
        )
