"""The feature layout (one place), the MediaPipe Holistic extractor, and normalization.

Every frame becomes a float32 array of shape ``(N_LANDMARKS, N_CHANNELS) == (184, 4)``:

======  =====  ===============================================================
rows    count  what
======  =====  ===============================================================
0-5     6      pose 11-16: left/right shoulder, left/right elbow, left/right wrist
6-141   136    face: sorted union of FaceMesh contour and iris indices (refined mesh)
142-162 21     right hand (the signer's own right hand, see below)
163-183 21     left hand
======  =====  ===============================================================

Channels are x, y, z, visibility. x and y are MediaPipe's normalized image coordinates
of the *unmirrored* camera frame. Pose visibility is MediaPipe's; a detected face or hand
point has visibility 1.0; a part that was not detected in a frame is all zeros.

Handedness: MediaPipe Holistic's ``right_hand_landmarks`` is the hand attached to the pose
model's right wrist (pose landmark 16), i.e. the signer's anatomical right hand, which in an
unmirrored webcam image appears on the image's *left* side. It fills the right-hand rows.
``tests/test_landmarks.py`` proves this on a real clip (the right-hand wrist coincides with
pose landmark 16). Mirroring is for display only; features always come from the raw frame.

This module imports MediaPipe and OpenCV lazily, so the layout and ``normalize`` can be
used by evaluation and training code without them.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

from signdesk.capture import opencv_available
from signdesk.deferred import defer_matplotlib
from signdesk.native import prepare_process_for_mediapipe, quiet_native_stderr

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

# --- the layout -------------------------------------------------------------------------

#: MediaPipe pose indices kept: shoulders (11, 12), elbows (13, 14), wrists (15, 16).
POSE_INDICES: tuple[int, ...] = (11, 12, 13, 14, 15, 16)

#: Sorted union of ``FACEMESH_CONTOURS`` and ``FACEMESH_IRISES`` point indices of the refined
#: 478-point FaceMesh. Kept literal so that the layout needs no MediaPipe import; a test proves
#: it equals the union computed from MediaPipe's own connection sets.
FACE_INDICES: tuple[int, ...] = (
    0, 7, 10, 13, 14, 17, 21, 33, 37, 39, 40, 46, 52, 53, 54, 55, 58, 61, 63, 65, 66, 67, 70,
    78, 80, 81, 82, 84, 87, 88, 91, 93, 95, 103, 105, 107, 109, 127, 132, 133, 136, 144, 145,
    146, 148, 149, 150, 152, 153, 154, 155, 157, 158, 159, 160, 161, 162, 163, 172, 173, 176,
    178, 181, 185, 191, 234, 246, 249, 251, 263, 267, 269, 270, 276, 282, 283, 284, 285, 288,
    291, 293, 295, 296, 297, 300, 308, 310, 311, 312, 314, 317, 318, 321, 323, 324, 332, 334,
    336, 338, 356, 361, 362, 365, 373, 374, 375, 377, 378, 379, 380, 381, 382, 384, 385, 386,
    387, 388, 389, 390, 397, 398, 400, 402, 405, 409, 415, 454, 466, 469, 470, 471, 472, 474,
    475, 476, 477,
)

HAND_POINTS = 21

N_POSE = len(POSE_INDICES)  # 6
N_FACE = len(FACE_INDICES)  # 136
N_LANDMARKS = N_POSE + N_FACE + 2 * HAND_POINTS  # 184
N_CHANNELS = 4  # x, y, z, visibility
FEATURE_DIM = N_LANDMARKS * N_CHANNELS  # 736 values per frame
WINDOW_LENGTH = 50  # frames per model input

X, Y, Z, VIS = 0, 1, 2, 3

POSE_ROWS = slice(0, N_POSE)
FACE_ROWS = slice(N_POSE, N_POSE + N_FACE)
RIGHT_HAND_ROWS = slice(N_POSE + N_FACE, N_POSE + N_FACE + HAND_POINTS)
LEFT_HAND_ROWS = slice(N_POSE + N_FACE + HAND_POINTS, N_LANDMARKS)

#: Body parts in row order; the model embeds each group separately.
PARTS: dict[str, slice] = {
    "pose": POSE_ROWS,
    "face": FACE_ROWS,
    "right_hand": RIGHT_HAND_ROWS,
    "left_hand": LEFT_HAND_ROWS,
}

# Rows used by normalization (positions within the 184 rows).
_POSE_LEFT_SHOULDER = 0
_POSE_RIGHT_SHOULDER = 1
POSE_LEFT_WRIST_ROW = 4
POSE_RIGHT_WRIST_ROW = 5

# FaceMesh eye contours (the subject's left eye = 362..., right eye = 33...).
_LEFT_EYE_MESH = (249, 263, 362, 373, 374, 380, 381, 382, 384, 385, 386, 387, 388, 390, 398, 466)
_RIGHT_EYE_MESH = (7, 33, 133, 144, 145, 153, 154, 155, 157, 158, 159, 160, 161, 163, 173, 246)
_FACE_POS = {mesh: N_POSE + i for i, mesh in enumerate(FACE_INDICES)}
LEFT_EYE_ROWS: tuple[int, ...] = tuple(_FACE_POS[i] for i in _LEFT_EYE_MESH)
RIGHT_EYE_ROWS: tuple[int, ...] = tuple(_FACE_POS[i] for i in _RIGHT_EYE_MESH)
#: Iris ring points (refined mesh only): left 474-477, right 469-472.
LEFT_IRIS_ROWS: tuple[int, ...] = tuple(_FACE_POS[i] for i in (474, 475, 476, 477))
RIGHT_IRIS_ROWS: tuple[int, ...] = tuple(_FACE_POS[i] for i in (469, 470, 471, 472))

_HAND_WRIST = 0
_HAND_MIDDLE_MCP = 9

#: Version of the extraction recipe; caches of extracted landmarks are keyed by it.
EXTRACTOR_VERSION = "holistic-0.10.21-c1-refined-v1"

# --- the mirror image (a left-handed signer) ---------------------------------------------

#: Position (0-135 within the face rows) of each face point's mirror image, as derived by
#: :func:`signdesk.train.augment.derive_face_mirror` from all 727 real KArSL clips (every single clip of 10 gives the
#: same table). Mesh pairs include 33↔263 and 133↔362 (eye corners), 61↔291 (mouth
#: corners), 469↔476 and 471↔474 (iris sides); 0, 13, 14, 17, 152 and 10 map to themselves.
FACE_MIRROR: tuple[int, ...] = (
    0, 67, 2, 3, 4, 5, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85,
    86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106,
    107, 108, 47, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123,
    124, 125, 126, 127, 1, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
    24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46,
    48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 134, 133, 132,
    135, 130, 129, 128, 131,
)


def mirror_rows() -> NDArray:
    """Row permutation of the 184-row layout under a horizontal flip."""
    perm = np.arange(N_LANDMARKS)
    for a in range(0, N_POSE, 2):  # pose rows come in (left, right) pairs
        perm[a], perm[a + 1] = a + 1, a
    perm[FACE_ROWS] = FACE_ROWS.start + np.asarray(FACE_MIRROR)
    perm[RIGHT_HAND_ROWS] = np.arange(LEFT_HAND_ROWS.start, LEFT_HAND_ROWS.stop)
    perm[LEFT_HAND_ROWS] = np.arange(RIGHT_HAND_ROWS.start, RIGHT_HAND_ROWS.stop)
    return perm


#: MediaPipe's 21-point hand skeleton, for drawing.
HAND_CONNECTIONS: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (5, 9), (9, 10),
    (10, 11), (11, 12), (9, 13), (13, 14), (14, 15), (15, 16), (13, 17), (0, 17), (17, 18),
    (18, 19), (19, 20),
)
#: Upper-body skeleton in layout rows: shoulders, shoulder-elbow, elbow-wrist.
POSE_CONNECTIONS: tuple[tuple[int, int], ...] = ((0, 1), (0, 2), (2, 4), (1, 3), (3, 5))


def overlay_connections() -> list[tuple[int, int]]:
    """All (row, row) segments to draw for a frame: pose, face contours, both hands."""
    defer_matplotlib()
    from mediapipe.python.solutions import face_mesh_connections as fmc

    segments = list(POSE_CONNECTIONS)
    for a, b in sorted(fmc.FACEMESH_CONTOURS):
        segments.append((_FACE_POS[a], _FACE_POS[b]))
    for rows in (RIGHT_HAND_ROWS, LEFT_HAND_ROWS):
        segments.extend((rows.start + a, rows.start + b) for a, b in HAND_CONNECTIONS)
    return segments


# --- detection flags ----------------------------------------------------------------------


@dataclass(frozen=True)
class Detection:
    """Which parts MediaPipe found in one frame."""

    pose: bool
    face: bool
    right_hand: bool
    left_hand: bool

    @property
    def any_hand(self) -> bool:
        return self.right_hand or self.left_hand

    @property
    def person(self) -> bool:
        return self.pose or self.face or self.any_hand


def part_present(frames: NDArray, part: str) -> NDArray:
    """Boolean per frame: was ``part`` detected? Works on (184, 4) or (..., 184, 4)."""
    return np.any(frames[..., PARTS[part], :] != 0, axis=(-1, -2))


def detection_of(frame: NDArray) -> Detection:
    return Detection(
        pose=bool(part_present(frame, "pose")),
        face=bool(part_present(frame, "face")),
        right_hand=bool(part_present(frame, "right_hand")),
        left_hand=bool(part_present(frame, "left_hand")),
    )


# --- normalization ------------------------------------------------------------------------


#: Larger than any coordinate MediaPipe gives (image-relative, about -1..2) or normalization makes
#: of a real body (a few shoulder widths or palm sizes): a part holding more is garbage.
MAX_ABS_VALUE = 1e6


def _normalize_part(
    out: NDArray, rows: slice | tuple[int, ...], center: NDArray, scale: NDArray, present: NDArray
) -> None:
    """Shift x, y, z of ``rows`` by ``center`` and divide by ``scale`` where ``present``."""
    ok = present & (scale > 1e-6)
    safe = np.where(ok, scale, 1.0)[..., None, None]
    part = out[..., rows, :3]
    normalized = (part - center[..., None, :]) / safe
    out[..., rows, :3] = np.where(ok[..., None, None], normalized, 0.0)
    out[..., rows, 3] = np.where(ok[..., None], out[..., rows, 3], 0.0)


def _drop_unusable(frames: NDArray, copy: bool) -> NDArray:
    """Every part of a frame that holds a NaN, an infinity or a value beyond :data:`MAX_ABS_VALUE`
    zeroed (as if not detected).

    Usable input comes back as it is; otherwise a copy (``copy``) or ``frames`` itself is fixed.
    """
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(frames) <= MAX_ABS_VALUE)  # NaN compares False: bad too
    if not bad.any():
        return frames
    if copy:
        frames = frames.copy()
    for rows in PARTS.values():
        broken = bad[..., rows, :].any(axis=(-1, -2))
        frames[..., rows, :][broken] = 0.0
    return frames


def normalize(features: NDArray) -> NDArray:
    """Per-part normalization, identical in training and at run time.

    Works on one frame ``(184, 4)`` or any stack ``(..., 184, 4)``; returns a new float32 array.

    - pose: relative to the shoulder midpoint, scaled by shoulder width;
    - face: relative to the midpoint of the two eye centres, scaled by the inter-ocular
      distance (the nose tip, FaceMesh point 1, is not among the 136 layout points, so the
      eye-centre midpoint just above it is the anchor);
    - each hand: relative to its wrist, scaled by palm size (wrist to middle-finger knuckle).

    Scales are measured in the image plane (x, y). Visibility is kept. A part that is absent
    (all zeros), or whose scale is degenerate, stays all zeros; so does a part holding a NaN, an
    infinity or a value beyond :data:`MAX_ABS_VALUE`, before or after normalization, so that
    nothing non-finite ever reaches the model (a float32 near its limit overflows inside it).
    """
    src = np.asarray(features, dtype=np.float32)
    if src.shape[-2:] != (N_LANDMARKS, N_CHANNELS):
        raise ValueError(f"expected (..., {N_LANDMARKS}, {N_CHANNELS}) features, got {src.shape}")
    src = _drop_unusable(src, copy=True)
    with np.errstate(over="ignore", invalid="ignore"):  # absurd coordinates: zeroed at the end
        return _drop_unusable(_normalized(src), copy=False)


def _normalized(src: NDArray) -> NDArray:
    out = src.copy()

    left_sh = src[..., _POSE_LEFT_SHOULDER, :3]
    right_sh = src[..., _POSE_RIGHT_SHOULDER, :3]
    _normalize_part(
        out,
        POSE_ROWS,
        (left_sh + right_sh) / 2,
        np.linalg.norm(left_sh[..., :2] - right_sh[..., :2], axis=-1),
        part_present(src, "pose"),
    )

    left_eye = src[..., LEFT_EYE_ROWS, :3].mean(axis=-2)
    right_eye = src[..., RIGHT_EYE_ROWS, :3].mean(axis=-2)
    _normalize_part(
        out,
        FACE_ROWS,
        (left_eye + right_eye) / 2,
        np.linalg.norm(left_eye[..., :2] - right_eye[..., :2], axis=-1),
        part_present(src, "face"),
    )

    for name in ("right_hand", "left_hand"):
        rows = PARTS[name]
        wrist = src[..., rows.start + _HAND_WRIST, :3]
        mcp = src[..., rows.start + _HAND_MIDDLE_MCP, :3]
        _normalize_part(
            out,
            rows,
            wrist,
            np.linalg.norm(mcp[..., :2] - wrist[..., :2], axis=-1),
            part_present(src, name),
        )
    return out


# --- extraction ---------------------------------------------------------------------------


class ExtractorError(RuntimeError):
    """MediaPipe could not be started or failed on a frame."""


def as_bgr(frame: NDArray) -> NDArray:
    """Any picture a camera or a file may give, as the (H, W, 3) uint8 BGR that Holistic takes.

    Grey (H, W) or (H, W, 1), BGRA (H, W, 4), and 16-bit or float pictures are converted; an
    empty picture, or one of another shape or type, raises :class:`ExtractorError` naming it.
    """
    arr = np.asarray(frame) if frame is not None else None
    if arr is None or arr.ndim not in (2, 3) or arr.size == 0:
        raise ExtractorError(f"expected a picture (H, W) or (H, W, 3), got {None if arr is None else arr.shape}")
    if arr.ndim == 3 and arr.shape[2] not in (1, 3, 4):
        raise ExtractorError(f"expected 1, 3 or 4 colour channels, got {arr.shape[2]}")
    if arr.dtype == np.uint16:
        arr = (arr >> 8).astype(np.uint8)
    elif arr.dtype.kind == "f":
        arr = (np.clip(np.nan_to_num(arr), 0.0, 1.0) * 255).astype(np.uint8)
    elif arr.dtype != np.uint8:
        raise ExtractorError(f"expected an 8-bit, 16-bit or float picture, got {arr.dtype}")
    if arr.ndim == 3 and arr.shape[2] == 3:
        return arr  # the usual case: nothing to convert
    if arr.ndim == 2 or arr.shape[2] == 1:
        return np.repeat(arr.reshape(*arr.shape[:2], 1), 3, axis=2)
    return np.ascontiguousarray(arr[..., :3])  # BGRA: the alpha channel goes


def resize_nearest(image: NDArray, size: tuple[int, int]) -> NDArray:
    """``image`` at ``size`` (width, height), nearest pixels: the resize where OpenCV is missing."""
    h, w = image.shape[:2]
    rows = np.minimum((np.arange(size[1]) + 0.5) * h / size[1], h - 1).astype(np.intp)
    cols = np.minimum((np.arange(size[0]) + 0.5) * w / size[0], w - 1).astype(np.intp)
    return np.ascontiguousarray(image[rows][:, cols])


def resize(image: NDArray, size: tuple[int, int], linear: bool = False) -> NDArray:
    """``image`` at ``size`` (width, height): OpenCV's area average (bilinear with ``linear``)
    where OpenCV is installed, nearest pixels where it is not (the installers)."""
    if not opencv_available():
        return resize_nearest(image, size)
    import cv2

    return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR if linear else cv2.INTER_AREA)


def _to_rgb(bgr: NDArray, max_side: int | None) -> NDArray:
    """The RGB picture Holistic takes, no longer than ``max_side`` (the app itself never downscales)."""
    h, w = bgr.shape[:2]
    if max_side and max(h, w) > max_side:
        f = max_side / max(h, w)
        bgr = resize(bgr, (round(w * f), round(h * f)))
    if opencv_available():
        import cv2

        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    rgb = np.empty_like(bgr)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = bgr[..., 2], bgr[..., 1], bgr[..., 0]
    return rgb


@functools.lru_cache(maxsize=1)
def _unrefined_face() -> tuple[list[int], list[int]]:
    """Face rows and mesh ids without the iris points (a 468-point mesh: iris rows stay zero)."""
    kept = [(FACE_ROWS.start + k, i) for k, i in enumerate(FACE_INDICES) if i < 468]
    return [r for r, _ in kept], [i for _, i in kept]


def _pack(results, out: NDArray) -> NDArray:
    """Copy one Holistic result into the (184, 4) layout; missing parts stay zero."""
    out.fill(0.0)
    pose = results.pose_landmarks
    if pose is not None:
        lms = pose.landmark
        for row, idx in enumerate(POSE_INDICES):
            p = lms[idx]
            out[row] = (p.x, p.y, p.z, p.visibility)
    face = results.face_landmarks
    if face is not None:
        lms = face.landmark
        rows, indices = (FACE_ROWS, FACE_INDICES) if len(lms) >= 478 else _unrefined_face()
        out[rows, :3] = [(lms[i].x, lms[i].y, lms[i].z) for i in indices]
        out[rows, 3] = 1.0
    for rows, hand in (
        (RIGHT_HAND_ROWS, results.right_hand_landmarks),
        (LEFT_HAND_ROWS, results.left_hand_landmarks),
    ):
        if hand is not None:
            out[rows, :3] = [(p.x, p.y, p.z) for p in hand.landmark]
            out[rows, 3] = 1.0
    return _drop_unusable(out, copy=False)  # a part with a non-finite or absurd value is not trusted at all


class LandmarkExtractor:
    """MediaPipe Holistic (complexity 1, refined face mesh) → one (184, 4) float32 per frame.

    Uses only the models bundled in the mediapipe 0.10.21 wheel, so it works offline.
    ``static=False`` tracks across frames (live video); call :meth:`reset` between clips so
    that tracking state never leaks from one clip into the next. ``max_side`` downscales
    large frames before Holistic (landmarks are normalized coordinates, so they do not change
    meaning); ``None`` keeps the frame as it is. ``refine_face=False`` skips the iris model
    (its 8 iris rows stay zero): only for measuring what the refinement costs, since the
    bundled models were trained with iris points.

    :meth:`process` is one frame in, its landmarks out. :meth:`submit` and :meth:`result`
    let the next frame into the graph before the previous one is finished
    (:mod:`signdesk.holistic_stream`), with the same landmarks; frames are tracked in the
    order they are submitted.
    """

    def __init__(self, static: bool = False, max_side: int | None = None, refine_face: bool = True) -> None:
        defer_matplotlib()
        try:
            from mediapipe.python.solutions import holistic

            from signdesk.holistic_stream import HolisticStream
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ExtractorError(f"MediaPipe is not installed: {exc}") from exc
        self.max_side = max_side
        #: milliseconds of the last frame: colour conversion (+ resize), MediaPipe, packing
        self.last_timings: dict[str, float] = {}
        self._quiet_frames = 3
        prepare_process_for_mediapipe()
        try:
            with quiet_native_stderr(True):
                self._holistic = holistic.Holistic(
                    static_image_mode=static,
                    model_complexity=1,
                    smooth_landmarks=not static,
                    refine_face_landmarks=refine_face,
                    min_detection_confidence=0.5,
                    min_tracking_confidence=0.5,
                )
        except Exception as exc:  # MediaPipe raises plain RuntimeError on a broken install
            raise ExtractorError(f"could not start MediaPipe Holistic: {exc}") from exc
        self._stream = HolisticStream(self._holistic)
        self._convert_ms: dict[int, float] = {}
        self._closed = False

    def process(self, frame_bgr: NDArray, out: NDArray | None = None) -> NDArray:
        """Landmarks of one BGR uint8 frame as a (184, 4) float32 array (written into ``out``)."""
        with quiet_native_stderr(self._quiet_frames > 0):
            ticket = self.submit(frame_bgr)
            landmarks = self.result(ticket, out)
        self._quiet_frames = max(0, self._quiet_frames - 1)
        return landmarks

    def submit(self, frame_bgr: NDArray, on_done: Callable[[], None] | None = None) -> int:
        """Start on one BGR frame and return its ticket for :meth:`result`.

        ``on_done`` is called (in one of MediaPipe's threads) once its landmarks are in.
        """
        if self._closed:
            raise ExtractorError("the extractor is closed")
        t0 = time.perf_counter()
        rgb = _to_rgb(as_bgr(frame_bgr), self.max_side)
        ticket = self._stream.submit(rgb, on_done)
        self._convert_ms[ticket] = (time.perf_counter() - t0) * 1000
        return ticket

    def ready(self, ticket: int) -> bool:
        """The frame's landmarks are in: :meth:`result` will not wait."""
        return self._stream.ready(ticket)

    def result(self, ticket: int, out: NDArray | None = None) -> NDArray:
        """The landmarks of a submitted frame (waits for them), as :meth:`process` gives them."""
        convert_ms = self._convert_ms.pop(ticket, 0.0)
        results, mediapipe_ms = self._stream.result(ticket)
        t2 = time.perf_counter()
        if out is None:
            out = np.zeros((N_LANDMARKS, N_CHANNELS), dtype=np.float32)
        _pack(results, out)
        self.last_timings = {
            "convert": convert_ms,
            "mediapipe": mediapipe_ms,
            "pack": (time.perf_counter() - t2) * 1000,
        }
        return out

    def reset(self) -> None:
        """Forget tracking state (call at a clip boundary); frames in flight are dropped."""
        with quiet_native_stderr(True):
            self._stream.reset()
        self._convert_ms.clear()
        self._quiet_frames = 3

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._stream.drain()
            self._holistic.close()

    def __enter__(self) -> LandmarkExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
