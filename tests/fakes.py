"""Stand-ins for MediaPipe and for an ONNX model, so tests drive the real app without either.

- :class:`FakeExtractor` speaks the :class:`signdesk.landmarks.LandmarkExtractor` interface and
  plays a scripted synthetic signer (shoulders, elbows, a face, a right hand that rests low,
  rises for a sign, moves while signing and goes down again), one step per frame. It ignores
  what the image shows, so any (H, W, 3) frame will do. The instance is also the app's
  ``extractor_factory``: one script for however many extractor graphs the app runs.
- :class:`FakeRecognizer` speaks the :class:`signdesk.recognizer.Recognizer` interface with the
  fixture labels and a fixed random projection of the window: deterministic, instant, and
  different windows give different answers. ``fail_after`` makes it break like a model whose
  ONNX Runtime session fails at run time.
- :func:`synthetic_frames` and :func:`write_video` make pictures and video files to play.

Nothing here imports Qt, torch or MediaPipe. Import it as ``from fakes import ...`` (pytest
puts ``tests/`` on ``sys.path``, as for ``from conftest import ...``).
"""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path
from collections.abc import Iterable, Sequence
from typing import Self

import numpy as np

from conftest import FIXTURE_LABELS
from signdesk.landmarks import (
    FACE_ROWS,
    FEATURE_DIM,
    HAND_POINTS,
    LEFT_EYE_ROWS,
    LEFT_IRIS_ROWS,
    N_CHANNELS,
    N_LANDMARKS,
    RIGHT_EYE_ROWS,
    RIGHT_HAND_ROWS,
    RIGHT_IRIS_ROWS,
    VIS,
    WINDOW_LENGTH,
    ExtractorError,
    as_bgr,
)
from signdesk.recognizer import InferenceError, Label, ModelInfo, Prediction

# --- the synthetic signer ------------------------------------------------------------------

REST, SIGN, NOBODY = "rest", "sign", "nobody"
PHASES = (REST, SIGN, NOBODY)

#: Rest 10 frames, sign for 30, rest 15: one attempt per loop (it closes 3 frames after the sign).
DEFAULT_SCRIPT: tuple[tuple[str, int], ...] = ((REST, 10), (SIGN, 30), (REST, 15))

# Image coordinates (x right, y down) of an unmirrored webcam picture. Pose rows 0-5 are
# left/right shoulder, left/right elbow, left/right wrist; the signer's right side is on the
# image's left.
_SHOULDERS = ((0.61, 0.50), (0.39, 0.50))  # width 0.22: "hand up" means wrist above y = 0.852
_LEFT_ELBOW, _LEFT_WRIST = (0.66, 0.72), (0.64, 0.95)
_REST_WRIST = (0.37, 0.93)  # in the lap, below the hand-up line
_SIGN_CENTRE, _SIGN_RADIUS = (0.42, 0.42), 0.07  # the wrist circles in front of the chest
_FACE_CENTRE, _FACE_RADII = (0.50, 0.30), (0.075, 0.10)
_EYES = ((0.53, 0.28), (0.47, 0.28))  # the signer's left eye is on the image's right

# 21 hand points relative to the wrist, fingers pointing up (-y), palm size 0.065.
_HAND = np.array([
    (0.0, 0.0),
    (-0.025, -0.020), (-0.040, -0.035), (-0.050, -0.050), (-0.058, -0.064),  # thumb
    (-0.018, -0.062), (-0.020, -0.088), (-0.021, -0.104), (-0.022, -0.118),  # index
    (0.000, -0.065), (0.000, -0.093), (0.000, -0.110), (0.000, -0.125),  # middle
    (0.016, -0.062), (0.018, -0.087), (0.019, -0.102), (0.020, -0.115),  # ring
    (0.030, -0.055), (0.034, -0.073), (0.036, -0.085), (0.038, -0.096),  # pinky
], dtype=np.float32)
assert len(_HAND) == HAND_POINTS


def _face() -> np.ndarray:
    """(136, 4) face rows: a contour ellipse with two eyes and irises where the layout puts them."""
    face = np.zeros((FACE_ROWS.stop - FACE_ROWS.start, N_CHANNELS), np.float32)
    n = len(face)
    angles = 2 * np.pi * np.arange(n) / n
    face[:, 0] = _FACE_CENTRE[0] + _FACE_RADII[0] * np.cos(angles)
    face[:, 1] = _FACE_CENTRE[1] + _FACE_RADII[1] * np.sin(angles)
    for rows, iris, (cx, cy) in ((LEFT_EYE_ROWS, LEFT_IRIS_ROWS, _EYES[0]), (RIGHT_EYE_ROWS, RIGHT_IRIS_ROWS, _EYES[1])):
        ring = 2 * np.pi * np.arange(len(rows)) / len(rows)
        local = np.asarray(rows) - FACE_ROWS.start
        face[local, 0] = cx + 0.014 * np.cos(ring)
        face[local, 1] = cy + 0.006 * np.sin(ring)
        local = np.asarray(iris) - FACE_ROWS.start
        ring = 2 * np.pi * np.arange(len(iris)) / len(iris)
        face[local, 0] = cx + 0.004 * np.cos(ring)
        face[local, 1] = cy + 0.004 * np.sin(ring)
    face[:, 2] = -0.02
    face[:, VIS] = 1.0
    return face


_FACE = _face()


def signer_landmarks(phase: str, step: int = 0, length: int = 1, out: np.ndarray | None = None) -> np.ndarray:
    """Raw (184, 4) landmarks of the synthetic signer at ``step`` of a ``length``-step ``phase``.

    ``rest``: someone in view, right hand low (detected, below the hand-up line); ``sign``: the
    right hand up, its wrist going once round a circle and the hand turning as it goes, so that
    every frame of the sign differs; ``nobody``: nothing detected (all zeros).
    """
    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r} (use one of {', '.join(PHASES)})")
    raw = np.zeros((N_LANDMARKS, N_CHANNELS), np.float32) if out is None else out
    raw.fill(0.0)
    if phase == NOBODY:
        return raw
    if phase == SIGN:
        u = step / max(1, length - 1)
        a = 2 * math.pi * u
        wrist = (_SIGN_CENTRE[0] + _SIGN_RADIUS * math.cos(a), _SIGN_CENTRE[1] + _SIGN_RADIUS * math.sin(a))
        turn = 0.6 * math.sin(a)  # radians; fingers up, swaying
    else:
        wrist, turn = _REST_WRIST, math.pi  # fingers pointing down, hand in the lap
    elbow = ((_SHOULDERS[1][0] + wrist[0]) / 2 - 0.06, max(_SHOULDERS[1][1] + 0.12, (_SHOULDERS[1][1] + wrist[1]) / 2))
    pose = (*_SHOULDERS, _LEFT_ELBOW, elbow, _LEFT_WRIST, wrist)
    for row, (x, y) in enumerate(pose):
        raw[row] = (x, y, -0.3, 0.99 if row < 4 else 0.9)
    raw[FACE_ROWS] = _FACE
    c, s = math.cos(turn), math.sin(turn)
    hand = raw[RIGHT_HAND_ROWS]
    hand[:, 0] = wrist[0] + c * _HAND[:, 0] - s * _HAND[:, 1]
    hand[:, 1] = wrist[1] + s * _HAND[:, 0] + c * _HAND[:, 1]
    hand[:, 2] = -0.01 * np.arange(HAND_POINTS) / HAND_POINTS
    hand[:, VIS] = 1.0
    return raw


def _check_script(script: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    steps = tuple((str(phase), int(count)) for phase, count in script)
    if not steps:
        raise ValueError("the script is empty")
    for phase, count in steps:
        if phase not in PHASES:
            raise ValueError(f"unknown phase {phase!r} in the script (use one of {', '.join(PHASES)})")
        if count < 1:
            raise ValueError(f"phase {phase!r} must last at least one frame, not {count}")
    return steps


class FakeExtractor:
    """The LandmarkExtractor interface without MediaPipe: a scripted signer, one step per frame.

    ``script`` is a list of (phase, frames) with phases ``"rest"``, ``"sign"`` and ``"nobody"``;
    with ``loop`` it starts over at its end, otherwise the last step is held. :meth:`reset`
    (a clip boundary) starts the script again. ``errors`` maps a step (frames since the last
    reset, from 0) to an exception raised there instead of an answer; ``delay_s`` makes each
    frame take that long, like MediaPipe on a slow machine.

    Use it directly (``process``/``reset``/``close``, as the headless pipeline does), or pass
    the instance itself as the app's ``extractor_factory``: each call then makes one *graph*
    (:class:`FakeGraph`) sharing this script. The app may run several graphs on alternate
    frames (:class:`signdesk.alternating.AlternatingExtractor`: graph ``i`` of ``n`` gets frames
    ``i, i + n, …`` after each reset); graph ``i`` answers its ``c``-th frame with step
    ``i + c * n``, so frame ``k`` shows step ``k`` however the graphs' threads interleave.

    Counters for tests: ``calls`` (frames answered or failed, every graph), ``resets``,
    ``graphs``, ``closed``; ``phase`` is the phase of the last frame answered.
    """

    def __init__(self, script: Iterable[tuple[str, int]] = DEFAULT_SCRIPT, loop: bool = True, *,
                 errors: dict[int, BaseException] | None = None, delay_s: float = 0.0) -> None:
        self.script = _check_script(script)
        self.loop = loop
        self.errors = dict(errors or {})
        self.delay_s = delay_s
        self.last_timings: dict[str, float] = {}
        self.calls = 0
        self.resets = 0
        self.phase = ""
        self.graphs: list[FakeGraph] = []
        self._steps = 0  # frames since the last reset, when used directly
        self._closed = False
        self._lock = threading.Lock()
        self._timeline = [(phase, k, count) for phase, count in self.script for k in range(count)]

    def __len__(self) -> int:
        """Frames in one pass of the script."""
        return len(self._timeline)

    def __call__(self) -> FakeGraph:
        """A new graph on this script (this is what makes the instance an ``extractor_factory``)."""
        with self._lock:
            graph = FakeGraph(self, len(self.graphs))
            self.graphs.append(graph)
        return graph

    @property
    def closed(self) -> bool:
        """Closed directly, or every graph made from it was closed."""
        return self._closed or (bool(self.graphs) and all(g.closed for g in self.graphs))

    def step_at(self, step: int) -> tuple[str, int, int]:
        """(phase, position in the phase, phase length) of a step since the last reset."""
        n = len(self._timeline)
        return self._timeline[step % n if self.loop else min(step, n - 1)]

    def landmarks_at(self, step: int) -> np.ndarray:
        """What the extractor answers at ``step`` (frames since the last reset)."""
        return signer_landmarks(*self.step_at(step))

    def process(self, frame_bgr: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        if self._closed:
            raise ExtractorError("the extractor is closed")
        _check_frame(frame_bgr)
        with self._lock:
            step, self._steps = self._steps, self._steps + 1
        return self._answer(step, out, self)

    def reset(self) -> None:
        """Forget the tracking state: the script starts again."""
        with self._lock:
            self._steps = 0
            self.resets += 1

    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _answer(self, step: int, out: np.ndarray | None, timed: FakeExtractor | FakeGraph) -> np.ndarray:
        t0 = time.perf_counter()
        with self._lock:
            self.calls += 1
        if self.delay_s:
            time.sleep(self.delay_s)
        error = self.errors.get(step)
        if error is not None:
            raise error
        phase, k, length = self.step_at(step)
        if out is None:
            out = np.zeros((N_LANDMARKS, N_CHANNELS), np.float32)
        signer_landmarks(phase, k, length, out=out)
        self.phase = phase
        timed.last_timings = {"convert": 0.0, "mediapipe": (time.perf_counter() - t0) * 1000, "pack": 0.0}
        return out


class FakeGraph:
    """One of the app's extractor graphs, made by calling a :class:`FakeExtractor`."""

    def __init__(self, owner: FakeExtractor, index: int) -> None:
        self.owner = owner
        self.index = index
        self.last_timings: dict[str, float] = {}
        self.closed = False
        self._calls = 0  # frames this graph answered since its last reset

    def process(self, frame_bgr: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        if self.closed:
            raise ExtractorError("the extractor is closed")
        _check_frame(frame_bgr)
        step = self.index + self._calls * len(self.owner.graphs)
        self._calls += 1
        return self.owner._answer(step, out, self)

    def reset(self) -> None:
        self._calls = 0
        with self.owner._lock:
            self.owner.resets += 1

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_frame(frame_bgr: object) -> None:
    """Raise ExtractorError for a picture the real extractor cannot read (the same check)."""
    as_bgr(frame_bgr)


# --- the fake model ----------------------------------------------------------------------

FAKE_MODEL_NAME = "fixture-fake"
#: A path that is clearly not a file: the fake model has no .onnx on disk.
FAKE_MODEL_DIR = Path("/nonexistent/signdesk-fake-models") / FAKE_MODEL_NAME
EMBEDDING_DIM = 384


def fixture_labels() -> list[Label]:
    """The fixture model's labels (tests/conftest.py ``FIXTURE_LABELS``) as real Labels."""
    return [Label(e["name"], e.get("gloss", ""), e.get("id", "")) for e in FIXTURE_LABELS]


class FakeRecognizer:
    """The Recognizer interface without ONNX Runtime or torch.

    ``run`` pools each window over time (mean and spread of every feature), projects it with a
    fixed random matrix (``seed``) to a 384-d embedding and from there to one logit per label;
    ``sharpness`` scales the logits (higher: more confident). The same window always gives the
    same answer, and windows of different parts of a sign give different ones.

    ``fail_after=N``: the N-th call of :meth:`run` (``predict`` calls it) and every later one
    raise :class:`~signdesk.recognizer.InferenceError`, as a real model does when ONNX Runtime
    fails. ``calls`` counts the calls of :meth:`run`.
    """

    def __init__(self, labels: Sequence[Label | str] | None = None, *, seed: int = 0, sharpness: float = 4.0,
                 fail_after: int | None = None, card: Path | None = None, name: str = FAKE_MODEL_NAME,
                 embedding_dim: int = EMBEDDING_DIM) -> None:
        self.labels = [lb if isinstance(lb, Label) else Label(str(lb)) for lb in (labels or fixture_labels())]
        if not self.labels:
            raise ValueError("a model needs at least one label")
        self.info = ModelInfo(name, FAKE_MODEL_DIR / "model.onnx", FAKE_MODEL_DIR / "labels.json", card)
        self.meta = {"model": name, "language": "test"}
        self.fail_after = fail_after
        self.calls = 0
        self._embedding_dim = embedding_dim
        rng = np.random.default_rng(seed)
        pooled = 2 * FEATURE_DIM
        # float64 throughout, so that an answer does not depend on the batch it was computed in
        self._to_embedding = rng.standard_normal((pooled, embedding_dim)) / math.sqrt(pooled)
        self._to_logits = rng.standard_normal((embedding_dim, len(self.labels))) * sharpness / math.sqrt(embedding_dim)
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return str(self.meta.get("model", self.info.name))

    @property
    def embedding_dim(self) -> int:
        return self._embedding_dim

    def run(self, windows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(B, 50, 736) or (50, 736) → (probabilities (B, C), embeddings (B, 384))."""
        x = np.asarray(windows, dtype=np.float32)
        if x.ndim == 2:
            x = x[None]
        if x.shape[1:] != (WINDOW_LENGTH, FEATURE_DIM):
            raise ValueError(f"expected windows of shape (B, {WINDOW_LENGTH}, {FEATURE_DIM}), got {x.shape}")
        with self._lock:
            self.calls += 1
            calls = self.calls
        if self.fail_after is not None and calls >= self.fail_after:
            raise InferenceError(f"{self.info.onnx}: the model failed while recognizing "
                                 f"(fake failure on call {calls})")
        x = x.astype(np.float64)
        pooled = np.concatenate([x.mean(axis=1), x.std(axis=1)], axis=1)
        embedding = np.tanh(pooled @ self._to_embedding)
        logits = embedding @ self._to_logits
        z = np.exp(logits - logits.max(axis=1, keepdims=True))
        return (z / z.sum(axis=1, keepdims=True)).astype(np.float32), embedding.astype(np.float32)

    def predict(self, window: np.ndarray, top_k: int = 5) -> Prediction:
        """Classify one window: top-k labels (best first) and the embedding, as a real Prediction."""
        probs, embedding = self.run(window)
        p = probs[0]
        k = max(1, min(top_k, len(self.labels)))
        order = np.argsort(-p, kind="stable")[:k]
        return Prediction([(self.labels[i], float(p[i])) for i in order], embedding[0])


# --- pictures and videos -----------------------------------------------------------------


def synthetic_frames(n: int = 30, size: tuple[int, int] = (320, 240)) -> list[np.ndarray]:
    """``n`` BGR uint8 frames of ``size`` (w, h): a grey picture with a bright bar that moves."""
    w, h = size
    frames = []
    for i in range(n):
        image = np.full((h, w, 3), 60, np.uint8)
        x = (i * max(1, w // n)) % w
        image[:, x: x + max(4, w // 20)] = (40, 160, 230)
        image[h // 2 - 2: h // 2 + 2, :] = 200
        frames.append(image)
    return frames


def write_video(path: Path, frames: Sequence[np.ndarray], fps: float = 30.0) -> Path:
    """Write frames as an MJPG .avi (OpenCV); returns ``path``."""
    import cv2

    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    if not writer.isOpened():
        raise RuntimeError(f"{path}: OpenCV cannot write an MJPG video here")
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path
