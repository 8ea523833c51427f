"""Practice references for bundled signs: a time-aligned average over many training clips.

A bundled sign has no reference take of its own, and one dataset clip must never be shipped
as one (it is a person's recorded landmarks, and one repeat is a poor model of a sign anyway).
:func:`average_reference` turns at least :data:`MIN_CLIPS` clips of at least
:data:`MIN_PEOPLE` people into one statistic that still *looks* like raw landmarks, so
:mod:`signdesk.practice.feedback` and the skeleton widget use it unchanged:

1. each clip in its own body frame (shoulder midpoint subtracted, divided by shoulder width,
   per frame), so people of any size, anywhere in the picture, average together;
2. clips signed with the left hand as the dominant one are mirrored (feedback mirrors a
   left-handed learner the same way), trimmed to the frames where a hand is seen (the app
   cuts attempts hands-up → hands-down) and resampled to the median duration;
3. each clip aligned by DTW on wrist and hand features to the medoid clip (the one nearest
   to all others), so a sign made a little earlier or faster is not smeared;
4. per frame and body part, the mean over the clips where that part is seen; a part seen in
   fewer than half the clips at that frame stays zeros (absent), as in raw landmarks;
5. mapped back to image coordinates at the clips' median shoulder position and width.

:func:`bundled_reference` reads what ``python -m signdesk.train.references`` wrote beside a
bundled model (``references.npz``: label id → (T, 184, 4) float16, plus ``fps``).
Numpy only.
"""

from __future__ import annotations

import functools
import logging
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from signdesk.landmarks import (
    LEFT_HAND_ROWS,
    N_CHANNELS,
    N_LANDMARKS,
    PARTS,
    POSE_LEFT_WRIST_ROW,
    POSE_RIGHT_WRIST_ROW,
    RIGHT_HAND_ROWS,
    VIS,
    X,
    Y,
    Z,
)
from signdesk.practice.body import mirror

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.recognizer import Label, ModelInfo

log = logging.getLogger(__name__)

#: Fewest clips and people a reference may be made from: fewer would let one person's
#: recorded landmarks show through (and one repeat is not "the" sign).
MIN_CLIPS = 5
MIN_PEOPLE = 2
#: A part seen in fewer than this share of the aligned clips at a frame stays absent.
PRESENT_SHARE = 0.5
#: DTW may not shift a frame further than this share of the clip length (Sakoe-Chiba band):
#: repeats of one sign differ in timing, not in order.
DTW_BAND = 0.3
#: The reference file beside a bundled model, and its frame-rate key.
REFERENCES_FILE = "references.npz"
FPS_KEY = "fps"

_TIPS = (4, 8, 12, 16, 20)  # fingertips within a hand's 21 points


# --- body frame ---------------------------------------------------------------------------------


def _present(raw: NDArray, rows: slice) -> NDArray:
    return np.any(raw[:, rows, :] != 0, axis=(1, 2))


def _shoulders(raw: NDArray) -> tuple[NDArray, NDArray]:
    """Per-frame shoulder midpoint (T, 2) and width (T,); frames without shoulders get the clip median."""
    sh = raw[:, 0:2, :2].astype(np.float64)
    width = np.linalg.norm(sh[:, 0] - sh[:, 1], axis=-1)
    ok = np.all(np.any(raw[:, 0:2, :] != 0, axis=-1), axis=-1) & (width > 1e-4)
    if not ok.any():
        raise ValueError("a clip has no frame with both shoulders seen: it cannot be placed in a body frame")
    mid = sh.mean(axis=1)
    mid[~ok] = np.median(mid[ok], axis=0)
    width[~ok] = np.median(width[ok])
    return mid, width


def to_body_frame(raw: NDArray) -> tuple[NDArray, NDArray, float]:
    """Raw (T, 184, 4) → body frame (absent points stay 0), plus the clip's median midpoint and width."""
    raw = np.asarray(raw, dtype=np.float64)
    mid, width = _shoulders(raw)
    seen = np.any(raw != 0, axis=-1)
    out = raw.copy()
    out[..., X] = (raw[..., X] - mid[:, None, 0]) / width[:, None]
    out[..., Y] = (raw[..., Y] - mid[:, None, 1]) / width[:, None]
    out[..., Z] = raw[..., Z] / width[:, None]
    out[~seen] = 0.0
    return out, np.median(mid, axis=0), float(np.median(width))


def _dominant_is_left(raw: NDArray) -> bool:
    """The left hand is the dominant one: seen in more frames (ties: it travels further)."""
    seen_r, seen_l = _present(raw, RIGHT_HAND_ROWS).sum(), _present(raw, LEFT_HAND_ROWS).sum()
    if seen_r != seen_l:
        return bool(seen_l > seen_r)
    paths = [np.abs(np.diff(raw[:, row, :2], axis=0)).sum() for row in (POSE_RIGHT_WRIST_ROW, POSE_LEFT_WRIST_ROW)]
    return bool(paths[1] > paths[0])


def _trim(raw: NDArray) -> NDArray:
    """The frames from the first to the last with a hand seen (all of them when no hand is)."""
    hands = _present(raw, RIGHT_HAND_ROWS) | _present(raw, LEFT_HAND_ROWS)
    if not hands.any():
        return raw
    idx = np.flatnonzero(hands)
    return raw[idx[0]: idx[-1] + 1]


def resample(clip: NDArray, length: int) -> NDArray:
    """``clip`` (T, 184, 4) on ``length`` evenly spaced times; a part is interpolated only
    between two frames that both see it, else the nearer frame is taken (absent stays absent)."""
    t = len(clip)
    if t == length:
        return clip.copy()
    pos = np.linspace(0, t - 1, length) if length > 1 else np.zeros(1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, t - 1)
    w = (pos - lo)[:, None, None]
    out = np.where(w < 0.5, clip[lo], clip[hi])
    for rows in PARTS.values():
        both = _present(clip, rows)[lo] & _present(clip, rows)[hi]
        mixed = (1 - w) * clip[lo][:, rows] + w * clip[hi][:, rows]
        out[:, rows] = np.where(both[:, None, None], mixed, out[:, rows])
    return out


# --- alignment ----------------------------------------------------------------------------------


def _hand_features(clip: NDArray, rows: slice, wrist_row: int) -> NDArray:
    """(T, 12): hand centre and fingertips relative to the hand's wrist; the pose wrist when unseen."""
    pts = clip[:, rows, :2]
    seen = _present(clip, rows)
    centre = np.where(seen[:, None], pts.mean(axis=1), clip[:, wrist_row, :2])
    tips = np.where(seen[:, None, None], pts[:, _TIPS] - pts[:, :1], 0.0).reshape(len(clip), -1)
    return np.concatenate([centre, tips], axis=1)


def features(clip: NDArray) -> NDArray:
    """Per-frame DTW features of a body-frame clip: both pose wrists and both hands (T, 28)."""
    wrists = clip[:, [POSE_LEFT_WRIST_ROW, POSE_RIGHT_WRIST_ROW], :2].reshape(len(clip), -1)
    return np.concatenate([wrists, _hand_features(clip, RIGHT_HAND_ROWS, POSE_RIGHT_WRIST_ROW),
                           _hand_features(clip, LEFT_HAND_ROWS, POSE_LEFT_WRIST_ROW)], axis=1)


def dtw(a: NDArray, b: NDArray, band: float = DTW_BAND) -> tuple[float, list[tuple[int, int]]]:
    """Plain DTW (steps right, down, diagonal) inside a Sakoe-Chiba band: cost and path."""
    n, m = len(a), len(b)
    cost = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=-1)
    width = max(int(np.ceil(band * max(n, m))), abs(n - m) + 1)
    acc = np.full((n + 1, m + 1), np.inf)
    acc[0, 0] = 0.0
    for i in range(1, n + 1):
        centre = i * m / n
        j0, j1 = max(1, int(centre) - width), min(m, int(centre) + width)
        for j in range(j0, j1 + 1):
            acc[i, j] = cost[i - 1, j - 1] + min(acc[i - 1, j - 1], acc[i - 1, j], acc[i, j - 1])
    i, j, path = n, m, [(n - 1, m - 1)]
    while (i, j) != (1, 1):
        steps = ((acc[i - 1, j - 1], i - 1, j - 1), (acc[i - 1, j], i - 1, j), (acc[i, j - 1], i, j - 1))
        _, i, j = min(steps, key=lambda s: s[0])
        path.append((i - 1, j - 1))
    return float(acc[n, m] / (n + m)), path[::-1]


def _medoid(feats: Sequence[NDArray]) -> int:
    """The clip with the smallest summed DTW distance to all others."""
    k = len(feats)
    dist = np.zeros((k, k))
    for i in range(k):
        for j in range(i + 1, k):
            dist[i, j] = dist[j, i] = dtw(feats[i], feats[j])[0]
    return int(np.argmin(dist.sum(axis=1)))


def _warp_onto(clip: NDArray, path: list[tuple[int, int]], length: int) -> NDArray:
    """``clip`` re-timed onto the medoid's frames: per medoid frame, the mean of the clip frames
    DTW matched to it (per part, over the matched frames that see it)."""
    out = np.zeros((length, N_LANDMARKS, N_CHANNELS))
    matched: list[list[int]] = [[] for _ in range(length)]
    for i, j in path:  # i: medoid frame, j: clip frame
        matched[i].append(j)
    for i, js in enumerate(matched):
        frames = clip[js]
        for rows in PARTS.values():
            seen = _present(frames, rows)
            if seen.any():
                out[i, rows] = frames[seen][:, rows].mean(axis=0)
    return out


# --- the average --------------------------------------------------------------------------------


def average_reference(clips: list[NDArray], fps: list[float], people: Sequence[str],
                      min_clips: int = MIN_CLIPS, min_people: int = MIN_PEOPLE,
                      dominant_right: bool = True) -> NDArray:
    """A time-aligned average of raw (T, 184, 4) clips as raw float32 landmarks at ``median(fps)``.

    ``people[i]`` names who signed ``clips[i]``. Raises ValueError with fewer than
    ``min_clips`` clips (never below :data:`MIN_CLIPS`) or ``min_people`` people (never below
    :data:`MIN_PEOPLE`), or when a clip has no shoulders. See the module doc for the steps.
    """
    min_clips, min_people = max(min_clips, MIN_CLIPS), max(min_people, MIN_PEOPLE)
    if not (len(clips) == len(fps) == len(people)):
        raise ValueError(f"clips, fps and people differ in length ({len(clips)}, {len(fps)}, {len(people)})")
    if len(clips) < min_clips:
        raise ValueError(f"a reference needs at least {min_clips} clips, got {len(clips)}")
    if len(set(people)) < min_people:
        raise ValueError(f"a reference needs clips of at least {min_people} people, got {len(set(people))}")
    arrays = []
    for i, clip in enumerate(clips):
        arr = np.nan_to_num(np.asarray(clip, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
        if arr.ndim != 3 or arr.shape[1:] != (N_LANDMARKS, N_CHANNELS) or len(arr) == 0:
            raise ValueError(f"clip {i}: expected raw landmarks of shape (T, 184, 4), got {arr.shape}")
        if dominant_right and _dominant_is_left(arr):
            arr = mirror(arr)
        arrays.append(_trim(arr))
    out_fps = float(np.median(fps))
    length = max(2, round(float(np.median([len(a) / f for a, f in zip(arrays, fps)])) * out_fps))
    framed = [to_body_frame(a) for a in arrays]
    body = [resample(b, length) for b, _, _ in framed]
    feats = [features(b) for b in body]
    m = _medoid(feats)
    aligned = np.stack([body[m] if k == m else _warp_onto(body[k], dtw(feats[m], feats[k])[1], length)
                        for k in range(len(body))])
    mean = np.zeros((length, N_LANDMARKS, N_CHANNELS))
    for rows in PARTS.values():
        seen = np.any(aligned[:, :, rows, :] != 0, axis=(2, 3))  # (clips, frames)
        count = seen.sum(axis=0)
        total = (aligned[:, :, rows, :] * seen[:, :, None, None]).sum(axis=0)
        keep = count >= PRESENT_SHARE * len(aligned)
        mean[:, rows] = np.where(keep[:, None, None], total / np.maximum(count, 1)[:, None, None], 0.0)
    mid = np.median([c for _, c, _ in framed], axis=0)
    width = float(np.median([w for _, _, w in framed]))
    return from_body_frame(mean, mid, width)


def from_body_frame(body: NDArray, mid: NDArray, width: float) -> NDArray:
    """Body-frame landmarks → raw image landmarks with shoulders centred at ``mid``, ``width`` apart."""
    seen = np.any(body != 0, axis=-1)
    out = np.array(body, dtype=np.float64)
    out[..., X] = mid[0] + body[..., X] * width
    out[..., Y] = mid[1] + body[..., Y] * width
    out[..., Z] = body[..., Z] * width
    out[..., VIS] = np.clip(body[..., VIS], 0.0, 1.0)
    out[~seen] = 0.0
    return out.astype(np.float32)


# --- the bundled references ---------------------------------------------------------------------


def references_path(model_info: ModelInfo) -> Path:
    return Path(model_info.onnx).parent / REFERENCES_FILE


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int, size: int) -> tuple[dict[str, NDArray], float]:
    """Every reference in one file (cached per file version: the practice view asks per sign)."""
    with np.load(path, allow_pickle=False) as z:
        fps = float(np.asarray(z[FPS_KEY]).reshape(()))
        refs = {k: np.asarray(z[k]) for k in z.files if k != FPS_KEY}
    if not np.isfinite(fps) or fps <= 0:
        raise ValueError(f"bad frame rate {fps}")
    for key, arr in refs.items():
        if arr.ndim != 3 or arr.shape[1:] != (N_LANDMARKS, N_CHANNELS) or len(arr) < 2:
            raise ValueError(f"{key}: shape {arr.shape} is not (T, 184, 4)")
        if not np.isfinite(arr).all():
            raise ValueError(f"{key}: non-finite values")
    return refs, fps


def bundled_reference(model_info: ModelInfo, label: Label) -> tuple[NDArray, float] | None:
    """The shipped reference of a bundled sign as (raw float32 (T, 184, 4), fps), or None.

    None when the model has no ``references.npz`` or no reference for this sign; a damaged
    file is logged as a warning and also gives None (it only costs the feedback).
    """
    path = references_path(model_info)
    try:
        st = path.stat()
    except OSError:
        return None
    try:
        refs, fps = _load(str(path), st.st_mtime_ns, st.st_size)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.warning("%s: unreadable practice references, feedback on bundled signs is off (%s)", path, exc)
        return None
    arr = refs.get(label.id or label.name)
    if arr is None:
        return None
    return arr.astype(np.float32), fps
