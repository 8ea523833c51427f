"""The live picture (signdesk.gui.video_view): what painting it leaves behind, and its geometry."""

from __future__ import annotations

import functools
import subprocess
import sys
import textwrap

import numpy as np
from PySide6.QtCore import QEvent, QObject, QRectF, QSize
from PySide6.QtGui import QColor, QImage

from signdesk.gui.video_view import fit_rect

# A fresh interpreter (the test session has imported MediaPipe already): paint landmarks once,
# then count the paintEvent frames still alive. Each one holds its QPainter.
_PAINT_ONCE = textwrap.dedent("""
    import gc, os, sys, types
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    import numpy as np
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from signdesk.gui.video_view import VideoView
    from signdesk.landmarks import RIGHT_HAND_ROWS
    assert "mediapipe" not in sys.modules
    view = VideoView()
    view.resize(320, 240)
    image = QImage(320, 240, QImage.Format.Format_RGB888)
    image.fill(0)
    view.set_image(image)
    raw = np.zeros((184, 4), np.float32)
    raw[RIGHT_HAND_ROWS, :2] = np.linspace(0.3, 0.6, 21)[:, None]
    raw[RIGHT_HAND_ROWS, 3] = 1.0
    view.set_landmarks(raw)
    view.grab()  # paints the overlay
    gc.collect()
    alive = [f for f in gc.get_objects() if isinstance(f, types.FrameType) and f.f_code is VideoView.paintEvent.__code__]
    print("paint frames alive:", len(alive))
    os._exit(0)  # do not let the interpreter's shutdown destroy what was kept (it may crash)
""")


@functools.cache
def _portaudio_missing() -> bool:
    """MediaPipe then keeps the OSError of ``import sounddevice`` (and the frames behind it)."""
    return subprocess.run([sys.executable, "-c", "import sounddevice"], capture_output=True).returncode != 0


def test_painting_landmarks_keeps_no_painter_alive():
    proc = subprocess.run([sys.executable, "-c", _PAINT_ONCE], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "paint frames alive: 0" in proc.stdout


def test_fit_rect_letterboxes_the_picture():
    assert fit_rect(QSize(640, 480), QRectF(0, 0, 800, 400)) == QRectF(133.3333333333333, 0, 533.3333333333334, 400)
    assert fit_rect(QSize(1280, 720), QRectF(10, 20, 640, 720)) == QRectF(10, 200, 640, 360)
    assert fit_rect(QSize(), QRectF(0, 0, 300, 200)) == QRectF(0, 0, 300, 200)  # no picture yet: the whole area


class _Paints(QObject):
    """Counts a widget's paint events."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        self.count += event.type() == QEvent.Type.Paint
        return False


def _right_hand(x0: float = 0.3, x1: float = 0.6) -> np.ndarray:
    from signdesk.landmarks import RIGHT_HAND_ROWS

    raw = np.zeros((184, 4), np.float32)
    raw[RIGHT_HAND_ROWS, :2] = np.linspace(x0, x1, 21)[:, None]
    raw[RIGHT_HAND_ROWS, 3] = 1.0
    return raw


def _picture() -> QImage:
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(0)
    return image


def test_landmarks_wait_for_the_next_picture_and_paint_alone_when_pictures_stop(qtbot):
    from signdesk.gui.video_view import LANDMARK_WAIT_MS, VideoView

    view = VideoView()
    qtbot.addWidget(view)
    view.resize(320, 240)
    view.show()
    qtbot.waitExposed(view)
    paints = _Paints()
    view.installEventFilter(paints)
    view.set_image(_picture())
    qtbot.waitUntil(lambda: paints.count == 1)
    view.set_landmarks(_right_hand())  # a stream is playing: no paint of its own
    qtbot.wait(LANDMARK_WAIT_MS // 3)
    assert paints.count == 1
    view.set_image(_picture())  # the next picture paints the landmarks with it
    qtbot.waitUntil(lambda: paints.count == 2)
    qtbot.wait(LANDMARK_WAIT_MS * 2)
    assert paints.count == 2  # nothing was left pending
    view.set_landmarks(_right_hand(0.4, 0.7))  # the last landmarks of a video: no picture follows
    qtbot.waitUntil(lambda: paints.count == 3, timeout=LANDMARK_WAIT_MS * 20)
    view.set_landmarks(None)  # the camera was lost: cleared at once
    qtbot.waitUntil(lambda: paints.count == 4, timeout=LANDMARK_WAIT_MS // 2)


def test_overlay_draws_the_hand_where_its_landmarks_are(qtbot):
    from signdesk.gui.style import RIGHT_HAND_COLOR
    from signdesk.gui.video_view import VideoView

    view = VideoView()
    qtbot.addWidget(view)
    view.resize(320, 240)
    view.set_state(mirror=False)
    view.set_image(_picture())
    view.set_landmarks(_right_hand())
    shot = view.grab().toImage()
    on_hand = shot.pixelColor(int(0.45 * 320), int(0.45 * 240))
    off_hand = shot.pixelColor(int(0.8 * 320), int(0.2 * 240))
    assert on_hand.rgb() == RIGHT_HAND_COLOR.rgb()
    assert off_hand.rgb() == QColor(0, 0, 0).rgb()
