"""The capture thread of the recognition session, and what the threads hand over.

Frames flow source → :class:`CaptureWorker` (one QThread per source) →
:class:`~signdesk.handover.Mailbox` → :class:`~signdesk.gui.analysis.ProcessingWorker` (the one
:class:`~signdesk.pipeline.Pipeline`: MediaPipe + window + ONNX, one QThread for the app) →
Mailbox → session. Mailboxes hold one item (latest frame wins), so a slow MediaPipe drops
frames instead of queueing them. Signals only say "an item is waiting"; the UI thread takes
it and paints, nothing more.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QImage

from signdesk.capture import CameraLost, FrameSource, SourceError
from signdesk.gui.i18n import tr
from signdesk.handover import Mailbox, PlaybackClock
from signdesk.landmarks import ExtractorError, as_bgr
from signdesk.pipeline import FrameResult

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.gui.sources import SourceSpec

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




def worker_thread(worker: QObject, name: str) -> QThread:
    """A new (not yet started) thread that runs ``worker.run`` and ends when it returns."""
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    # Direct: whoever joins the thread may be blocked in thread.wait() when the worker ends.
    worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    return thread
