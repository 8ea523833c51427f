"""Video files and cameras through Qt Multimedia, for installs without OpenCV (the bundles).

The installers leave OpenCV out: it is 130 MB of a 410 MB bundle, and Qt Multimedia's FFmpeg
backend (20 MB) decodes files and drives cameras as well. These sources keep the pull interface
of :mod:`signdesk.capture` (``read()`` → :class:`~signdesk.capture.Frame`, ``close()``), so the
capture worker paces, pauses and gates them exactly as it does OpenCV's.

Qt pushes frames from its own thread. A camera's newest frame replaces the one before (the
reader wants the latest); a file's frames queue up to :data:`FILE_QUEUE`, and Qt's renderer
waits while the queue is full, so a slow reader (every-frame analysis, a paused video) loses
none and holds no more than a few frames. The player itself belongs to the reading thread,
which runs Qt's events only while it waits inside ``read``.
"""

from __future__ import annotations

import collections
import ctypes
import functools
import logging
import platform
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
import shiboken6
from PySide6.QtCore import QCameraPermission, QCoreApplication, QEventLoop, QLoggingCategory, QObject, Qt, QUrl
from PySide6.QtGui import QImage

# Qt Multimedia prints its search for PipeWire (when it loads), FFmpeg's stream dump and its
# hardware-decoder search (on every file); the errors raised here say what matters.
QLoggingCategory.setFilterRules("qt.multimedia.*=false")

from PySide6.QtMultimedia import (  # noqa: E402 (after the logging rules)
    QCamera,
    QCameraDevice,
    QMediaCaptureSession,
    QMediaDevices,
    QMediaMetaData,
    QMediaPlayer,
    QVideoFrame,
    QVideoSink,
)

from signdesk import capture
from signdesk.capture import (
    BROKEN_BELOW,
    CameraInfo,
    CameraLost,
    FileSource,
    Frame,
    SourceError,
    check_video_path,
    why_camera_failed,
)

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

#: Decoded frames a file may hold ahead of its reader (each is one picture, ~1 MB at 640×480).
FILE_QUEUE = 4
#: How long a file may take to open and show its first picture before it counts as unreadable.
OPEN_TIMEOUT_S = 10.0
#: Faster than any playback speed the window offers: the capture worker's clock does the pacing.
PLAYER_RATE = 8.0
#: How often a waiting reader runs Qt's events and checks its stop flag (seconds).
SLICE_S = 0.01


#: FFmpeg's own library as Qt's wheels name it (Linux, Windows, macOS), newest first.
_AVUTIL = ("libavutil.so.60", "libavutil.so.59", "avutil-60", "avutil-59", "libavutil.60.dylib", "libavutil.59.dylib")
#: AV_LOG_QUIET
_AV_LOG_QUIET = -8


def _loaded_avutil() -> list[str]:
    """The FFmpeg utility library this process loaded (Linux: from its memory map), else likely names."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = {line.split()[-1] for line in maps if "/libavutil.so" in line}
        if paths:
            return sorted(paths)
    except OSError:
        pass
    return list(_AVUTIL)


@functools.cache
def _quiet_ffmpeg() -> bool:
    """Keep FFmpeg from printing to the terminal (a line per frame for some cameras' MJPEG).

    Qt's backend leaves FFmpeg's own logging on; FFmpeg has no setting for it outside its API.
    Called once the backend is loaded, so the library is the one already loaded.
    """
    for name in _loaded_avutil():
        try:
            ctypes.CDLL(name).av_log_set_level(_AV_LOG_QUIET)
            return True
        except (OSError, AttributeError):
            continue
    return False


def to_bgr(frame: QVideoFrame) -> NDArray | None:
    """A video frame as an (H, W, 3) uint8 BGR array of its own; None for an empty frame."""
    image = frame.toImage()
    if image.isNull():
        return None
    image = image.convertToFormat(QImage.Format.Format_BGR888)
    h, w, line = image.height(), image.width(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8, count=line * h).reshape(h, line)
    return rows[:, : w * 3].reshape(h, w, 3).copy()


class _Events:
    """Runs the reading thread's Qt events while it waits (its thread has no loop of its own).

    Frames, errors and the end come through direct connections that notify ``cond``; the
    events run here are the player's own bookkeeping (loading, state changes).
    """

    def __init__(self, cond: threading.Condition) -> None:
        self._loop = QEventLoop()
        self._cond = cond

    def wait(self, done: Callable[[], object], timeout_s: float, stop: threading.Event | None = None) -> bool:
        """Run events until ``done()`` or ``timeout_s`` (or ``stop``); True if ``done()``."""
        deadline = time.monotonic() + timeout_s
        while not done():
            left = deadline - time.monotonic()
            if left <= 0 or (stop is not None and stop.is_set()):
                return False
            self._loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
            with self._cond:
                if not done():
                    self._cond.wait(min(left, SLICE_S))
        return True


class _Callbacks:
    """Counts Qt's threads inside this source's Python callbacks, so closing can wait them out.

    Stopping a player or camera waits for Qt's threads while holding Python's lock (PySide
    keeps it through the call); a Qt thread waiting for that lock inside a callback would then
    wait forever. So signals are blocked first, and the close waits, without the lock, until
    no callback is running.
    """

    def __init__(self, cond: threading.Condition) -> None:
        self._cond = cond
        self.inside = 0

    def __enter__(self) -> None:
        with self._cond:
            self.inside += 1

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self.inside -= 1
            self._cond.notify_all()

    def drain(self, *senders: QObject) -> None:
        for sender in senders:
            sender.blockSignals(True)  # no new callback starts
        for _ in range(2):  # twice: a callback already under way may still be waiting for the lock
            time.sleep(SLICE_S)
            with self._cond:
                self._cond.wait_for(lambda: self.inside == 0, timeout=1.0)


class _QtSource:
    """What a Qt file and a Qt camera share: the hand-over from Qt's threads, and a safe close."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._closed = threading.Event()
        self._error = ""
        self._index = 0
        self._events = _Events(self._cond)
        self._callbacks = _Callbacks(self._cond)
        #: the Qt objects of this source: signals blocked, then deleted on close
        self._owned: tuple[QObject, ...] = ()

    def _on_error(self, error: object, message: str) -> None:
        if getattr(error, "name", "") != "NoError":
            with self._cond:
                self._error = message or str(error)
                self._cond.notify_all()

    def _stop(self) -> None:
        """Stop the player or camera (its signals are blocked and no callback is running)."""

    def close(self) -> None:
        if self._closed.is_set():
            return
        with self._cond:
            self._closed.set()
            self._cond.notify_all()
        self._callbacks.drain(*self._owned)
        self._stop()
        # Deleted here, in the thread that owns them: a garbage collection elsewhere must not.
        for obj in self._owned:
            shiboken6.delete(obj)


class QtVideoFile(_QtSource, FileSource):
    """The frames of a video file, in order, through Qt Multimedia (see the module docstring).

    Errors match :class:`signdesk.capture.VideoFile`: a missing, unreadable or undecodable file
    raises :class:`SourceError` on opening, and a stream that breaks off well before the length
    its header announces raises it where it breaks.
    """

    live = False

    def __init__(self, path: str | Path) -> None:
        self.path = check_video_path(path)
        super().__init__()
        self.name = self.path.name
        self._queue: collections.deque[tuple[int, NDArray]] = collections.deque()
        self._ended = False
        self._player = QMediaPlayer()
        _quiet_ffmpeg()
        self._sink = QVideoSink()
        self._owned = (self._sink, self._player)
        self._player.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._on_frame, Qt.ConnectionType.DirectConnection)
        self._player.mediaStatusChanged.connect(self._on_status, Qt.ConnectionType.DirectConnection)
        self._player.errorOccurred.connect(self._on_error, Qt.ConnectionType.DirectConnection)
        self._player.setSource(QUrl.fromLocalFile(str(self.path.resolve())))
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        status = QMediaPlayer.MediaStatus
        settled = (status.LoadedMedia, status.BufferedMedia, status.EndOfMedia, status.InvalidMedia)
        if not self._events.wait(lambda: self._error or self._player.mediaStatus() in settled, OPEN_TIMEOUT_S) \
                or self._error or self._player.mediaStatus() == status.InvalidMedia:
            raise SourceError(f"{self.path}: not a readable video (unknown format or damaged file)")
        if not self._player.hasVideo():
            raise SourceError(f"{self.path}: the video has no readable frames")
        rate = self._player.metaData().value(QMediaMetaData.Key.VideoFrameRate)
        fps = float(rate) if isinstance(rate, (int, float)) else 0.0
        self.fps = fps if 1.0 <= fps <= 240.0 else 30.0
        self.frame_count = round(max(0, self._player.duration()) / 1000 * self.fps)
        self._player.setPlaybackRate(PLAYER_RATE)
        self._player.play()
        if not self._events.wait(lambda: self._queue or self._ended or self._error, OPEN_TIMEOUT_S) \
                or not self._queue:
            raise SourceError(f"{self.path}: the video has no readable frames")
        self.size = (self._queue[0][1].shape[1], self._queue[0][1].shape[0])

    # --- Qt's threads ----------------------------------------------------------------------

    def _on_frame(self, frame: QVideoFrame) -> None:
        with self._callbacks:
            if not frame.isValid() or self._closed.is_set():
                return
            image = to_bgr(frame)
            if image is None:
                return
            with self._cond:
                while len(self._queue) >= FILE_QUEUE and not self._closed.is_set():
                    self._cond.wait(0.05)  # Qt's renderer waits here: the reader sets the pace
                if not self._closed.is_set():
                    self._queue.append((frame.startTime(), image))
                    self._cond.notify_all()

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            with self._cond:
                self._ended = True
                self._cond.notify_all()

    # --- the reading thread ----------------------------------------------------------------

    def read(self) -> Frame | None:
        if self._closed.is_set():
            return None
        self._events.wait(lambda: self._queue or self._ended or self._error, float("inf"), self._closed)
        with self._cond:
            if not self._queue:
                if self._error:
                    raise SourceError(f"{self.path}: the video breaks off after frame {self._index} ({self._error})")
                if self._index < self.frame_count * BROKEN_BELOW:
                    raise SourceError(f"{self.path}: the video breaks off after frame {self._index} of "
                                      f"{self.frame_count} (damaged or incomplete file)")
                return None
            start_us, image = self._queue.popleft()
            self._cond.notify_all()
        t = start_us / 1e6 if start_us >= 0 else self._index / self.fps
        frame = Frame(self._index, t, image)
        self._index += 1
        return frame

    def _stop(self) -> None:
        self._player.stop()
        self._queue.clear()


def video_inputs() -> list[QCameraDevice]:
    return list(QMediaDevices.videoInputs())


def camera_device(index: int) -> QCameraDevice | None:
    """The Qt camera for signdesk's camera number: ``/dev/videoN`` on Linux, else the Nth listed.

    The numbers are the ones :func:`signdesk.capture.list_cameras` gives (sysfs on Linux, the
    OS's order elsewhere), so a camera keeps its number whichever backend opens it.
    """
    devices = video_inputs()
    if platform.system() == "Linux":
        wanted = f"/dev/video{index}"
        return next((d for d in devices if bytes(d.id().data()).decode(errors="replace") == wanted), None)
    return devices[index] if 0 <= index < len(devices) else None


def list_cameras() -> list[CameraInfo]:
    """Cameras as Qt Multimedia lists them (used where OpenCV would have to probe)."""
    return [CameraInfo(i, d.description() or f"Camera {i}") for i, d in enumerate(video_inputs())]


def _best_format(device: QCameraDevice, size: tuple[int, int] | None):
    """The camera format nearest ``size``; among equals, the fastest."""
    formats = list(device.videoFormats())
    if not formats or size is None:
        return None

    def score(f) -> tuple[int, float]:
        r = f.resolution()
        return abs(r.width() * r.height() - size[0] * size[1]), -f.maxFrameRate()

    return min(formats, key=score)


class QtCamera(_QtSource):
    """A webcam through Qt Multimedia. ``read`` raises :class:`CameraLost` after ``stall_s`` without a frame."""

    live = True

    def __init__(self, index: int = 0, size: tuple[int, int] | None = None, name: str | None = None,
                 stall_s: float = 3.0, open_timeout_s: float = 5.0) -> None:
        super().__init__()
        self.index = index
        self.name = name or f"Camera {index}"
        self._stall_s = stall_s
        self._latest: tuple[float, NDArray] | None = None
        device = camera_device(index)
        if device is None:
            raise SourceError(f"camera {index} could not be opened ({why_camera_failed(index)})")
        self._camera = QCamera(device)
        _quiet_ffmpeg()
        fmt = _best_format(device, size)
        if fmt is not None:
            self._camera.setCameraFormat(fmt)
        self.fps = float(fmt.maxFrameRate()) if fmt is not None and 1.0 <= fmt.maxFrameRate() <= 240.0 else 30.0
        self._session = QMediaCaptureSession()
        self._sink = QVideoSink()
        self._owned = (self._sink, self._camera, self._session)
        self._session.setCamera(self._camera)
        self._session.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._on_frame, Qt.ConnectionType.DirectConnection)
        self._camera.errorOccurred.connect(self._on_error, Qt.ConnectionType.DirectConnection)
        self._t0 = time.monotonic()
        self._camera.start()
        self._events.wait(lambda: self._latest is not None or self._error, open_timeout_s)
        if self._latest is None:  # an error, or nothing within open_timeout_s
            message = self._error
            self.close()
            raise SourceError(f"camera {index} could not be opened ({message or why_camera_failed(index)})")

    def _on_frame(self, frame: QVideoFrame) -> None:
        with self._callbacks:
            if not frame.isValid() or self._closed.is_set():
                return
            image = to_bgr(frame)
            if image is not None:
                with self._cond:
                    self._latest = (time.monotonic() - self._t0, image)
                    self._cond.notify_all()

    def read(self) -> Frame:
        if self._closed.is_set():
            raise CameraLost(f"{self.name} is closed")
        if not self._events.wait(lambda: self._latest is not None or self._error, self._stall_s, self._closed) \
                or self._latest is None:
            raise CameraLost(f"{self.name} stopped sending frames (unplugged or taken by another program)")
        with self._cond:
            t, image = self._latest
            self._latest = None
        frame = Frame(self._index, t, image)
        self._index += 1
        return frame

    def _stop(self) -> None:
        self._camera.stop()


def ask_camera_permission(app: QCoreApplication) -> None:
    """Ask the OS for the camera now (macOS), so the prompt comes up before the first camera opens.

    Qt Multimedia, unlike OpenCV, starts no camera until the permission is granted. The capture
    thread retries a camera that did not open, so it starts once the user says yes; a "no"
    leaves the camera-failed state, which names the privacy settings.
    """
    permission = QCameraPermission()
    if app.checkPermission(permission) == Qt.PermissionStatus.Undetermined:
        app.requestPermission(permission, app, lambda result: log.info("camera permission: %s", result.status()))


def install() -> None:
    """Make :mod:`signdesk.capture` open files and cameras through Qt (callers decide when:
    where OpenCV is missing, or ``SIGNDESK_CAPTURE=qt``)."""
    capture.use_sources(capture.Sources(QtVideoFile, QtCamera, list_cameras, "Qt Multimedia"))
    log.info("video and cameras through Qt Multimedia")
