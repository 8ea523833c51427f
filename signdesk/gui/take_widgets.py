"""The pieces of "Teach a sign": a take's card, the live picture with its countdown, layout helpers."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QLayout, QPushButton, QVBoxLayout, QWidget

from signdesk.custom import Take
from signdesk.gui.i18n import tr
from signdesk.gui.skeleton import SkeletonView
from signdesk.gui.states import TakeState
from signdesk.gui.style import scaled_font, set_font
from signdesk.gui.video_view import VideoView


def label(text: str, parent: QWidget, factor: float = 1.0, bold: bool = False) -> QLabel:
    """A word-wrapped label in a scaled font."""
    widget = QLabel(text, parent)
    widget.setWordWrap(True)
    set_font(widget, factor, bold)
    return widget


def lay_out(layout: QBoxLayout, *items: QWidget | QLayout | int | None) -> QBoxLayout:
    """Fill a box layout: widgets and layouts in order, None for a stretch, an int for spacing."""
    for item in items:
        if item is None:
            layout.addStretch(1)
        elif isinstance(item, int):
            layout.addSpacing(item)
        elif isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    return layout


class CountdownView(VideoView):
    """The live picture with a big 3-2-1 over it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.countdown = 0  # the number shown; 0: none

    def paintEvent(self, event: object) -> None:
        super().paintEvent(event)
        if self.countdown <= 0:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) * 0.42
        circle = QRectF(self.width() / 2 - side / 2, self.height() / 2 - side / 2, side, side)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(0, 0, 0, 150))
        p.drawEllipse(circle)
        font = scaled_font(1.0, bold=True)
        font.setPixelSize(max(12, int(side * 0.6)))
        p.setFont(font)
        p.setPen(QColor(255, 255, 255))
        p.drawText(circle, Qt.AlignmentFlag.AlignCenter, str(self.countdown))


class TakeCard(QFrame):
    """One take: its skeleton looping, where it came from, Keep and Discard."""

    keep_clicked = Signal(object)  # this card
    discard_clicked = Signal(object)

    def __init__(self, number: int, take: Take, aspect: float | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.take = take
        self.number = number
        self.state = TakeState.NEW
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview = SkeletonView(self)
        self.preview.setFixedSize(168, 126)
        self.preview.set_take(take.landmarks, take.fps, aspect)
        self.title = label(tr("Take %1", number), self, 1.1, bold=True)
        source = tr("camera") if take.source == "camera" else take.source.split(":", 1)[-1]
        seconds = format(take.frames / take.fps, ".1f")
        self.detail = label(tr("%1 s · %2 frames · %3", seconds, take.frames, source), self)
        self.status = label("", self)
        self.keep_button = QPushButton(tr("Keep"), self)
        self.discard_button = QPushButton(tr("Discard"), self)
        self.keep_button.clicked.connect(lambda: self.keep_clicked.emit(self))
        self.discard_button.clicked.connect(lambda: self.discard_clicked.emit(self))
        buttons = lay_out(QHBoxLayout(), self.keep_button, self.discard_button, None)
        text = lay_out(QVBoxLayout(), self.title, self.detail, self.status, None, buttons)
        row = lay_out(QHBoxLayout(self), self.preview)
        row.addLayout(text, 1)
        row.setContentsMargins(6, 6, 6, 6)
        self.set_state(TakeState.NEW)

    def set_state(self, state: TakeState) -> None:
        self.state = state
        self.status.setText(state.label)
        self.keep_button.setVisible(state is TakeState.NEW)
