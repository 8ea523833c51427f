"""Bring other sources onto signdesk's landmark layout: keypoint mapping, fills, time resampling.

Keypoint files and sparse clips lack parts of what the live extractor gives, so a model trained
on them would see other features than the app. This module makes up the difference, measured
in ``docs/training.md``.

**Keypoint sources on the 184×4 layout** (203-point files: pose 0-32, 128 face-contour
points, left hand, right hand; x, y, z):

- pose rows ← pose 11-16; visibility ← ``__pose_visibility`` where the source has it (MP_Data);
  GISLR has none, so it is filled by :func:`fill_pose_visibility` (1.0 inside the image, else
  0.46, the median MediaPipe gives an off-image joint in MP_Data);
- face rows ← the 128 contour points; the 8 iris ring points (469-472, 474-477) are absent
  from both sources and are filled by :func:`fill_iris` from the eye contour (a fixed
  eye-relative offset per point, fitted on real refined-mesh landmarks); visibility 1.0;
- hands ← the source's left/right hand rows (MediaPipe's own handedness, as the extractor
  uses), visibility 1.0 where detected;
- a part that is missing in a frame (all zeros in MP_Data, NaN in GISLR) stays all zeros, as
  the extractor leaves it.

Sparse clips (KArSL walead) are put back on their original time line by
:func:`resample_to_timeline`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from signdesk.landmarks import (
    FACE_INDICES,
    FACE_ROWS,
    HAND_POINTS,
    LEFT_EYE_ROWS,
    LEFT_HAND_ROWS,
    LEFT_IRIS_ROWS,
    N_CHANNELS,
    N_LANDMARKS,
    PARTS,
    POSE_INDICES,
    POSE_ROWS,
    RIGHT_EYE_ROWS,
    RIGHT_HAND_ROWS,
    RIGHT_IRIS_ROWS,
    VIS,
    part_present,
)
from signdesk.tools.datasets.base import DatasetError

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

# --- iris and pose visibility -------------------------------------------------------------------

#: Eye-relative offsets of the iris ring points, in units of the eye width, along
#: (outer→inner corner axis, its perpendicular pointing down in the image, depth).
#: Fitted by :func:`fit_iris_offsets` on the real refined-mesh landmarks of the 527 KArSL
#: train-split clips (signers 01 and 02, 21,184 frames, walead clips resampled); ``tests/test_datasets.py`` refits
#: them on a real clip. (MediaPipe puts the iris ring at the eye contour's mean depth.)
IRIS_OFFSETS: dict[str, NDArray] = {
    "right": np.array([[0.2394, -0.0360, 0.0], [0.0200, -0.2209, 0.0], [-0.1851, -0.0208, 0.0],
                       [0.0381, 0.1638, 0.0]], dtype=np.float32),  # mesh 469, 470, 471, 472
    "left": np.array([[0.2587, -0.0101, 0.0], [0.0601, -0.2358, 0.0], [-0.1567, -0.0396, 0.0],
                      [0.0434, 0.1865, 0.0]], dtype=np.float32),  # mesh 474, 475, 476, 477
}

_EYES = {
    # eye → (contour rows, iris rows, outer corner mesh id, inner corner mesh id)
    "right": (RIGHT_EYE_ROWS, RIGHT_IRIS_ROWS, 33, 133),
    "left": (LEFT_EYE_ROWS, LEFT_IRIS_ROWS, 263, 362),
}
_FACE_POS = {mesh: FACE_ROWS.start + i for i, mesh in enumerate(FACE_INDICES)}


def eye_frame(frames: NDArray, eye: str) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Per frame: eye centre (…, 3), unit axis u (…, 2), unit perpendicular v (…, 2), width (…)."""
    contour, _, outer, inner = _EYES[eye]
    centre = frames[..., list(contour), :3].mean(axis=-2)
    axis = frames[..., _FACE_POS[inner], :2] - frames[..., _FACE_POS[outer], :2]
    width = np.linalg.norm(axis, axis=-1)
    u = axis / np.maximum(width, 1e-9)[..., None]
    if eye == "left":
        u = -u  # both eyes' axes point the same way: to the subject's left
    v = np.stack([-u[..., 1], u[..., 0]], axis=-1)
    return centre, u, v, width


def fit_iris_offsets(frames: NDArray) -> dict[str, NDArray]:
    """Mean eye-relative offsets (4, 3) of each eye's iris ring points over frames with a face."""
    frames = np.asarray(frames, dtype=np.float32).reshape(-1, N_LANDMARKS, N_CHANNELS)
    frames = frames[part_present(frames, "face")]
    if not len(frames):
        raise ValueError("no frame with a detected face to fit iris offsets on")
    out = {}
    for eye, (_, iris, _, _) in _EYES.items():
        centre, u, v, width = eye_frame(frames, eye)
        ok = width > 1e-6
        d = (frames[:, list(iris), :3] - centre[:, None, :])[ok] / width[ok, None, None]
        uu, vv = u[ok, None, :], v[ok, None, :]
        out[eye] = np.stack(
            [(d[..., :2] * uu).sum(-1).mean(0), (d[..., :2] * vv).sum(-1).mean(0), d[..., 2].mean(0)], axis=-1
        ).astype(np.float32)
    return out


def fill_iris(frames: NDArray, offsets: dict[str, NDArray] | None = None) -> NDArray:
    """Write iris ring points (x, y, z, vis=1) from the eye contour into frames with a face.

    Used for sources without a refined face mesh. In place; returns ``frames``.
    """
    offsets = offsets or IRIS_OFFSETS
    has_face = part_present(frames, "face")
    for eye, (_, iris, _, _) in _EYES.items():
        centre, u, v, width = eye_frame(frames, eye)
        off = offsets[eye]  # (4, 3)
        xy = centre[..., None, :2] + width[..., None, None] * (
            off[:, 0, None] * u[..., None, :] + off[:, 1, None] * v[..., None, :]
        )
        z = centre[..., None, 2] + width[..., None] * off[:, 2]
        pts = np.concatenate([xy, z[..., None], np.ones_like(z)[..., None]], axis=-1)
        frames[..., list(iris), :] = np.where(has_face[..., None, None], pts, 0.0)
    return frames


#: Median pose visibility MediaPipe gives one of the six layout joints that lies outside the
#: image, over all MP_Data frames (joints inside the image: median 0.995, filled as 1.0).
OFFSCREEN_VISIBILITY = 0.46


def fill_pose_visibility(pose_xy: NDArray) -> NDArray:
    """Visibility for sources without it: 1.0 for a joint inside the image, else the median
    MediaPipe gives an off-image joint."""
    inside = np.all((pose_xy >= 0.0) & (pose_xy <= 1.0), axis=-1)
    return np.where(inside, 1.0, OFFSCREEN_VISIBILITY).astype(np.float32)


# --- the 203-point keypoint layout ----------------------------------------------------------------

#: The 128 FaceMesh contour indices of the 203-point files (rows 33-160), in order.
CONTOUR_203 = tuple(i for i in FACE_INDICES if i < 468)
_P203_POINTS = 203
_P203_POSE = 0
_P203_FACE = 33
_P203_LEFT = 161
_P203_RIGHT = 182
_FACE_SRC = np.array([_P203_FACE + CONTOUR_203.index(i) for i in FACE_INDICES if i < 468])
_FACE_DST = np.array([_FACE_POS[i] for i in FACE_INDICES if i < 468])


def from_203(points: NDArray, pose_visibility: NDArray | None = None) -> NDArray:
    """Map (T, 203, 3) keypoints (zeros or NaN = missing) onto raw (T, 184, 4) landmarks."""
    pts = np.asarray(points, dtype=np.float32)
    if pts.ndim != 3 or pts.shape[1:] != (_P203_POINTS, 3):
        raise DatasetError(f"expected (T, {_P203_POINTS}, 3) keypoints, got {pts.shape}")
    out = np.zeros((len(pts), N_LANDMARKS, N_CHANNELS), dtype=np.float32)

    def present(block: NDArray) -> NDArray:
        return np.isfinite(block).all(axis=(-1, -2)) & np.any(block != 0, axis=(-1, -2))

    pose = pts[:, [_P203_POSE + i for i in POSE_INDICES]]
    ok = present(pose)
    if pose_visibility is not None:
        vis = np.asarray(pose_visibility, dtype=np.float32)[:, list(POSE_INDICES)]
    else:
        vis = fill_pose_visibility(np.nan_to_num(pose[..., :2], nan=-1.0))
    out[ok, POSE_ROWS, :3] = pose[ok]
    out[ok, POSE_ROWS, VIS] = vis[ok]

    face = pts[:, _FACE_SRC]
    ok = present(face)
    out[np.ix_(ok, _FACE_DST, [0, 1, 2])] = face[ok]
    out[np.ix_(ok, _FACE_DST, [VIS])] = 1.0
    fill_iris(out)

    for src, rows in ((_P203_RIGHT, RIGHT_HAND_ROWS), (_P203_LEFT, LEFT_HAND_ROWS)):
        hand = pts[:, src:src + HAND_POINTS]
        ok = present(hand)
        out[ok, rows, :3] = hand[ok]
        out[ok, rows, VIS] = 1.0
    return out


# --- time resampling ----------------------------------------------------------------------------


def resample_to_timeline(frames: NDArray, numbers: NDArray) -> NDArray:
    """Place stored frames at their original frame numbers and fill every frame in between."""
    numbers = np.asarray(numbers, dtype=np.float64)
    if len(numbers) < 2 or np.any(np.diff(numbers) <= 0):
        return frames
    return interpolate_frames(frames, numbers, np.arange(numbers[0], numbers[-1] + 1))


def interpolate_frames(frames: NDArray, src_t: NDArray, dst_t: NDArray) -> NDArray:
    """Landmarks at times ``dst_t`` from frames at increasing times ``src_t``.

    A part present in both neighbouring frames is interpolated linearly; otherwise the
    nearer frame is repeated, so a hand never slides in from (0, 0) and a missing part
    stays missing.
    """
    frames = np.asarray(frames, dtype=np.float32)
    src_t = np.asarray(src_t, dtype=np.float64)
    dst_t = np.clip(np.asarray(dst_t, dtype=np.float64), src_t[0], src_t[-1])
    if len(frames) == 1:
        return np.repeat(frames, len(dst_t), axis=0)
    hi = np.clip(np.searchsorted(src_t, dst_t, side="left"), 1, len(src_t) - 1)
    lo = hi - 1
    w = ((dst_t - src_t[lo]) / (src_t[hi] - src_t[lo])).astype(np.float32)
    a, b = frames[lo], frames[hi]
    out = np.where(w[:, None, None] < 0.5, a, b)
    for part, rows in PARTS.items():
        both = np.flatnonzero(part_present(a, part) & part_present(b, part))
        wb = w[both, None, None]
        out[both, rows] = a[both, rows] * (1 - wb) + b[both, rows] * wb
    return out
