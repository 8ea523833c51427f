"""The live picture (signdesk.gui.video_view): what painting it leaves behind, and its geometry."""

from __future__ import annotations

import functools
import subprocess
import sys
import textwrap

from PySide6.QtCore import QRectF, QSize

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
