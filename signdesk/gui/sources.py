"""What the window can play: cameras (listed by name) and video files.

A :class:`SourceSpec` describes a source without opening it; the capture thread opens it, so
a slow camera start or a broken file never blocks the window. :class:`CameraCatalog` lists and
opens cameras; tests replace it with a fake one.
"""

from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from signdesk.capture import VIDEO_SUFFIXES, CameraInfo, FrameSource, list_cameras, open_camera, open_video
from signdesk.gui.i18n import tr

log = logging.getLogger(__name__)

#: Camera resolutions offered in the window (width, height).
RESOLUTIONS: tuple[tuple[int, int], ...] = ((640, 480), (1280, 720), (1920, 1080))

class SourceKind(enum.StrEnum):
    CAMERA = "camera"
    FILE = "file"


CAMERA, FILE = SourceKind.CAMERA, SourceKind.FILE


@dataclass(frozen=True)
class SourceSpec:
    """A camera or a video file to open later, in the capture thread."""

    kind: SourceKind
    label: str
    index: int = -1
    path: Path | None = None
    size: tuple[int, int] | None = None
    opener: Callable[[], FrameSource] | None = field(default=None, compare=False, repr=False)

    @property
    def live(self) -> bool:
        return self.kind == CAMERA

    def open(self) -> FrameSource:
        """Open the source (raises :class:`~signdesk.capture.SourceError` with a clear line)."""
        if self.opener is not None:
            return self.opener()
        if self.kind == FILE:
            assert self.path is not None
            return open_video(self.path)
        return open_camera(self.index, size=self.size, name=self.label)


def file_spec(path: str | Path) -> SourceSpec:
    path = Path(path)
    return SourceSpec(FILE, path.name, path=path)


def is_video_path(path: str | Path) -> bool:
    return Path(path).suffix.lower() in VIDEO_SUFFIXES


def parse_resolution(text: str) -> tuple[int, int] | None:
    """``"1280x720"`` → (1280, 720); anything else → None."""
    m = re.fullmatch(r"\s*(\d{2,5})\s*[x×]\s*(\d{2,5})\s*", str(text))
    return (int(m.group(1)), int(m.group(2))) if m else None


def _qt_camera_names() -> list[tuple[str, str]]:
    """(device id, description) of Qt Multimedia's video inputs; empty if it cannot load.

    Qt Multimedia needs system libraries (PulseAudio on Linux) that may be missing; the OpenCV
    list still works then, only the names are plainer.
    """
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except Exception as exc:  # ImportError, or OSError from a missing shared library
        log.info("camera names from Qt Multimedia unavailable: %s", exc)
        return []
    try:
        return [(bytes(d.id().data()).decode(errors="replace"), d.description()) for d in QMediaDevices.videoInputs()]
    except Exception as exc:  # pragma: no cover - backend-specific failures
        log.info("Qt Multimedia could not list cameras: %s", exc)
        return []


def named_cameras(cameras: list[CameraInfo], qt_names: list[tuple[str, str]]) -> list[CameraInfo]:
    """Give OpenCV's camera indices the OS's names where they can be matched for sure.

    On Linux Qt's ids are device paths (``/dev/videoN``), so they match by number. Elsewhere
    both Qt and OpenCV enumerate the OS's list in the same order, so names are taken by
    position when both found the same number of cameras.
    """
    if not qt_names:
        return cameras
    by_index: dict[int, str] = {}
    for dev_id, description in qt_names:
        m = re.fullmatch(r"/dev/video(\d+)", dev_id)
        if m:
            by_index[int(m.group(1))] = description
    if not by_index and len(qt_names) == len(cameras):
        by_index = {cam.index: qt_names[i][1] for i, cam in enumerate(cameras)}
    return [CameraInfo(c.index, by_index.get(c.index) or c.name) for c in cameras]


def shown_name(camera: CameraInfo) -> CameraInfo:
    """capture's stand-in name "Camera N" (no name from the OS) in the interface language."""
    if camera.name == f"Camera {camera.index}":
        return CameraInfo(camera.index, tr("Camera %1", camera.index))
    return camera


class CameraCatalog:
    """Lists the machine's cameras by name and makes specs to open them."""

    def list(self) -> list[CameraInfo]:
        cameras = [shown_name(c) for c in list_cameras()]
        return named_cameras(cameras, _qt_camera_names()) if cameras else cameras

    def spec(self, camera: CameraInfo, size: tuple[int, int] | None) -> SourceSpec:
        return SourceSpec(CAMERA, camera.name, index=camera.index, size=size)
