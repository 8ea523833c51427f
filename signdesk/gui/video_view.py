"""The live picture: camera image, landmark overlay and on-picture hints.

Landmarks are MediaPipe coordinates of the *unmirrored* frame. Mirroring is a paint-time
transform applied to the image and the overlay together, so what is drawn always lines up
with the hands while the features sent to the model never change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from signdesk.gui.i18n import tr
from signdesk.landmarks import (
    FACE_ROWS,
    LEFT_HAND_ROWS,
    POSE_ROWS,
    RIGHT_HAND_ROWS,
    VIS,
    overlay_connections,
)
from signdesk.gui.style import (
    ALERT,
    FACE_COLOR,
    LEFT_HAND_COLOR,
    POSE_COLOR,
    RIGHT_HAND_COLOR,
    scaled_font,
)

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

#: How long new landmarks wait for the next picture before they are painted on their own (ms).
LANDMARK_WAIT_MS = 100

#: Pose points below this MediaPipe visibility are not drawn (they are guesses off-frame).
POSE_MIN_VISIBILITY = 0.5

_GROUPS = (
    ("pose", POSE_ROWS, POSE_COLOR, 1.0),
    ("face", FACE_ROWS, FACE_COLOR, 0.5),
    ("right_hand", RIGHT_HAND_ROWS, RIGHT_HAND_COLOR, 1.0),
    ("left_hand", LEFT_HAND_ROWS, LEFT_HAND_COLOR, 1.0),
)


def _grouped_segments() -> list[tuple[np.ndarray, QColor, float, bool]]:
    """Overlay segments split by body part: (pairs (N, 2), colour, width factor, joints?)."""
    segments = np.asarray(overlay_connections(), dtype=np.int64)
    groups = []
    for name, rows, color, width in _GROUPS:
        inside = (segments[:, 0] >= rows.start) & (segments[:, 0] < rows.stop)
        groups.append((segments[inside], color, width, name.endswith("hand")))
    return groups


def fit_rect(image_size: QSize, area: QRectF) -> QRectF:
    """The largest rectangle of the image's aspect ratio centred in ``area``."""
    if image_size.isEmpty():
        return QRectF(area)
    scale = min(area.width() / image_size.width(), area.height() / image_size.height())
    w, h = image_size.width() * scale, image_size.height() * scale
    return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)


class VideoView(QWidget):
    """Paints the newest frame, the newest landmarks, and short state hints over them."""

    BACKGROUND = QColor(18, 18, 20)
    HIDDEN_PICTURE = QColor(44, 48, 56)  # where the image would be when the picture is hidden

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)
        self._image: QImage | None = None
        self._raw: NDArray | None = None
        self._groups: list | None = None
        self.mirror = True
        self.overlay = True
        self.picture = True  # False: landmarks on a dark panel, the camera image never shown
        self.zoom = 1.0
        self.hint = ""  # bottom banner: "Raise your hands to sign"
        self.badge = ""  # top-right: "Paused", "Video ended"
        self.signing = False
        self.placeholder = ""  # centred text while there is no image yet
        # Landmarks arrive between pictures; a picture is at most a frame away while a source
        # plays, and painting both would double a saturated machine's paint work. So landmarks
        # wait for the next picture, or for this timer when pictures have stopped.
        self._landmarks_pending = False
        self._landmark_timer = QTimer(self)
        self._landmark_timer.setSingleShot(True)
        self._landmark_timer.setInterval(LANDMARK_WAIT_MS)
        self._landmark_timer.timeout.connect(self._paint_pending_landmarks)

    def sizeHint(self) -> QSize:
        return QSize(800, 600)

    # --- state ---------------------------------------------------------------------------

    def set_image(self, image: QImage) -> None:
        self._image = image
        self._landmarks_pending = False
        self.update()

    def set_landmarks(self, raw: NDArray | None) -> None:
        if raw is not None and self._groups is None:
            # Built here, never inside paintEvent: the first call imports MediaPipe, which may
            # keep an import error's traceback (and so a live QPainter) until exit.
            self._groups = _grouped_segments()
        self._raw = raw
        if self._image is None or raw is None:
            self.update()
        else:
            self._landmarks_pending = True
            if not self._landmark_timer.isActive():
                self._landmark_timer.start()

    def _paint_pending_landmarks(self) -> None:
        if self._landmarks_pending:
            self._landmarks_pending = False
            self.update()

    def clear(self, placeholder: str = "") -> None:
        self._image = None
        self._raw = None
        self.signing = False
        self.hint = ""
        self.badge = ""
        self.placeholder = placeholder
        self.update()

    def has_image(self) -> bool:
        return self._image is not None

    def set_state(self, **values: object) -> None:
        """Change hint/badge/signing/mirror/overlay/picture/zoom; repaint once if anything changed."""
        changed = False
        for key, value in values.items():
            if getattr(self, key) != value:
                setattr(self, key, value)
                changed = True
        if changed:
            self.update()

    # --- painting ------------------------------------------------------------------------

    def image_rect(self) -> QRectF:
        size = self._image.size() if self._image is not None else QSize()
        return fit_rect(size, QRectF(self.rect()))

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.BACKGROUND)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self._image is None:
            if self.placeholder:
                p.setPen(QColor(220, 220, 220))
                p.setFont(scaled_font(1.4 * self.zoom))
                p.drawText(self.rect().adjusted(24, 24, -24, -24),
                           Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, tr(self.placeholder))
            return
        target = self.image_rect()
        p.save()
        if self.mirror:
            p.translate(2 * target.center().x(), 0)
            p.scale(-1, 1)
        if self.picture:
            p.drawImage(target, self._image)
        else:
            p.fillRect(target, self.HIDDEN_PICTURE)
        if (self.overlay or not self.picture) and self._raw is not None:
            self._paint_overlay(p, target)
        p.restore()
        self._paint_labels(p, target)

    def _paint_overlay(self, p: QPainter, target: QRectF) -> None:
        raw = self._raw
        xy = raw[:, :2] * (target.width(), target.height()) + (target.x(), target.y())
        present = raw[:, VIS] > 0
        present[POSE_ROWS] = raw[POSE_ROWS, VIS] >= POSE_MIN_VISIBILITY
        width = max(1.5, target.width() / 360)
        for pairs, color, factor, joints in self._groups:
            ok = present[pairs[:, 0]] & present[pairs[:, 1]]
            if not ok.any():
                continue
            p.setPen(QPen(color, width * factor, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            p.drawLines([QPointF(x, y) for x, y in xy[pairs[ok]].reshape(-1, 2)])
            if joints:  # one call: round points as wide as the joints' discs
                p.setPen(QPen(color, width * 2.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
                p.drawPoints([QPointF(x, y) for x, y in xy[np.unique(pairs[ok])]])

    def _pill(self, p: QPainter, text: str, anchor: str, target: QRectF, color: QColor) -> None:
        """A rounded label at the bottom centre or a top corner of the picture."""
        big_window = min(2.0, max(1.0, self.height() / 560))  # a projector gets bigger hints
        font = scaled_font((1.5 if anchor == "bottom" else 1.1) * self.zoom * big_window, bold=True)
        p.setFont(font)
        metrics = p.fontMetrics()
        pad = metrics.height() * 0.45
        w = min(metrics.horizontalAdvance(text) + 2 * pad, target.width() - 2 * pad)
        h = metrics.height() + pad
        margin = max(8.0, metrics.height() * 0.6)
        if anchor == "bottom":
            box = QRectF(target.center().x() - w / 2, target.bottom() - h - margin, w, h)
        elif anchor == "top-right":
            box = QRectF(target.right() - w - margin, target.top() + margin, w, h)
        else:
            box = QRectF(target.left() + margin, target.top() + margin, w, h)
        path = QPainterPath()
        path.addRoundedRect(box, h / 2, h / 2)
        p.fillPath(path, color)
        p.setPen(QColor(255, 255, 255))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                                         int(w - pad)))

    def _paint_labels(self, p: QPainter, target: QRectF) -> None:
        if self.hint:
            self._pill(p, tr(self.hint), "bottom", target, QColor(0, 0, 0, 170))
        if self.badge:
            self._pill(p, tr(self.badge), "top-right", target, QColor(0, 0, 0, 170))
        if self.signing:
            self._pill(p, tr("● Signing"), "top-left", target, QColor(ALERT.red(), ALERT.green(), ALERT.blue(), 220))
