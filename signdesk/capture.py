"""Frame sources without Qt: video files and cameras through OpenCV.

Both give BGR uint8 frames with a timestamp in seconds. Errors are specific:
:class:`SourceError` for a file or camera that cannot be opened, :class:`CameraLost` when a
camera stops delivering frames mid-run (unplugged, taken by another program).

The installers leave OpenCV out; the app then registers Qt Multimedia's sources with
:func:`use_sources`, and :func:`open_video`, :func:`open_camera` and :func:`list_cameras`
go through them. Without either, opening a source says what is missing.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Protocol, Self

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

# FFmpeg and OpenCV's video backends print their own complaints ("moov atom not found",
# "can't open camera by index") to stderr; the errors raised here say it better.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_VIDEOIO_DEBUG", "0")
os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")

#: A file that stops before this share of the frames its header announces is broken, not ended
#: (counts of some containers are estimates from the duration, so a few frames short is normal).
BROKEN_BELOW = 0.9

VIDEO_SUFFIXES = (".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv")


class SourceError(RuntimeError):
    """A video file or camera could not be opened or read."""


class CameraLost(SourceError):
    """A camera that was working stopped delivering frames."""


@dataclass(frozen=True)
class Frame:
    index: int
    time: float  # seconds since the source started (video: position in the file)
    image: NDArray  # BGR uint8 (H, W, 3)


class FrameSource(Protocol):
    """What the pipeline and the GUI need from a source."""

    name: str
    fps: float
    live: bool

    def read(self) -> Frame | None:
        """The next frame, or ``None`` at the end of a file."""

    def close(self) -> None: ...


#: What opening a file or camera says where neither OpenCV nor another backend is there.
NO_BACKEND = ("this installation has no video backend (OpenCV is not installed); video files and "
              "cameras open in the signdesk window, or install OpenCV: pip install opencv-contrib-python")


@functools.cache
def opencv_available() -> bool:
    """OpenCV can be imported (the pip install); the bundles leave it out."""
    from signdesk.deferred import Placeholder

    module = sys.modules.get("cv2")
    if module is not None:
        return not isinstance(module, Placeholder)
    return importlib.util.find_spec("cv2") is not None


def _cv2():
    if not opencv_available():
        raise SourceError(NO_BACKEND)
    import cv2

    return cv2


def check_video_path(path: str | Path) -> Path:
    """``path`` as a Path, once it is known to be a readable file (else :class:`SourceError`)."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.is_dir():
        raise SourceError(f"{path}: is a folder, not a video file")
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None
    return path


class FileSource:
    """What every video-file source adds to ``read``/``close``: iteration in order, and ``with``."""

    def read(self) -> Frame | None:  # pragma: no cover - each source reads its own way
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover
        raise NotImplementedError

    def __iter__(self) -> Iterator[Frame]:
        while (frame := self.read()) is not None:
            yield frame

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class VideoFile(FileSource):
    """Frames of a video file, in order, with their timestamps in the file.

    A file whose stream breaks off well before the frame count its header announces (cut
    short by a failed download or copy) raises :class:`SourceError` where it breaks, rather
    than ending quietly as if the signing had stopped there.
    """

    live = False

    def __init__(self, path: str | Path) -> None:
        self.path = check_video_path(path)
        cv2 = _cv2()
        self.name = self.path.name
        self._cap = cv2.VideoCapture(str(self.path))
        if not self._cap.isOpened():
            self._cap.release()
            raise SourceError(f"{self.path}: not a readable video (unknown format or damaged file)")
        ok, first = self._cap.read()
        if not ok or first is None:
            self._cap.release()
            raise SourceError(f"{self.path}: the video has no readable frames")
        self._first: NDArray | None = first
        fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if 1.0 <= fps <= 240.0 else 30.0
        self.frame_count = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        self.size = (first.shape[1], first.shape[0])
        self._index = 0

    def read(self) -> Frame | None:
        if self._first is not None:
            image, self._first = self._first, None
        else:
            if self._cap is None:
                return None
            ok, image = self._cap.read()
            if not ok or image is None:
                if self._index < self.frame_count * BROKEN_BELOW:
                    raise SourceError(f"{self.path}: the video breaks off after frame {self._index} of "
                                      f"{self.frame_count} (damaged or incomplete file)")
                return None
        frame = Frame(self._index, self._index / self.fps, image)
        self._index += 1
        return frame

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


@dataclass(frozen=True)
class CameraInfo:
    index: int
    name: str


def _linux_camera_names() -> dict[int, str]:
    names = {}
    for dev in sorted(Path("/sys/class/video4linux").glob("video*")):
        try:
            index = int(dev.name[5:])
            name = (dev / "name").read_text(encoding="utf-8").strip()
        except (ValueError, OSError):
            continue
        # A UVC camera registers a second node for metadata; only index 0 of a device captures.
        try:
            if (dev / "index").read_text().strip() != "0":
                continue
        except OSError:
            pass
        names[index] = name
    return names


def list_cameras(probe: int = 4) -> list[CameraInfo]:
    """Cameras found on this machine, by name where the OS gives one.

    On Linux the names come from sysfs (no device is opened). Elsewhere the registered sources
    list them, or OpenCV opens the first ``probe`` indices briefly and names them "Camera N".
    """
    if platform.system() == "Linux":
        return [CameraInfo(i, n) for i, n in _linux_camera_names().items()]
    if _sources is not None:
        return _sources.cameras()
    cv2 = _cv2()

    found = []
    for index in range(probe):
        cap = cv2.VideoCapture(index)
        try:
            if cap.isOpened():
                found.append(CameraInfo(index, f"Camera {index}"))
        finally:
            cap.release()
    return found


#: The device file of camera N on Linux (tests point it elsewhere).
LINUX_DEVICE = "/dev/video{index}"


def why_camera_failed(index: int) -> str:
    """The likeliest reason camera ``index`` did not open, as specific as the OS lets us be.

    On Linux a missing device file means no camera and an unreadable one means no permission
    (the user is not in the ``video`` group); elsewhere OpenCV cannot tell these apart.
    """
    if platform.system() != "Linux":
        return "not connected, in use by another program, or camera permission denied"
    device = Path(LINUX_DEVICE.format(index=index))
    if not device.exists():
        return f"not connected: {device} does not exist"
    if not os.access(device, os.R_OK | os.W_OK):
        return f"permission denied: this user may not open {device} (on Linux, join the 'video' group)"
    return "in use by another program, or it cannot capture"


class Camera:
    """A webcam through OpenCV. ``read`` raises :class:`CameraLost` after repeated failures."""

    live = True

    def __init__(
        self,
        index: int = 0,
        size: tuple[int, int] | None = None,
        fail_after: int = 30,
        name: str | None = None,
        timeout_ms: int = 3000,
        stall_s: float = 3.0,
    ) -> None:
        cv2 = _cv2()
        self.index = index
        self.name = name or f"Camera {index}"
        self._cap = cv2.VideoCapture(index)
        if not self._cap.isOpened():
            self._cap.release()
            raise SourceError(f"camera {index} could not be opened ({why_camera_failed(index)})")
        # Backends that support it give up on a hung read after timeout_ms; the others ignore it.
        self._cap.set(cv2.CAP_PROP_READ_TIMEOUT_MSEC, timeout_ms)
        if size:
            self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, size[0])
            self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, size[1])
        fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if 1.0 <= fps <= 240.0 else 30.0
        self._fail_after = fail_after
        self._stall_s = stall_s
        self._index = 0
        self._t0 = time.monotonic()

    def read(self) -> Frame:
        """The next frame; :class:`CameraLost` after ``fail_after`` failed reads or ``stall_s`` seconds.

        The time limit matters where a failed read itself waits (a backend honouring the read
        timeout): thirty 3-second reads would leave the picture frozen for a minute and a half.
        """
        if self._cap is None:
            raise CameraLost(f"{self.name} is closed")
        give_up = time.monotonic() + self._stall_s
        for _ in range(self._fail_after):
            ok, image = self._cap.read()
            if ok and image is not None:
                frame = Frame(self._index, time.monotonic() - self._t0, image)
                self._index += 1
                return frame
            if time.monotonic() >= give_up:
                break
            time.sleep(0.01)
        raise CameraLost(f"{self.name} stopped sending frames (unplugged or taken by another program)")

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


@dataclass(frozen=True)
class Sources:
    """Another way to open files and cameras than OpenCV's (the app's Qt Multimedia sources)."""

    video: Callable[[Path], FrameSource]
    camera: Callable[..., FrameSource]  # (index, size=, name=)
    cameras: Callable[[], list[CameraInfo]]
    name: str


_sources: Sources | None = None


def use_sources(sources: Sources | None) -> None:
    """Open files and cameras with ``sources`` from now on (None: OpenCV again)."""
    global _sources
    _sources = sources


def backend_name() -> str:
    """What opens files and cameras now, for the self-test and the logs."""
    if _sources is not None:
        return _sources.name
    return "OpenCV" if opencv_available() else "none"


def open_video(path: str | Path) -> FrameSource:
    """A video file through the registered sources, else OpenCV (:class:`SourceError` if neither)."""
    return _sources.video(Path(path)) if _sources is not None else VideoFile(path)


def open_camera(index: int, size: tuple[int, int] | None = None, name: str | None = None) -> FrameSource:
    """Camera ``index`` through the registered sources, else OpenCV."""
    if _sources is not None:
        return _sources.camera(index, size=size, name=name)
    return Camera(index, size=size, name=name)
