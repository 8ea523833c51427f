"""A pretend webcam for GUI tests: plays the frames of a real clip (or synthetic ones), can be
unplugged or busy.

It speaks the same protocol as :class:`signdesk.capture.Camera` (``name``, ``fps``, ``live``,
``read()`` → Frame, ``close()``), so the window's capture thread cannot tell it from a real
camera: ``read`` raises :class:`~signdesk.capture.CameraLost` once the device is unplugged,
and opening raises :class:`~signdesk.capture.SourceError` while it is unplugged or busy.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from fakes import synthetic_frames  # tests/fakes.py
from signdesk.capture import CameraInfo, CameraLost, Frame, SourceError, VideoFile
from signdesk.gui.sources import CAMERA, SourceSpec

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray


class FakeCameraDevice:
    """The physical camera: its frames (a real clip's or given ones, looped) and whether it is plugged in.

    Without a clip or frames it shows :func:`fakes.synthetic_frames`: enough for the window, whose
    landmarks then come from a :class:`fakes.FakeExtractor` that ignores the picture anyway.
    """

    def __init__(self, clip: Path | None = None, name: str = "Fake USB camera", index: int = 0, fps: float = 30.0,
                 frames: list[NDArray] | None = None) -> None:
        if frames is None and clip is not None:
            with VideoFile(clip) as video:
                frames = [f.image for f in video]
        self.frames = frames if frames is not None else synthetic_frames(30)  # a picture of nobody in particular
        self.name = name
        self.index = index
        self.fps = fps
        self.plugged = True
        self.busy = False
        self.opened = 0
        self.closed = 0
        self._lock = threading.Lock()

    def unplug(self) -> None:
        self.plugged = False

    def plug(self) -> None:
        self.plugged = True

    def open(self) -> FakeCamera:
        with self._lock:
            if not self.plugged:
                raise SourceError(f"camera {self.index} could not be opened (not connected)")
            if self.busy:
                raise SourceError(f"camera {self.index} could not be opened (in use by another program)")
            self.opened += 1
        return FakeCamera(self)


class FakeCamera:
    """One open session of a :class:`FakeCameraDevice`, paced at the device's frame rate."""

    live = True

    def __init__(self, device: FakeCameraDevice) -> None:
        self.device = device
        self.name = device.name
        self.fps = device.fps
        self.size = (device.frames[0].shape[1], device.frames[0].shape[0])
        self._index = 0
        self._t0 = time.monotonic()
        self._closed = False

    def read(self) -> Frame:
        if self._closed:
            raise CameraLost(f"{self.name} is closed")
        if not self.device.plugged:
            raise CameraLost(f"{self.name} stopped sending frames (unplugged or taken by another program)")
        due = self._t0 + self._index / self.fps
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        frames = self.device.frames
        frame = Frame(self._index, time.monotonic() - self._t0, frames[self._index % len(frames)])
        self._index += 1
        return frame

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.device.closed += 1


class FakeCatalog:
    """Stands in for :class:`signdesk.gui.sources.CameraCatalog`: lists plugged-in fake cameras."""

    def __init__(self, *devices: FakeCameraDevice) -> None:
        self.devices = list(devices)

    def list(self) -> list[CameraInfo]:
        return [CameraInfo(d.index, d.name) for d in self.devices if d.plugged]

    def spec(self, camera: CameraInfo, size: tuple[int, int] | None) -> SourceSpec:
        device = next((d for d in self.devices if d.index == camera.index), None)
        return SourceSpec(CAMERA, camera.name, index=camera.index, size=size,
                          opener=device.open if device is not None else _no_such_camera(camera.index))


def _no_such_camera(index: int):
    def opener() -> FakeCamera:
        raise SourceError(f"camera {index} could not be opened (not connected)")
    return opener
