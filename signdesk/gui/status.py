"""The status bar: camera rate, processing rate, per-frame latency and the model's name."""

from __future__ import annotations

import statistics
import time
from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QStatusBar

from signdesk.gui.i18n import QT_TR_NOOP, isolated, tr
from signdesk.gui.states import SourceState, problem_text
from signdesk.pipeline import STAGES

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.gui.session import RecognitionSession
    from signdesk.gui.workers import Processed, SourceInfo
    from signdesk.recognizer import Recognizer

LATENCY_TIP = QT_TR_NOOP("Time from capturing a frame to its analysis being ready (median)")


class RateMeter:
    """Events per second over the last ``span`` seconds, from running counts.

    Counts come from the producer (frames read, frames analysed), so a frame the UI never saw
    (dropped on the way) is still counted.
    """

    def __init__(self, span: float = 2.0) -> None:
        self.span = span
        self._samples: deque[tuple[float, int]] = deque()

    def add(self, count: int, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if self._samples and count < self._samples[-1][1]:
            self._samples.clear()  # a new source restarted its count
        self._samples.append((now, count))
        while len(self._samples) > 2 and now - self._samples[0][0] > self.span:
            self._samples.popleft()

    def rate(self, now: float | None = None) -> float | None:
        now = time.monotonic() if now is None else now
        if len(self._samples) < 2 or now - self._samples[-1][0] > self.span:
            return None
        (t0, c0), (t1, c1) = self._samples[0], self._samples[-1]
        return (c1 - c0) / (t1 - t0) if t1 > t0 else None

    def reset(self) -> None:
        self._samples.clear()


class MedianMeter:
    """Median of the last ``size`` values (latency jumps around; the median reads calmly)."""

    def __init__(self, size: int = 30) -> None:
        self._values: deque[float] = deque(maxlen=size)

    def add(self, value: float) -> None:
        self._values.append(value)

    def value(self) -> float | None:
        return statistics.median(self._values) if self._values else None

    def reset(self) -> None:
        self._values.clear()


def _fmt(value: float | None, unit: str, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f} {unit}"


class StatusFigures:
    """Permanent status-bar fields, refreshed a few times a second by the window."""

    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar
        self.camera_rate = RateMeter()
        self.processing_rate = RateMeter()
        self.latency = MedianMeter()
        self.source_kind = tr("Camera")
        self.stages: dict[str, MedianMeter] = {stage: MedianMeter(300) for stage in STAGES}
        self.camera = QLabel()
        self.processing = QLabel()
        self.delay = QLabel()
        self.model = QLabel()
        self.camera.setToolTip(tr("Frames per second delivered by the camera or video file"))
        self.processing.setToolTip(tr("Frames per second analysed (MediaPipe + model); the rest are skipped"))
        self.delay.setToolTip(tr(LATENCY_TIP))
        for label in (self.camera, self.processing, self.delay, self.model):
            bar.addPermanentWidget(label)
        self.refresh()

    def reset(self) -> None:
        self.camera_rate.reset()
        self.processing_rate.reset()
        self.latency.reset()
        self.refresh()

    def add_timings(self, timings: dict[str, float]) -> None:
        for stage, ms in timings.items():
            if stage in self.stages:
                self.stages[stage].add(ms)

    def stage_text(self) -> str:
        """Median milliseconds per pipeline stage, e.g. "holistic 45.1 ms, inference 2.3 ms"."""
        return ", ".join(f"{stage} {_fmt(m.value(), 'ms')}" for stage, m in self.stages.items() if m.value() is not None)

    def refresh(self) -> None:
        self.camera.setText(f"{self.source_kind} {_fmt(self.camera_rate.rate(), 'fps')}")
        self.processing.setText(tr("Processing %1", _fmt(self.processing_rate.rate(), "fps")))
        self.delay.setText(tr("Latency %1", _fmt(self.latency.value(), "ms", 0)))
        stages = self.stage_text()
        self.delay.setToolTip(tr(LATENCY_TIP) + ("\n" + tr("Per stage (median): %1", stages) if stages else ""))

    def set_model(self, text: str, tooltip: str = "") -> None:
        self.model.setText(text)
        self.model.setToolTip(tooltip)

    def follow(self, session: RecognitionSession) -> None:
        """Keep the fields and the status message in step with ``session``."""
        session.picture.connect(lambda packet: self.camera_rate.add(packet.count))
        session.frame_processed.connect(self._on_frame_processed)
        session.state_changed.connect(self._on_state)
        session.source_opened.connect(self._on_opened)
        session.recognizer_changed.connect(self._on_recognizer)
        session.frame_error.connect(lambda message: self.bar.showMessage(message, 10000))
        self._session = session

    def _on_frame_processed(self, item: Processed) -> None:
        self.processing_rate.add(item.count)
        self.latency.add(item.latency_ms)
        self.add_timings(item.frame.timings)

    def _on_state(self, state: SourceState, detail: str) -> None:
        if state is SourceState.OPENING:
            self.source_kind = tr("Camera") if self._session.live else tr("Video")
            self.reset()
        elif state is SourceState.CAMERA_LOST:
            self.reset()
        if state.is_problem:
            self.bar.showMessage(problem_text(state, detail)[0])

    def _on_opened(self, info: SourceInfo) -> None:
        size = isolated(f"{info.size[0]}×{info.size[1]}") + ", " if info.size else ""
        if info.live:
            self.bar.showMessage(tr("Camera: %1 (%2%3 fps)", isolated(info.name), size, format(info.fps, ".0f")))
        else:
            length = f", {clock_text(info.frame_count / info.fps)}" if info.frame_count else ""
            self.bar.showMessage(tr("Video: %1 (%2%3 fps%4)", isolated(info.name), size, format(info.fps, ".0f"),
                                    length))

    def _on_recognizer(self, recognizer: Recognizer | None, problem: str) -> None:
        if recognizer is not None:
            self.set_model(tr("Model: %1 (%2 signs)", recognizer.name, len(recognizer.labels)),
                           str(recognizer.info.onnx))
        else:
            self.set_model(tr("No model"), problem)


def clock_text(seconds: float) -> str:
    """A position in a video as m:ss.s."""
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"
