"""A take played back as a moving skeleton: how a recorded sign looks, without any video.

Custom signs keep landmarks only, never pictures, so this is how the user sees what was
recorded (Teach a sign, My signs) and, in practice mode, the sign to copy. The take loops with
a short hold on its last frame, so its start and end read as such; it plays slower on demand
and can be mirrored like the camera picture.

Landmark x and y are fractions of the picture's width and height. The picture's shape is not
stored with a take, so it is passed when known (the camera's size) or estimated from the face,
whose outline is about 0.77 times as wide as it is tall (measured on KArSL clips).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from signdesk.gui.style import scaled_font
from signdesk.gui.video_view import POSE_MIN_VISIBILITY, _grouped_segments
from signdesk.landmarks import FACE_ROWS, N_CHANNELS, N_LANDMARKS, POSE_ROWS, VIS, X, Y

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

#: Playback speeds offered for skeleton previews (1.0: as recorded).
SKELETON_SPEEDS = (0.25, 0.5, 1.0)
#: Width / height of a face outline in a picture with square pixels.
FACE_WIDTH_TO_HEIGHT = 0.77
#: Picture aspect assumed when a take has no face to measure it by.
DEFAULT_ASPECT = 4 / 3
#: Seconds the last frame is held before the take starts again.
HOLD_S = 0.6
#: Share of the skeleton's extent left free around it.
MARGIN = 0.08


def estimate_aspect(raw: NDArray) -> float:
    """The width / height of the picture ``raw`` (T, 184, 4) was taken from, judged by the face."""
    face = np.asarray(raw)[:, FACE_ROWS]
    ratios = []
    for frame in face:
        seen = frame[frame[:, VIS] > 0]
        if len(seen) >= 20:
            width, height = np.ptp(seen[:, X]), np.ptp(seen[:, Y])
            if width > 1e-4 and height > 1e-4:
                ratios.append(height / width)
    if not ratios:
        return DEFAULT_ASPECT
    return float(np.clip(FACE_WIDTH_TO_HEIGHT * np.median(ratios), 0.5, 2.5))


def visible_points(raw: NDArray) -> NDArray:
    """(T, 184) booleans: the points worth drawing (found, and pose points MediaPipe is sure of)."""
    seen = raw[..., VIS] > 0
    seen[:, POSE_ROWS] = raw[:, POSE_ROWS, VIS] >= POSE_MIN_VISIBILITY
    return seen & np.isfinite(raw[..., :2]).all(axis=-1)


class SkeletonView(QWidget):
    """Loops one take's raw landmarks (T, 184, 4) as a skeleton, framed on the signer.

    ``set_take`` shows a take; ``set_speed`` (see :data:`SKELETON_SPEEDS`) and ``set_mirror``
    change how it plays; ``set_playing(False)`` holds the current frame. The animation runs
    only while the widget is visible, so a list of previews costs nothing when scrolled away.
    """

    BACKGROUND = QColor(28, 30, 36)

    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(96, 72)
        self._clock = clock
        self._raw: NDArray | None = None
        self._seen: NDArray | None = None
        self._groups: list | None = None
        self._box = QRectF()  # the signer's extent, in picture-width units
        self.fps = 30.0
        self.aspect = DEFAULT_ASPECT
        self.speed = 1.0
        self.mirror = True
        self.playing = True
        self.placeholder = ""
        self.frame = 0
        self._origin = clock()  # when frame 0 of the current loop was (or would have been) shown
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)

    def sizeHint(self) -> QSize:
        return QSize(240, 180)

    # --- what to play ----------------------------------------------------------------------

    @property
    def frames(self) -> int:
        return 0 if self._raw is None else len(self._raw)

    def set_take(self, landmarks: NDArray | None, fps: float = 30.0, aspect: float | None = None) -> None:
        """Show this take from its first frame (None: nothing, only the placeholder)."""
        if landmarks is None or len(landmarks) == 0:
            self._raw = self._seen = None
            self._timer.stop()
            self.update()
            return
        raw = np.asarray(landmarks, dtype=np.float32)
        if raw.ndim != 3 or raw.shape[1:] != (N_LANDMARKS, N_CHANNELS):
            raise ValueError(f"expected (frames, {N_LANDMARKS}, {N_CHANNELS}) landmarks, got {raw.shape}")
        if self._groups is None:
            self._groups = _grouped_segments()  # here, never in paintEvent (it imports MediaPipe)
        self._raw, self._seen = raw, visible_points(raw)
        self.fps = fps if np.isfinite(fps) and fps > 0 else 30.0
        self.aspect = aspect if aspect and aspect > 0 else estimate_aspect(raw)
        self._box = self._extent()
        self.show_frame(0)
        self._schedule()

    def set_speed(self, speed: float) -> None:
        """Play at ``speed`` × the recorded speed, carrying on from the frame on screen."""
        if speed > 0 and speed != self.speed:
            frame = self.frame
            self.speed = speed
            self.show_frame(frame)
            self._schedule()

    def set_mirror(self, on: bool) -> None:
        self.mirror = on
        self.update()

    def set_playing(self, on: bool) -> None:
        self.playing = on
        self.show_frame(self.frame)
        self._schedule()

    def set_placeholder(self, text: str) -> None:
        self.placeholder = text
        self.update()

    def show_frame(self, index: int) -> None:
        """Jump to frame ``index``; playing goes on from there."""
        if self._raw is None:
            return
        self.frame = int(np.clip(index, 0, len(self._raw) - 1))
        self._origin = self._clock() - self.frame / (self.fps * self.speed)
        self.update()

    # --- the animation ---------------------------------------------------------------------

    def _schedule(self) -> None:
        if self._raw is not None and self.playing and self.isVisible():
            self._timer.start(max(15, int(1000 / (self.fps * self.speed))))
        else:
            self._timer.stop()

    def _tick(self) -> None:
        if self._raw is None:
            return
        n = len(self._raw)
        rate = self.fps * self.speed
        loop = n / rate + HOLD_S
        elapsed = (self._clock() - self._origin) % loop
        if self._clock() - self._origin >= loop:
            self._origin = self._clock() - elapsed
        frame = min(n - 1, int(elapsed * rate))
        if frame != self.frame:
            self.frame = frame
            self.update()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)
        self._schedule()

    def hideEvent(self, event: object) -> None:
        super().hideEvent(event)
        self._timer.stop()

    # --- painting --------------------------------------------------------------------------

    def _extent(self) -> QRectF:
        """Where the signer is over the whole take (x in picture heights, so units are square)."""
        points = self._raw[..., :2][self._seen]
        if len(points) == 0:
            return QRectF(0, 0, self.aspect, 1)
        points = np.clip(points, -0.1, 1.1)  # a point far off the picture is a tracking error
        x, y = points[:, 0] * self.aspect, points[:, 1]
        left, right, top, bottom = x.min(), x.max(), y.min(), y.max()
        box = QRectF(float(left), float(top), max(float(right - left), 0.05), max(float(bottom - top), 0.05))
        pad = MARGIN * max(box.width(), box.height())
        return box.adjusted(-pad, -pad, pad, pad)

    def target_rect(self) -> QRectF:
        """Where the signer's extent is drawn: as large as fits, centred, undistorted."""
        area = QRectF(self.rect()).adjusted(4, 4, -4, -8)
        box = self._box
        if box.isEmpty() or area.isEmpty():
            return area
        scale = min(area.width() / box.width(), area.height() / box.height())
        w, h = box.width() * scale, box.height() * scale
        return QRectF(area.center().x() - w / 2, area.center().y() - h / 2, w, h)

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.BACKGROUND)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._raw is None:
            if self.placeholder:
                p.setPen(QColor(200, 200, 200))
                p.setFont(scaled_font(1.0))
                p.drawText(self.rect().adjusted(8, 8, -8, -8),
                           Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
            return
        target = self.target_rect()
        scale = target.width() / self._box.width()
        raw, seen = self._raw[self.frame], self._seen[self.frame]
        xs = (raw[:, X] * self.aspect - self._box.left()) * scale
        if self.mirror:
            xs = target.width() - xs
        xy = np.stack([target.left() + xs, target.top() + (raw[:, Y] - self._box.top()) * scale], axis=1)
        width = max(1.5, target.height() / 120)
        for pairs, color, factor, joints in self._groups:
            ok = seen[pairs[:, 0]] & seen[pairs[:, 1]]
            if not ok.any():
                continue
            p.setPen(QPen(color, width * factor, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            p.drawLines([QLineF(a[0], a[1], b[0], b[1]) for a, b in xy[pairs[ok]]])
            if joints:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(color)
                r = width * 1.2
                for x, y in xy[np.unique(pairs[ok])]:
                    p.drawEllipse(QPointF(x, y), r, r)
                p.setBrush(Qt.BrushStyle.NoBrush)
        self._paint_progress(p)

    def _paint_progress(self, p: QPainter) -> None:
        """A thin bar along the bottom: where in the take this frame is."""
        n = len(self._raw)
        done = (self.frame + 1) / n
        y = self.height() - 3
        p.setPen(QPen(QColor(255, 255, 255, 50), 3))
        p.drawLine(QLineF(0, y, self.width(), y))
        p.setPen(QPen(QColor(255, 255, 255, 170), 3))
        p.drawLine(QLineF(0, y, self.width() * done, y))
