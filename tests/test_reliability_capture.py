"""Camera faults at the lowest level: the real :class:`signdesk.capture.Camera` over a fake OpenCV device.

``cv2.VideoCapture`` is replaced by :class:`FakeV4L2`, so the real Camera code (open checks,
read retries, the give-up rule) runs exactly as with a webcam: no camera, no permission, a
busy camera, a camera that stops delivering, and one whose failing reads each wait for the
driver's timeout.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from signdesk import capture
from signdesk.capture import Camera, CameraLost, SourceError


class FakeDevice:
    """The webcam behind the fake OpenCV capture: plugged, allowed, delivering, or stuck."""

    def __init__(self, fps: float = 60.0) -> None:
        self.opens = True
        self.delivering = True
        self.read_wait = 0.0  # how long a failing read waits (a backend honouring its read timeout)
        self.stuck = threading.Event()  # set: read() blocks until it is cleared (a hung driver)
        self.released = 0
        self.reads = 0
        self.fps = fps
        self.image = np.full((48, 64, 3), 90, np.uint8)

    def capture(self, index: int) -> FakeV4L2:
        return FakeV4L2(self)


class FakeV4L2:
    """Stands in for ``cv2.VideoCapture`` (isOpened, read, set, get, release)."""

    def __init__(self, device: FakeDevice) -> None:
        self.device = device
        self.open = device.opens
        self._released = False

    def isOpened(self) -> bool:  # noqa: N802  (OpenCV's name)
        return self.open

    def set(self, prop: int, value: float) -> bool:
        return True

    def get(self, prop: int) -> float:
        import cv2

        return self.device.fps if prop == cv2.CAP_PROP_FPS else 0.0

    def read(self) -> tuple[bool, np.ndarray | None]:
        device = self.device
        device.reads += 1
        while device.stuck.is_set():
            time.sleep(0.01)
        if not self.open or not device.delivering:
            time.sleep(device.read_wait)
            return False, None
        time.sleep(1 / device.fps)
        return True, device.image.copy()

    def release(self) -> None:
        if not self._released:
            self._released, self.open = True, False
            self.device.released += 1


@pytest.fixture
def device(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeDevice:
    """A fake webcam as camera 0; its Linux device file is ``tmp_path/video0`` (present, allowed)."""
    import cv2

    fake = FakeDevice()
    monkeypatch.setattr(cv2, "VideoCapture", fake.capture)
    monkeypatch.setattr(capture, "LINUX_DEVICE", str(tmp_path / "video{index}"))
    monkeypatch.setattr(capture.platform, "system", lambda: "Linux")
    (tmp_path / "video0").touch()
    return fake


def test_a_working_fake_camera_delivers_frames_through_the_real_class(device: FakeDevice) -> None:
    camera = Camera(0, name="Desk camera")
    frames = [camera.read() for _ in range(3)]
    assert [f.index for f in frames] == [0, 1, 2] and frames[0].image.shape == (48, 64, 3)
    assert frames[0].time <= frames[1].time <= frames[2].time
    camera.close()
    assert device.released == 1
    with pytest.raises(CameraLost, match="closed"):
        camera.read()


def test_no_camera_says_not_connected(device: FakeDevice, tmp_path: Path) -> None:
    device.opens = False
    (tmp_path / "video0").unlink()
    with pytest.raises(SourceError, match=r"camera 0 could not be opened \(not connected: .*video0 does not exist\)"):
        Camera(0)
    assert device.released == 1  # the failed capture is released, not leaked


def test_permission_denied_is_named_as_such(device: FakeDevice, monkeypatch: pytest.MonkeyPatch) -> None:
    """The device exists but this user may not open it: the message says permission, not 'not connected'."""
    device.opens = False
    real_access = capture.os.access
    monkeypatch.setattr(capture.os, "access",
                        lambda path, mode: False if str(path).endswith("video0") else real_access(path, mode))
    with pytest.raises(SourceError, match="permission denied") as info:
        Camera(0)
    assert "not connected" not in str(info.value) and "video' group" in str(info.value)


def test_a_busy_camera_says_in_use(device: FakeDevice) -> None:
    device.opens = False
    with pytest.raises(SourceError, match="in use by another program"):
        Camera(0)


def test_other_systems_get_the_three_likely_reasons(device: FakeDevice, monkeypatch: pytest.MonkeyPatch) -> None:
    device.opens = False
    monkeypatch.setattr(capture.platform, "system", lambda: "Darwin")
    with pytest.raises(SourceError, match="not connected, in use by another program, or camera permission denied"):
        Camera(0)


def test_a_camera_that_stops_delivering_is_lost_after_the_retries(device: FakeDevice) -> None:
    camera = Camera(0, fail_after=5)
    camera.read()
    device.delivering = False
    before = device.reads
    with pytest.raises(CameraLost, match="stopped sending frames"):
        camera.read()
    assert device.reads - before == 5
    camera.close()


def test_reads_that_each_wait_for_the_driver_timeout_give_up_on_time(device: FakeDevice) -> None:
    """30 failing reads of 0.4 s would freeze the picture for 12 s; the camera gives up after ~1 s."""
    camera = Camera(0, stall_s=1.0)
    camera.read()
    device.delivering, device.read_wait = False, 0.4
    t0 = time.monotonic()
    with pytest.raises(CameraLost):
        camera.read()
    assert 1.0 <= time.monotonic() - t0 < 2.0
    camera.close()
    assert device.released == 1
