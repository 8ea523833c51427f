"""Camera faults in the real window: the real Camera class over a fake OpenCV device, or the fake camera.

Covered elsewhere and listed in docs/reliability.md: no camera (test_main_window::
test_no_camera_state_offers_a_video_and_picks_up_a_new_camera), a busy camera
(::test_busy_camera_is_a_state_and_is_retried), unplug and replug
(::test_camera_unplugged_mid_run_then_back). Here: permission denied, a camera whose driver
hangs in read() (only the session's watchdog can notice), and switching cameras mid-sign.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fakes import FakeExtractor, FakeRecognizer
from gui.fakes import FakeCameraDevice, FakeCatalog
from signdesk import capture
from signdesk.capture import CameraInfo
from signdesk.gui import session as session_module
from signdesk.gui.sources import CameraCatalog
from signdesk.gui.states import SourceState
from test_reliability_capture import FakeDevice

WAIT_MS = 20000


class ListedCatalog(CameraCatalog):
    """The real catalog (real SourceSpec → real :class:`~signdesk.capture.Camera`) with a fixed list."""

    def __init__(self, *cameras: CameraInfo) -> None:
        self.cameras = list(cameras)

    def list(self) -> list[CameraInfo]:
        return self.cameras


@pytest.fixture
def v4l2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeDevice:
    """A fake OpenCV webcam as camera 0 (device file present), at 30 fps."""
    import cv2

    device = FakeDevice(fps=30.0)
    monkeypatch.setattr(cv2, "VideoCapture", device.capture)
    monkeypatch.setattr(capture, "LINUX_DEVICE", str(tmp_path / "video{index}"))
    monkeypatch.setattr(capture.platform, "system", lambda: "Linux")
    (tmp_path / "video0").touch()
    return device


def test_permission_denied_is_said_in_the_window_and_recovers_once_granted(qtbot, make_window, v4l2, monkeypatch):
    v4l2.opens = False
    denied = [True]
    real_access = capture.os.access
    monkeypatch.setattr(capture.os, "access", lambda path, mode: (not denied[0]) if str(path).endswith("video0")
                        else real_access(path, mode))
    window = make_window(catalog=ListedCatalog(CameraInfo(0, "Desk camera")))
    window.start(None)
    qtbot.waitUntil(lambda: window.state == SourceState.CAMERA_FAILED, timeout=WAIT_MS)
    assert window.recognition.left.currentWidget() is window.state_panel
    assert window.state_panel.title.text() == "The camera could not be opened"
    detail = window.state_panel.detail.text()
    assert "permission denied" in detail and "privacy settings" in detail
    denied[0], v4l2.opens = False, True  # the user allows the camera: the retry opens it
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        pass
    assert window.state == SourceState.PLAYING and window.recognition.left.currentWidget() is window.view


def test_a_camera_that_hangs_in_read_is_detected_by_timeout_said_and_recovered(qtbot, make_window, v4l2,
                                                                             monkeypatch):
    """The driver never returns from read(): no error ever comes, only the watchdog can tell."""
    monkeypatch.setattr(session_module, "CAMERA_STALL_S", 0.5)
    window = make_window(catalog=ListedCatalog(CameraInfo(0, "Desk camera")))
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        window.start(None)
    states: list[SourceState] = []
    window.session.state_changed.connect(lambda state, detail: states.append(state))
    v4l2.stuck.set()
    t0 = time.monotonic()
    qtbot.waitUntil(lambda: window.state == SourceState.CAMERA_LOST, timeout=5000)
    assert time.monotonic() - t0 < 2.0
    assert window.recognition.left.currentWidget() is window.state_panel
    assert "Desk camera stopped sending pictures" in window.state_panel.detail.text()
    qtbot.wait(800)  # still stuck: the window keeps saying so, without flickering back to PLAYING
    assert window.state == SourceState.CAMERA_LOST and SourceState.PLAYING not in states
    assert len(window.session._captures) == 2, "one stuck capture at a time, not one per timeout"
    v4l2.stuck.clear()  # the driver lets go
    qtbot.waitUntil(lambda: window.state == SourceState.PLAYING, timeout=WAIT_MS)
    assert window.recognition.left.currentWidget() is window.view
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        pass
    old = [t for t, w in window.session._captures if w.serial != window.session._serial]
    qtbot.waitUntil(lambda: all(t.isFinished() for t in old), timeout=5000)
    t0 = time.monotonic()
    window.close()
    assert time.monotonic() - t0 < 1.0
    assert v4l2.released == 2  # the stuck capture and the new one were both released


def test_a_slow_but_alive_camera_is_not_called_stalled(qtbot, make_window, v4l2, monkeypatch):
    """5 pictures a second is dim light, not a hang: no state change."""
    monkeypatch.setattr(session_module, "CAMERA_STALL_S", 0.5)
    v4l2.fps = 5.0
    window = make_window(catalog=ListedCatalog(CameraInfo(0, "Desk camera")))
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        window.start(None)
    states: list[SourceState] = []
    window.session.state_changed.connect(lambda state, detail: states.append(state))
    qtbot.wait(900)
    assert states == [] and window.state == SourceState.PLAYING


def test_switching_cameras_mid_sign_starts_the_sign_afresh_on_the_new_camera(qtbot, make_window):
    """Nothing of the sign half-made on camera A reaches the results after switching to camera B."""
    a, b = FakeCameraDevice(name="Camera A", index=0), FakeCameraDevice(name="Camera B", index=2)
    extractor = FakeExtractor()
    window = make_window(catalog=FakeCatalog(a, b), extractor=extractor, model=FakeRecognizer())
    session = window.session
    with qtbot.waitSignal(session.live_prediction, timeout=WAIT_MS):
        window.start(None)  # camera A, mid-sign: the hand is up and a guess is shown
    assert window.spec.label == "Camera A" and extractor.phase == "sign"
    after: list[tuple[str, object]] = []
    session.picture.connect(lambda packet: after.append(("picture", packet.serial)))
    session.attempt_result.connect(lambda result: after.append(("attempt", result)))
    session.next_camera()
    serial = session._serial
    with qtbot.waitSignal(session.attempt_result, timeout=WAIT_MS):
        pass
    assert window.spec.label == "Camera B" and window.toolbar.source_combo.currentText() == "Camera B"
    assert {value for kind, value in after if kind == "picture"} == {serial}
    attempts = [value for kind, value in after if kind == "attempt"]
    assert len(attempts) == 1 and len(attempts[0].attempt.frames) == 30  # B's whole sign, none of A's
    qtbot.waitUntil(lambda: a.closed == a.opened == 1, timeout=5000)  # camera A released
    assert window.state == SourceState.PLAYING
