"""The skeleton preview (signdesk.gui.skeleton): a take's landmarks looping, with speed and mirror."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import KARSL_WALEAD, need  # tests/conftest.py
from fakes import signer_landmarks
from PySide6.QtGui import QColor

from signdesk.gui.skeleton import (
    DEFAULT_ASPECT,
    FACE_WIDTH_TO_HEIGHT,
    HOLD_S,
    SkeletonView,
    estimate_aspect,
)
from signdesk.landmarks import FACE_ROWS, N_CHANNELS, N_LANDMARKS, VIS, X


class Clock:
    """A clock the test moves by hand, so the animation is checked without waiting."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def sign_take(frames: int = 30) -> np.ndarray:
    """The synthetic signer raising the right hand and circling it: (frames, 184, 4)."""
    return np.stack([signer_landmarks("sign", k, frames) for k in range(frames)])


@pytest.fixture
def view(qtbot):
    clock = Clock()
    widget = SkeletonView(clock=clock)
    widget.clock = clock
    qtbot.addWidget(widget)
    widget.resize(320, 240)
    widget.show()
    return widget


def test_the_take_loops_at_its_speed_with_a_hold_on_the_last_frame(view):
    view.set_take(sign_take(30), fps=30.0)
    assert (view.frames, view.frame) == (30, 0) and view._timer.isActive()
    view.clock.now += 0.5  # 15 frames at 30 frames/s
    view._tick()
    assert view.frame == 15
    view.clock.now += 0.5 + HOLD_S / 2  # past the end: the last frame is held
    view._tick()
    assert view.frame == 29
    view.clock.now += HOLD_S / 2 + 0.1  # the hold is over: from the top again
    view._tick()
    assert view.frame == 3


def test_slower_playback_carries_on_from_the_frame_on_screen(view):
    view.set_take(sign_take(30), fps=30.0)
    view.clock.now += 0.2
    view._tick()
    assert view.frame == 6
    view.set_speed(0.25)
    assert view.frame == 6 and view.speed == 0.25
    view.clock.now += 0.4  # 0.4 s at quarter speed: 3 frames
    view._tick()
    assert view.frame == 9
    view.set_playing(False)
    assert not view._timer.isActive()
    view.set_playing(True)
    assert view._timer.isActive() and view.frame == 9


def test_the_animation_stops_while_hidden(view):
    view.set_take(sign_take(), fps=30.0)
    assert view._timer.isActive()
    view.hide()
    assert not view._timer.isActive()
    view.show()
    assert view._timer.isActive()


def _drawn_columns(view: SkeletonView) -> np.ndarray:
    """Columns of the widget where something brighter than the background is drawn (no progress bar)."""
    image = view.grab().toImage()
    background = QColor(SkeletonView.BACKGROUND).lightness()
    columns = []
    for x in range(image.width()):
        if any(QColor(image.pixel(x, y)).lightness() > background + 40 for y in range(0, image.height() - 10, 2)):
            columns.append(x)
    return np.array(columns)


def test_mirror_flips_the_drawing_and_the_signer_fills_the_view(view):
    view.set_take(sign_take(), fps=30.0)
    view.set_playing(False)
    view.show_frame(10)
    plain = _drawn_columns(view)
    view.set_mirror(False)
    mirrored = _drawn_columns(view)
    assert len(plain) and len(mirrored)
    width = view.width()
    # the same extent, flipped about the middle (within antialiasing)
    assert abs(plain.min() - (width - 1 - mirrored.max())) <= 2
    assert abs(plain.max() - (width - 1 - mirrored.min())) <= 2
    target = view.target_rect()
    assert target.width() >= view.width() * 0.6 or target.height() >= view.height() * 0.8  # framed, not tiny


def test_nothing_to_show_paints_the_placeholder_and_bad_input_is_refused(view):
    view.set_take(None)
    view.set_placeholder("Select a sign")
    assert view.frames == 0 and not view._timer.isActive()
    view.grab()  # paints without a take
    with pytest.raises(ValueError, match="184"):
        view.set_take(np.zeros((5, 10, 4), np.float32))
    broken = sign_take(8)
    broken[3, :, :2] = np.nan  # a frame MediaPipe got wrong: not drawn, no crash
    view.set_take(broken, fps=float("nan"))
    assert view.fps == 30.0
    view.show_frame(3)
    view.grab()


def test_the_picture_shape_is_estimated_from_the_face():
    def faces(aspect: float) -> np.ndarray:
        """A face 0.77 times as wide as tall, in a picture of ``aspect`` (normalized x shrinks as it widens)."""
        raw = np.zeros((12, N_LANDMARKS, N_CHANNELS), np.float32)
        angles = np.linspace(0, 2 * np.pi, FACE_ROWS.stop - FACE_ROWS.start, endpoint=False)
        height = 0.2
        raw[:, FACE_ROWS, 0] = 0.5 + FACE_WIDTH_TO_HEIGHT * height / 2 / aspect * np.cos(angles)
        raw[:, FACE_ROWS, 1] = 0.3 + height / 2 * np.sin(angles)
        raw[:, FACE_ROWS, VIS] = 1
        return raw

    assert estimate_aspect(faces(16 / 9)) == pytest.approx(16 / 9, rel=0.02)
    assert estimate_aspect(faces(1.0)) == pytest.approx(1.0, rel=0.02)
    no_face = faces(1.0)
    no_face[..., VIS] = 0
    assert estimate_aspect(no_face) == DEFAULT_ASPECT


def test_a_real_take_is_framed_undistorted(qtbot):
    """A real KArSL clip (square video): the face gives its shape back, and the signer fills the preview."""
    from signdesk.clips import take_from_clip

    clip = next(need(KARSL_WALEAD / "01-test-mp4s").glob("*_0075_*.mp4"))
    take = take_from_clip(clip)
    assert estimate_aspect(take.landmarks) == pytest.approx(1.0, abs=0.2)
    view = SkeletonView()
    qtbot.addWidget(view)
    view.resize(300, 300)
    view.show()
    view.set_take(take.landmarks, take.fps)
    view.set_playing(False)
    target = view.target_rect()
    assert target.width() >= 200 or target.height() >= 200
    seen = take.landmarks[0, :, VIS] > 0
    assert 0 < take.landmarks[0, seen, X].min() < take.landmarks[0, seen, X].max() < 1
    assert len(_drawn_columns(view)) > 50  # the skeleton is drawn across much of the view
