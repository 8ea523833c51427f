"""Clips on disk → landmarks, sign attempts and custom-sign takes (no Qt, shared by CLI and app).

A clip is a video file (analysed with MediaPipe Holistic) or an ``.npz`` written by
``signdesk extract`` (landmarks already extracted: read without MediaPipe). An ``.npz`` is
untrusted input: it is loaded without pickle, and its shape, type and values are checked, so
a wrong or damaged file gives one clear :class:`ClipError` instead of a traceback or a take
that poisons the custom signs. A part holding NaN or an infinity is treated as not detected,
as :func:`signdesk.landmarks.normalize` does for live frames.

A take is cut from a clip by the same hands-up segmentation the app uses live, so a take
recorded from a file looks like one recorded at the camera: the clip's longest attempt.
"""

from __future__ import annotations

import logging
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from signdesk.custom import Take
from signdesk.landmarks import (
    EXTRACTOR_VERSION,
    N_CHANNELS,
    N_LANDMARKS,
    _drop_unusable,
    normalize,
)
from signdesk.windowing import Attempt, AttemptSegmenter, SigningDetector

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.landmarks import LandmarkExtractor

log = logging.getLogger(__name__)

NPZ_SUFFIX = ".npz"
DEFAULT_FPS = 30.0
#: Frame rates accepted from an ``.npz`` (the range :class:`signdesk.capture.VideoFile` trusts).
FPS_RANGE = (1.0, 240.0)
#: Longest ``.npz`` clip read (an hour at 30 frames/s): bounds the memory an untrusted file takes.
MAX_NPZ_FRAMES = 108_000


class ClipError(ValueError):
    """A clip cannot be used: missing, unreadable, not signdesk landmarks, or no sign in it."""


@dataclass(frozen=True)
class Clip:
    """A clip's raw landmarks (T, 184, 4) float32, frame rate and frame times in seconds."""

    path: Path
    landmarks: NDArray
    fps: float
    times: NDArray
    kind: str  # "video" or "npz"

    @property
    def source(self) -> str:
        """Where a take from this clip came from, as :attr:`signdesk.custom.Take.source` records it."""
        return f"{self.kind}:{self.path.name}"

    @property
    def frames(self) -> int:
        return int(self.landmarks.shape[0])


def is_npz(path: str | Path) -> bool:
    return Path(path).suffix.lower() == NPZ_SUFFIX


def read_clip(path: str | Path, extractor: LandmarkExtractor | None = None) -> Clip:
    """The landmarks of a video file or a ``signdesk extract`` ``.npz``, or :class:`ClipError`.

    ``extractor`` (videos only) is reused and reset first, so no tracking state leaks in from
    the previous clip; without one a MediaPipe graph is started and closed here.
    """
    path = Path(path)
    if not path.exists():
        raise ClipError(f"{path}: no such file")
    if path.is_dir():
        raise ClipError(f"{path}: is a folder, not a clip")
    return _read_npz(path) if is_npz(path) else _read_video(path, extractor)


def read_landmarks(path: str | Path, extractor: LandmarkExtractor | None = None) -> tuple[NDArray, float]:
    """Raw (T, 184, 4) float32 landmarks of a clip and its frame rate (see :func:`read_clip`)."""
    clip = read_clip(path, extractor)
    return clip.landmarks, clip.fps


def _read_video(path: Path, extractor: LandmarkExtractor | None) -> Clip:
    from signdesk.capture import SourceError, open_video
    from signdesk.landmarks import LandmarkExtractor

    try:
        video = open_video(path)
    except SourceError as exc:
        raise ClipError(str(exc)) from None
    own = extractor is None
    landmarks, times = [], []
    with video:
        ex = LandmarkExtractor() if own else extractor
        try:
            if not own:
                ex.reset()
            for frame in video:
                landmarks.append(ex.process(frame.image).copy())
                times.append(frame.time)
        finally:
            if own:
                ex.close()
    if not landmarks:
        raise ClipError(f"{path}: the video has no readable frames")
    return Clip(path, np.stack(landmarks), float(video.fps), np.asarray(times, np.float64), "video")


def _not_extract(path: Path, why: str) -> ClipError:
    return ClipError(f"{path.name}: not written by signdesk extract ({why})")


def _read_npz(path: Path) -> Clip:
    try:
        data = np.load(path, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise _not_extract(path, "a single .npy array, not an .npz archive")
        with data:
            if "landmarks" not in data.files:
                raise _not_extract(path, "no 'landmarks' array")
            landmarks = _check_npz_landmarks(path, data["landmarks"])
            fps = _npz_fps(path, data["fps"] if "fps" in data.files else None)
            times = _npz_times(path, data["times"] if "times" in data.files else None, len(landmarks), fps)
            version = str(data["extractor_version"]) if "extractor_version" in data.files else ""
    except ClipError:
        raise
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        raise ClipError(f"{path.name}: cannot read as an .npz file ({exc})") from None
    if version and version != EXTRACTOR_VERSION:
        log.warning("%s: landmarks from extractor %s, this signdesk uses %s; results may differ",
                    path.name, version, EXTRACTOR_VERSION)
    return Clip(path, landmarks, fps, times, "npz")


def _check_npz_landmarks(path: Path, arr: NDArray) -> NDArray:
    if arr.dtype.kind not in "fiu":
        raise _not_extract(path, f"'landmarks' holds {arr.dtype}, not numbers")
    if arr.ndim != 3 or arr.shape[1:] != (N_LANDMARKS, N_CHANNELS):
        raise _not_extract(path, f"'landmarks' has shape {arr.shape}, expected (frames, {N_LANDMARKS}, "
                                 f"{N_CHANNELS})")
    if len(arr) == 0:
        raise ClipError(f"{path.name}: the clip has no frames")
    if len(arr) > MAX_NPZ_FRAMES:
        raise ClipError(f"{path.name}: {len(arr)} frames; at most {MAX_NPZ_FRAMES} are read")
    return _drop_unusable(arr.astype(np.float32), copy=False)


def _npz_fps(path: Path, value: NDArray | None) -> float:
    if value is None:
        return DEFAULT_FPS
    try:
        fps = float(np.asarray(value).reshape(()))
    except (TypeError, ValueError):
        raise _not_extract(path, "'fps' is not one number") from None
    if not (math.isfinite(fps) and FPS_RANGE[0] <= fps <= FPS_RANGE[1]):
        raise ClipError(f"{path.name}: frame rate {fps} is not between {FPS_RANGE[0]:g} and {FPS_RANGE[1]:g}")
    return fps


def _npz_times(path: Path, value: NDArray | None, n: int, fps: float) -> NDArray:
    if value is None:
        return np.arange(n, dtype=np.float64) / fps
    times = np.asarray(value)
    if times.dtype.kind not in "fiu" or times.shape != (n,):
        raise _not_extract(path, f"'times' has shape {times.shape}, expected ({n},) for {n} frames")
    times = times.astype(np.float64)
    if not np.isfinite(times).all() or np.any(np.diff(times) < 0):
        raise ClipError(f"{path.name}: 'times' are not increasing frame times in seconds")
    return times


# --- attempts and takes ----------------------------------------------------------------------


def cut_attempts(
    raw: NDArray,
    fps: float = DEFAULT_FPS,
    times: NDArray | None = None,
    segmenter: AttemptSegmenter | None = None,
    detector: SigningDetector | None = None,
) -> list[Attempt]:
    """The sign attempts in raw (T, 184, 4) landmarks, cut as the live app cuts them.

    Uses the app's defaults (:class:`AttemptSegmenter`, :class:`SigningDetector`, as
    :class:`signdesk.pipeline.Pipeline` builds them) unless others are passed. Each attempt
    carries its raw frames (``Attempt.raw``). Frame times are ``times`` or ``index / fps``.
    """
    raw = np.asarray(raw, dtype=np.float32)
    if raw.ndim != 3 or raw.shape[1:] != (N_LANDMARKS, N_CHANNELS):
        raise ValueError(f"expected (T, {N_LANDMARKS}, {N_CHANNELS}) landmarks, got {raw.shape}")
    segmenter = segmenter or AttemptSegmenter()
    detector = detector or SigningDetector()
    segmenter.reset()
    raw = _drop_unusable(raw, copy=True)
    norm = normalize(raw)
    attempts = []
    for i in range(len(raw)):
        t = float(times[i]) if times is not None else i / fps
        attempt = segmenter.push(i, t, norm[i], detector.hand_up(raw[i]), raw[i])
        if attempt is not None:
            attempts.append(attempt)
    last = segmenter.finish()
    if last is not None:
        attempts.append(last)
    return attempts


def longest_attempt(attempts: list[Attempt]) -> Attempt | None:
    """The attempt with the most frames (the earliest of equals), or ``None``."""
    return max(attempts, key=lambda a: len(a.frames), default=None)


def take_from_clip(path: str | Path, extractor: LandmarkExtractor | None = None) -> Take:
    """The sign in a clip as a custom-sign take: its longest attempt's raw frames.

    Raises :class:`ClipError` when the clip cannot be read or holds no attempt (no hand was
    raised above the hands-up line for long enough).
    """
    clip = read_clip(path, extractor)
    return take_of(clip)


def take_of(clip: Clip) -> Take:
    """The take of an already read clip (see :func:`take_from_clip`)."""
    attempt = longest_attempt(cut_attempts(clip.landmarks, clip.fps, clip.times))
    if attempt is None or attempt.raw is None:
        raise ClipError(f"{clip.path.name}: no sign found (no hand was raised long enough to count as a sign)")
    return Take(attempt.raw.astype(np.float32), clip.fps, clip.source)
