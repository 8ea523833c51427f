"""Capture and processing threads of the recognition session.

Frames flow source → :class:`CaptureWorker` (one QThread per source) →
:class:`~signdesk.handover.Mailbox` → :class:`ProcessingWorker` (the one
:class:`~signdesk.pipeline.Pipeline`: MediaPipe + window + ONNX, one QThread for the app) →
Mailbox → session. Mailboxes hold one item (latest frame wins), so a slow MediaPipe drops
frames instead of queueing them. Signals only say "an item is waiting"; the UI thread takes
it and paints, nothing more.
"""

from __future__ import annotations

import enum
import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QImage

from signdesk.alternating import AlternatingExtractor
from signdesk.capture import CameraLost, FrameSource, SourceError
from signdesk.gui.i18n import tr
from signdesk.handover import Mailbox, PlaybackClock
from signdesk.landmarks import ExtractorError, LandmarkExtractor, as_bgr
from signdesk.pipeline import FrameResult, Pipeline
from signdesk.recognizer import InferenceError

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.gui.sources import SourceSpec
    from signdesk.recognizer import Recognizer

log = logging.getLogger(__name__)

#: How long a stopping worker may take to notice (seconds); well under the 1 s close budget.
POLL_S = 0.05


@dataclass(frozen=True)
class FramePacket:
    """One captured frame, ready for both the pipeline (BGR array) and the painter (QImage)."""

    serial: int  # which source run it came from; a new run resets the pipeline
    index: int
    time: float  # seconds into the source
    image: NDArray
    preview: QImage
    captured: float  # time.perf_counter() when read, for the latency figure
    count: int  # frames read from this run so far, for the camera rate


@dataclass(frozen=True)
class EndOfStream:
    serial: int


@dataclass(frozen=True)
class Processed:
    """The pipeline's result for one frame, for the overlay and the status bar."""

    serial: int
    frame: FrameResult
    latency_ms: float  # capture → result
    count: int  # frames processed since the worker started, for the processing rate


@dataclass(frozen=True)
class SourceInfo:
    name: str
    live: bool
    fps: float
    size: tuple[int, int] | None
    frame_count: int

    @classmethod
    def of(cls, source: FrameSource) -> SourceInfo:
        return cls(source.name, bool(source.live), float(source.fps), getattr(source, "size", None),
                   int(getattr(source, "frame_count", 0) or 0))


def to_qimage(bgr: NDArray) -> QImage:
    """A QImage of its own of a BGR uint8 frame, built off the UI thread.

    32-bit RGB is the format Qt scales and paints fastest (half the paint time of 24-bit on
    the development machine), and the conversion is the deep copy the preview needs anyway.
    """
    arr = np.ascontiguousarray(bgr)
    h, w = arr.shape[:2]
    return QImage(arr.data, w, h, arr.strides[0], QImage.Format.Format_BGR888).convertToFormat(
        QImage.Format.Format_RGB32)


class _Outcome(enum.Enum):
    """How one open source stopped playing."""

    STOPPED = enum.auto()
    ENDED = enum.auto()
    LOST = enum.auto()


class CaptureWorker(QObject):
    """Reads one source in its own thread and hands frames to the pipeline and the preview.

    A camera that cannot be opened, or that stops sending frames, is retried every
    ``retry_s`` seconds until it comes back or the worker is stopped (another source picked).
    A video file waits for ``gate`` (set when the analysis is ready) before it starts playing.
    """

    # Every signal carries the run's serial, so the window can ignore a source it has left.
    opened = Signal(int, object)  # SourceInfo
    failed = Signal(int, str)  # could not open or read; a camera keeps retrying
    lost = Signal(int, str)  # a working camera stopped; reconnecting
    ended = Signal(int)  # a video file reached its end
    bad_frame = Signal(int, str)  # a frame that is no picture was skipped (said on the 1st, 100th, …)
    frame_ready = Signal()  # the preview mailbox got a frame after being empty (packets carry the serial)
    finished = Signal()

    def __init__(
        self,
        spec: SourceSpec,
        serial: int,
        to_pipeline: Mailbox,
        to_preview: Mailbox,
        *,
        speed: float = 1.0,
        every_frame: bool = False,
        retry_s: float = 2.0,
        gate: threading.Event | None = None,
    ) -> None:
        super().__init__()
        self.spec = spec
        self.serial = serial
        self._to_pipeline = to_pipeline
        self._to_preview = to_preview
        self._clock = PlaybackClock(speed)
        self._every_frame = every_frame
        self._retry_s = retry_s
        self._gate = gate
        self._stop = threading.Event()
        self._skipped = 0
        self._resume = threading.Event()
        self._resume.set()
        #: time.monotonic() of the last picture the source gave (or of its opening); the session's
        #: watchdog reads it, because a camera stuck inside read() cannot report anything itself
        self.last_frame_at = time.monotonic()

    # --- called from the UI thread -------------------------------------------------------

    def stop(self) -> None:
        self._stop.set()
        self._resume.set()

    def set_paused(self, paused: bool) -> None:
        if paused:
            self._resume.clear()
        else:
            self._clock.hold()
            self._resume.set()

    def set_playback(self, speed: float, every_frame: bool) -> None:
        self._clock.speed = speed
        self._clock.hold()
        self._every_frame = every_frame

    # --- the thread ----------------------------------------------------------------------

    @Slot()
    def run(self) -> None:
        source = None
        try:
            source = self._open(reconnecting=False)
            while source is not None and not self._stop.is_set():
                self.last_frame_at = time.monotonic()
                self.opened.emit(self.serial, SourceInfo.of(source))
                outcome = self._play(source)
                source.close()
                source = self._open(reconnecting=True) if outcome == _Outcome.LOST else None
        except Exception as exc:  # a bug must not kill the window silently
            log.exception("capture failed")
            self.failed.emit(self.serial, tr("%1: capture stopped (%2)", self.spec.label, exc))
        finally:
            if source is not None:
                source.close()
            self.finished.emit()

    def _open(self, reconnecting: bool) -> FrameSource | None:
        last = None
        while not self._stop.is_set():
            try:
                return self.spec.open()
            except SourceError as exc:
                message = str(exc)
            if not self.spec.live:
                self.failed.emit(self.serial, message)
                return None
            if message != last and not reconnecting:
                self.failed.emit(self.serial, message)
            last = message
            self._stop.wait(self._retry_s)
        return None

    def _wait_idle(self) -> None:
        while not self._stop.is_set() and not self._to_pipeline.wait_idle(POLL_S):
            pass

    def _play(self, source: FrameSource) -> _Outcome:
        count = 0
        if not source.live and self._gate is not None:
            # A file starts once the analysis is ready, so its first second is not lost.
            while not self._stop.is_set() and not self._gate.wait(POLL_S):
                pass
        while not self._stop.is_set():
            if not self._resume.is_set():
                if source.live:
                    try:
                        source.read()  # keep the camera running (and notice an unplug) while paused
                        self.last_frame_at = time.monotonic()
                    except CameraLost as exc:
                        self.lost.emit(self.serial, str(exc))
                        return _Outcome.LOST
                else:
                    self._resume.wait(POLL_S)
                continue
            try:
                frame = source.read()
            except CameraLost as exc:
                self.lost.emit(self.serial, str(exc))
                return _Outcome.LOST
            except SourceError as exc:
                self.failed.emit(self.serial, str(exc))
                return _Outcome.STOPPED
            self.last_frame_at = time.monotonic()
            if frame is None:
                self._wait_idle()  # let the last frame be analysed before the end is announced
                self._to_pipeline.put(EndOfStream(self.serial))
                self.ended.emit(self.serial)
                return _Outcome.ENDED
            if not source.live:
                if self._every_frame:
                    self._wait_idle()
                delay = self._clock.due(frame.time) - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    break
            if self._stop.is_set():
                break  # another source was picked while this frame was being read
            try:
                image = as_bgr(frame.image)  # grey, BGRA, 16-bit: converted once, for preview and analysis
            except ExtractorError as exc:
                self._skipped += 1
                if self._skipped == 1 or self._skipped % 100 == 0:
                    self.bad_frame.emit(self.serial, tr("%1: frame %2 skipped (%3)", self.spec.label, frame.index, exc))
                continue
            count += 1
            packet = FramePacket(self.serial, frame.index, frame.time, image, to_qimage(image),
                                 time.perf_counter(), count)
            self._to_pipeline.put(packet)
            if self._to_preview.put(packet):
                self.frame_ready.emit()
        return _Outcome.STOPPED


_UNSET: Any = object()


def default_graphs() -> int:
    """Holistic graphs to run side by side: two only where four cores can carry them.

    Measured on a 2-core machine (docs/benchmarks.md, 2026-12-03, second sitting): a second
    graph raises the window's analysed rate by about a tenth (24.5 → 27 frames/s) but costs
    ~250 MB (its own TFLite models and buffers), so two cores keep one graph.
    """
    return 2 if (os.cpu_count() or 1) >= 4 else 1


class ProcessingWorker(QObject):
    """The pipeline (MediaPipe Holistic → normalize → window → ONNX) in its own thread.

    Extraction runs on ``graphs`` Holistic graphs on alternate frames
    (:class:`~signdesk.alternating.AlternatingExtractor`), so a new frame is being analysed
    while the previous one finishes; the landmarks then go, in frame order, through the one
    :class:`~signdesk.pipeline.Pipeline` path. Without a model (none installed, or a broken
    one) that path still segments attempts, so the overlay and the hints keep working.
    """

    ready = Signal()
    failed = Signal(str)  # MediaPipe could not start (fatal for recognition)
    error = Signal(str)  # a frame could not be analysed (the next one is tried)
    model_failed = Signal(str)  # the model failed at run time; recognition goes on without it
    frame_done = Signal()  # the result mailbox got an item after being empty
    live = Signal(int, object)  # serial, Prediction on the sliding window while signing
    early = Signal(int, object)  # serial, AttemptResult scored at the first hand-down frame
    attempt = Signal(int, object)  # serial, AttemptResult when a sign attempt ends (the end rule)
    stream_done = Signal(int)  # serial: the end of a file has been analysed
    finished = Signal()

    def __init__(
        self,
        inbox: Mailbox,
        outbox: Mailbox,
        recognizer: Recognizer | None,
        stride: int = 5,
        extractor_factory: Callable[[], LandmarkExtractor] = LandmarkExtractor,
        graphs: int | None = None,
    ) -> None:
        super().__init__()
        self._inbox = inbox
        self._outbox = outbox
        self._factory = extractor_factory
        self.graphs = graphs or default_graphs()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pending: dict[str, Any] = {"recognizer": recognizer, "stride": stride}
        self._pipeline = Pipeline(None)
        self._extractors: AlternatingExtractor | None = None
        self._serial = -1
        self._count = 0
        self._last_error = ""

    @property
    def processed(self) -> int:
        """Frames analysed since the worker started."""
        return self._count

    def configure(self, recognizer: Recognizer | None = _UNSET, stride: int | None = None) -> None:
        """Swap the model or change the inference stride; applied before the next frame."""
        with self._lock:
            if recognizer is not _UNSET:
                self._pending["recognizer"] = recognizer
            if stride is not None:
                self._pending["stride"] = stride

    def stop(self) -> None:
        self._stop.set()

    def _start_extractors(self) -> AlternatingExtractor | None:
        """MediaPipe's graphs, built and warmed up in a helper thread; None if stopped first.

        Building Holistic takes seconds and cannot be interrupted. Waiting for it here would
        keep the window from closing within a second, so a stop abandons the helper: it
        finishes on its own and closes what it built (the process's exit waits for it).
        """
        lock, box, done = threading.Lock(), {}, threading.Event()

        def build() -> None:
            built = None
            try:
                built = AlternatingExtractor(self._factory, self.graphs, on_done=self._inbox.nudge)
                if not self._stop.is_set():
                    built.warm_up(np.zeros((256, 256, 3), np.uint8))  # load the models now, not on frame 1
            except Exception as exc:
                box["error"] = exc
            with lock:
                box["built"] = built
                abandoned = "abandoned" in box
                done.set()
            if abandoned and built is not None:
                built.close()

        # daemon given and no join(): from a QThread, either would ask threading.current_thread(),
        # which registers a dummy Thread object for the QThread that outlives it
        helper = threading.Thread(target=build, name="signdesk-mediapipe-start", daemon=False)
        helper.start()
        while not done.wait(POLL_S) and not self._stop.is_set():
            pass
        with lock:
            if not done.is_set():
                box["abandoned"] = True
                return None
        built, error = box["built"], box.get("error")
        if error is not None:
            if built is not None:
                built.close()
            raise error
        return built

    @Slot()
    def run(self) -> None:
        try:
            extractors = self._extractors = self._start_extractors()
        except Exception as exc:
            self.failed.emit(tr("could not start MediaPipe: %1", exc))
            self.finished.emit()
            return
        if extractors is None:  # stopped while MediaPipe was starting
            self.finished.emit()
            return
        try:
            if not self._stop.is_set():
                self.ready.emit()
            while not self._stop.is_set():
                if extractors.oldest_ready:  # landmarks are there: on to the pipeline at once
                    self._finish_oldest()
                elif not extractors.full:  # a graph is free: wait for a frame, or for a graph to finish
                    item = self._inbox.take(timeout=POLL_S)
                    if item is not None:
                        try:
                            self._accept(item)
                        finally:
                            self._inbox.done()
                else:  # every graph is busy: wait for the oldest
                    self._finish_oldest()
        except Exception as exc:
            log.exception("analysis stopped")
            self.failed.emit(tr("the landmark detector stopped: %1", exc))
        finally:
            extractors.close()
            self.finished.emit()

    def _report(self, message: str) -> None:
        if message != self._last_error:
            self._last_error = message
            self.error.emit(message)

    def _apply_config(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        if "stride" in pending:
            self._pipeline.stride = int(pending["stride"])
        if "recognizer" in pending:
            self._pipeline.set_recognizer(pending["recognizer"])
            self._last_error = ""

    def _accept(self, item: FramePacket | EndOfStream) -> None:
        """Take one item from the capture: start analysing a frame, or close a finished file."""
        self._apply_config()
        if item.serial < self._serial:
            return  # read by a capture thread after the user left its source: not wanted
        if item.serial != self._serial:
            self._serial = item.serial
            self._extractors.reset()  # frames of the source the user left are not wanted
            self._pipeline.reset()
        if isinstance(item, EndOfStream):
            while self._extractors.in_flight:
                self._finish_oldest()
            final = self._guarded(self._pipeline.finish, tr("the end of the video"))
            if final is not None:
                self.attempt.emit(item.serial, final)
            self.stream_done.emit(item.serial)
            return
        self._extractors.submit(item, item.image)

    def _finish_oldest(self) -> None:
        """The oldest frame in flight: its landmarks through the pipeline, its results out."""
        oldest = self._extractors.oldest
        extracted = self._guarded(self._extractors.collect, tr("frame %1", oldest.index))
        # A graph is free now: give it the frame already waiting before this one's pipeline step
        # (normalization, the window, ONNX), so that Holistic never waits on it.
        waiting = self._inbox.take_if(lambda next_item: isinstance(next_item, FramePacket)
                                      and next_item.serial == self._serial)
        if waiting is not None:
            try:
                self._accept(waiting)
            finally:
                self._inbox.done()
        if extracted is None:
            return
        item, raw, holistic_ms = extracted
        out = self._guarded(lambda: self._pipeline.process_landmarks(item.index, item.time, raw),
                            tr("frame %1", item.index))
        if out is None:
            return
        frame, attempt = out
        frame.timings["holistic"] = holistic_ms
        self._count += 1
        latency = (time.perf_counter() - item.captured) * 1000
        if self._outbox.put(Processed(item.serial, frame, latency, self._count)):
            self.frame_done.emit()
        if frame.live is not None:
            self.live.emit(item.serial, frame.live)
        if frame.early is not None:
            self.early.emit(item.serial, frame.early)
        if attempt is not None:
            self.attempt.emit(item.serial, attempt)

    def _guarded(self, call: Callable[[], Any], what: str) -> Any:
        """Run one step; each kind of failure is reported as what it is.

        MediaPipe failing on a frame and an unexpected bug are reported and the next frame is
        tried; a model that fails at run time is dropped (recognition goes on without it),
        not retried on every frame.
        """
        try:
            return call()
        except ExtractorError as exc:
            self._report(tr("landmarks failed on %1: %2", what, exc))
        except InferenceError as exc:
            log.exception("inference failed")
            self._pipeline.set_recognizer(None)
            self.model_failed.emit(tr("%1; recognition is off", exc))
        except Exception as exc:
            log.exception("analysis failed")
            self._report(tr("analysis failed on %1: %2: %3", what, type(exc).__name__, exc))
        return None


def worker_thread(worker: CaptureWorker | ProcessingWorker, name: str) -> QThread:
    """A new (not yet started) thread that runs ``worker.run`` and ends when it returns."""
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    # Direct: whoever joins the thread may be blocked in thread.wait() when the worker ends.
    worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    return thread
