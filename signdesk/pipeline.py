"""The headless recognition pipeline shared by the CLI, the GUI worker and the benchmark.

frame → :class:`~signdesk.landmarks.LandmarkExtractor` → :func:`~signdesk.landmarks.normalize`
→ :class:`~signdesk.windowing.SlidingWindow` / :class:`~signdesk.windowing.AttemptSegmenter`
→ :class:`~signdesk.recognizer.Recognizer`.

While a hand is up, a live prediction is made every ``stride`` frames on the sliding window;
when the hands go down the whole attempt gets one final prediction. That prediction is made
at the first hand-down frame (``FrameResult.early``), so the app can show it at once, and it
is returned as the attempt's result when the end rule confirms it a few frames later (unless a
hand came back, which extends the attempt and scores it again). Nothing is predicted while
no hand is up. Without a recognizer (no model installed, or a broken one) the same path still
extracts landmarks and segments attempts, so the overlay and the hints keep working.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from signdesk.landmarks import N_CHANNELS, N_LANDMARKS, Detection, LandmarkExtractor, detection_of, normalize
from signdesk.windowing import Attempt, AttemptSegmenter, SigningDetector, SlidingWindow, to_window

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.recognizer import Prediction, Recognizer

#: Stage names in the per-frame timings, in pipeline order.
STAGES = ("holistic", "normalize", "window", "inference")


@dataclass
class FrameResult:
    """What the pipeline made of one frame."""

    index: int
    time: float
    raw: NDArray  # (184, 4) unnormalized landmarks (for drawing)
    detection: Detection
    hand_up: bool
    signing: bool  # an attempt is open
    live: Prediction | None = None  # provisional prediction on the sliding window
    early: AttemptResult | None = None  # the attempt scored at its first hand-down frame
    timings: dict[str, float] = field(default_factory=dict)  # stage → milliseconds


@dataclass
class AttemptResult:
    """The final prediction for one sign attempt."""

    attempt: Attempt
    prediction: Prediction
    inference_ms: float


class Pipeline:
    """Landmarks → window → recognizer, frame by frame, with attempt segmentation."""

    def __init__(
        self,
        recognizer: Recognizer | None,
        extractor: LandmarkExtractor | None = None,
        stride: int = 5,
        top_k: int = 5,
        segmenter: AttemptSegmenter | None = None,
        detector: SigningDetector | None = None,
    ) -> None:
        if stride < 1:
            raise ValueError("inference stride must be at least 1 frame")
        self.recognizer = recognizer
        self.extractor = extractor
        self.stride = stride
        self.top_k = top_k
        self.segmenter = segmenter or AttemptSegmenter()
        self.detector = detector or SigningDetector()
        self.window = SlidingWindow()
        self._early: AttemptResult | None = None
        self._raw = np.zeros((N_LANDMARKS, N_CHANNELS), dtype=np.float32)

    def set_recognizer(self, recognizer: Recognizer | None) -> None:
        """Swap the model; an attempt already open is dropped (it was not seen by the new model)."""
        self.recognizer = recognizer
        self._forget_attempt()

    def reset(self) -> None:
        """Clip boundary: forget the window, any open attempt and MediaPipe's tracking."""
        self._forget_attempt()
        if self.extractor is not None:
            self.extractor.reset()

    def _forget_attempt(self) -> None:
        self.window.reset()
        self.segmenter.reset()
        self._early = None

    def process_frame(self, index: int, t: float, image: NDArray) -> tuple[FrameResult, AttemptResult | None]:
        """Run one BGR frame through the whole pipeline."""
        if self.extractor is None:
            raise RuntimeError("this pipeline has no landmark extractor; use process_landmarks")
        t0 = time.perf_counter()
        raw = self.extractor.process(image, out=self._raw)
        holistic_ms = (time.perf_counter() - t0) * 1000
        frame, attempt = self.process_landmarks(index, t, raw)
        frame.timings["holistic"] = holistic_ms
        return frame, attempt

    def process_landmarks(self, index: int, t: float, raw: NDArray) -> tuple[FrameResult, AttemptResult | None]:
        """Run one frame's raw (184, 4) landmarks through normalization, window and model."""
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        norm = normalize(raw)
        t1 = time.perf_counter()
        timings["normalize"] = (t1 - t0) * 1000
        hand_up = self.detector.hand_up(raw)
        was_active = self.segmenter.active
        attempt = self.segmenter.push(index, t, norm, hand_up, raw)
        if self.segmenter.active:
            if not was_active:
                self.window.reset()
                for f in self.segmenter.current_frames():
                    self.window.push(f)
            else:
                self.window.push(norm)
        t2 = time.perf_counter()
        timings["window"] = (t2 - t1) * 1000
        live = None
        if self.recognizer is not None and self.segmenter.active and self.window.count % self.stride == 0:
            live = self.recognizer.predict(self.window.model_input(), self.top_k)
            timings["inference"] = (time.perf_counter() - t2) * 1000
        early = None
        closing = self.segmenter.closing() if attempt is None and self.recognizer is not None else None
        if closing is not None:
            early = self._early = self._final(closing)
        frame = FrameResult(
            index=index,
            time=t,
            raw=raw.copy(),
            detection=detection_of(raw),
            hand_up=hand_up,
            signing=self.segmenter.active,
            live=live,
            early=early,
            timings=timings,
        )
        return frame, self._final(attempt)

    def finish(self) -> AttemptResult | None:
        """End of input: close an open attempt and predict it."""
        return self._final(self.segmenter.finish())

    def _final(self, attempt: Attempt | None) -> AttemptResult | None:
        if attempt is None or self.recognizer is None:
            return None
        early, self._early = self._early, None
        if early is not None and (early.attempt.start_frame, early.attempt.end_frame) == (
                attempt.start_frame, attempt.end_frame):
            return AttemptResult(attempt, early.prediction, early.inference_ms)  # the same frames: scored once
        t0 = time.perf_counter()
        prediction = self.recognizer.predict(to_window(attempt.frames), self.top_k)
        return AttemptResult(attempt, prediction, (time.perf_counter() - t0) * 1000)
