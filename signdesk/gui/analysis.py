"""The analysis thread of the recognition session: Holistic graphs, then the one pipeline.

It takes frames from the capture's :class:`~signdesk.handover.Mailbox` (latest frame wins),
keeps every Holistic graph busy, and hands results to the session through another Mailbox
(:mod:`signdesk.gui.workers` has the capture side and the packets).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from signdesk.alternating import PIPELINE_DEPTH, AlternatingExtractor
from signdesk.gui.i18n import tr
from signdesk.gui.workers import POLL_S, EndOfStream, FramePacket, Processed
from signdesk.handover import Mailbox
from signdesk.landmarks import ExtractorError, LandmarkExtractor
from signdesk.pipeline import Pipeline
from signdesk.recognizer import InferenceError

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.recognizer import Recognizer

log = logging.getLogger(__name__)

_UNSET: Any = object()


def default_graphs() -> int:
    """Holistic graphs to run side by side: two only where four cores can carry them.

    Measured on a 2-core machine (docs/benchmarks.md, 2026-12-07): one graph with two frames
    in flight analyses the camera's 30 frames/s at ~450 MB; a second graph costs ~210 MB more
    for no gain there, so two cores keep one graph.
    """
    return 2 if (os.cpu_count() or 1) >= 4 else 1


class ProcessingWorker(QObject):
    """The pipeline (MediaPipe Holistic → normalize → window → ONNX) in its own thread.

    Extraction runs on ``graphs`` Holistic graphs on alternate frames, each taking the next
    frame before the previous one is finished
    (:class:`~signdesk.alternating.AlternatingExtractor`); the landmarks then go, in frame order, through the one
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
                built = AlternatingExtractor(self._factory, self.graphs, on_done=self._inbox.nudge,
                                             depth=PIPELINE_DEPTH)
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
                    self._handle(self._inbox.take(timeout=POLL_S))
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

    def _handle(self, item: FramePacket | EndOfStream | None) -> None:
        """Accept an item taken from the inbox (if any), then tell the inbox it was handled."""
        if item is not None:
            try:
                self._accept(item)
            finally:
                self._inbox.done()

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
        self._handle(self._inbox.take_if(lambda waiting: isinstance(waiting, FramePacket)
                                         and waiting.serial == self._serial))
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
