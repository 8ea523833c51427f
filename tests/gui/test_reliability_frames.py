"""Bad frames in the real window: pictures of any size and kind, and MediaPipe answers with NaN,
infinity, absurd or out-of-picture coordinates. The window keeps playing and painting, and the
model never sees a non-finite number.

Already covered (docs/reliability.md): grey, BGRA, 16-bit, empty and odd-sized pictures from a
camera (test_main_window::test_a_camera_sending_odd_pictures_keeps_the_window_running), the
conversions and errors of ``as_bgr`` and MediaPipe on odd pictures (tests/test_bad_input.py).
"""

from __future__ import annotations

import threading

import numpy as np

from fakes import FakeExtractor, FakeRecognizer
from gui.fakes import FakeCameraDevice, FakeCatalog
from signdesk.gui.states import SourceState
from signdesk.landmarks import RIGHT_HAND_ROWS

WAIT_MS = 20000


class Glitchy(FakeExtractor):
    """The scripted signer, but MediaPipe glitches on four frames out of five."""

    def _answer(self, step: int, out: np.ndarray | None, timed: object) -> np.ndarray:
        raw = super()._answer(step, out, timed)
        kind = step % 5
        if kind == 1:
            raw[RIGHT_HAND_ROWS, 0] = np.nan
        elif kind == 2:
            raw[:6, 1] = np.inf  # the shoulders, elbows and wrists
        elif kind == 3:
            raw[:, :2] *= np.float32(1e30)
        elif kind == 4:
            raw[:, :2] = raw[:, :2] * 8 - 3  # finite, far outside the picture
        return raw


class Watching(FakeRecognizer):
    """Counts the windows that held anything but finite numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.non_finite = 0
        self._watch = threading.Lock()

    def run(self, windows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with self._watch:
            self.non_finite += int(not np.isfinite(np.asarray(windows)).all())
        return super().run(windows)


def test_glitching_landmarks_keep_the_window_painting_and_never_reach_the_model(qtbot, make_window, camera_device):
    model, extractor = Watching(), Glitchy()
    window = make_window(catalog=FakeCatalog(camera_device), extractor=extractor, model=model)
    attempts: list[object] = []
    window.session.attempt_result.connect(attempts.append)
    window.start(None)
    for _ in range(8):  # paint the overlay while the glitches come through
        qtbot.wait(150)
        assert not window.grab().isNull()
    qtbot.waitUntil(lambda: window.session.frames_analysed >= 60 and model.calls >= 5, timeout=WAIT_MS)
    assert window.state == SourceState.PLAYING and window.isVisible()
    assert model.non_finite == 0 and model.calls >= 5
    for result in attempts:
        assert np.isfinite(result.attempt.frames).all()


def test_pictures_that_change_size_and_kind_every_frame_are_all_shown(qtbot, make_window):
    """1×1, full HD, a 7-pixel-wide strip and a float picture, one after the other, looped."""
    frames = [np.zeros((1, 1, 3), np.uint8), np.full((1080, 1920, 3), 200, np.uint8),
              np.zeros((1000, 7, 3), np.uint8), np.full((37, 51, 3), 0.5, np.float32)]
    device = FakeCameraDevice(frames=frames, fps=20.0)
    window = make_window(catalog=FakeCatalog(device))
    sizes: set[tuple[int, int]] = set()
    window.session.picture.connect(lambda p: sizes.add((p.preview.width(), p.preview.height())))
    errors: list[str] = []
    window.session.frame_error.connect(errors.append)
    window.start(None)
    qtbot.waitUntil(lambda: len(sizes) == 4 and window.session.frames_analysed >= 12, timeout=WAIT_MS)
    assert sizes == {(1, 1), (1920, 1080), (7, 1000), (51, 37)}
    assert not window.grab().isNull()
    assert window.state == SourceState.PLAYING and window.view.has_image()
    assert errors == []  # every one of them could be read: nothing to complain about
