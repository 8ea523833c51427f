"""The result side of the window: the sign in large type, candidates, threshold, history.

A prediction whose best probability is below the user's threshold is shown as "Not sure",
never as a guess; the closest signs stay visible underneath so a learner sees what the
model was torn between. Only confident final results enter the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from signdesk.gui.i18n import tr
from signdesk.gui.states import RAISE_HANDS
from signdesk.gui.style import CONFIDENT, UNSURE, blend, is_rtl, muted, scaled_font, set_directional_text, set_font
from signdesk.recognizer import Label, Prediction

#: Candidates shown under the main result.
N_CANDIDATES = 4
HISTORY_ROWS = 100


def percent(p: float) -> str:
    return f"{p * 100:.0f}%"


class ConfidenceBar(QWidget):
    """A horizontal bar for one probability, with the threshold marked on it."""

    def __init__(self, parent: QWidget | None = None, scale: float = 1.0) -> None:
        super().__init__(parent)
        self.value: float | None = None
        self.threshold: float | None = None
        self.scale = scale
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_value(self, value: float | None, threshold: float | None) -> None:
        """Show ``value`` (None: an empty track, nothing to show yet)."""
        self.value = None if value is None else max(0.0, min(1.0, value))
        self.threshold = threshold
        self.setAccessibleName(tr("no confidence yet") if value is None else tr("confidence %1", percent(self.value)))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(160, int(self.fontMetrics().height() * 1.35 * self.scale))

    def minimumSizeHint(self) -> QSize:
        return QSize(60, self.sizeHint().height())

    def changeEvent(self, event: object) -> None:
        self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text_w = self.fontMetrics().horizontalAdvance("100%") + 6
        track = QRectF(0, 0, max(10.0, self.width() - text_w - 6), self.height()).adjusted(1, 2, -1, -2)
        radius = track.height() / 2
        rtl = self.isRightToLeft()
        if rtl:  # the bar fills from the right and its figure is on the left, like the mirrored slider
            p.translate(self.width(), 0)
            p.scale(-1, 1)
        back = QPainterPath()
        back.addRoundedRect(track, radius, radius)
        p.fillPath(back, blend(pal, 0.12))
        if self.value is None:
            return
        confident = self.threshold is None or self.value >= self.threshold
        fill_w = track.width() * self.value
        if fill_w >= 1:
            path = QPainterPath()
            path.addRoundedRect(QRectF(track.x(), track.y(), fill_w, track.height()), min(radius, fill_w / 2), radius)
            p.fillPath(path, CONFIDENT if confident else UNSURE)
        if self.threshold is not None and 0 < self.threshold < 1:
            x = track.x() + track.width() * self.threshold
            p.setPen(QPen(pal.color(QPalette.ColorRole.WindowText), 2, Qt.PenStyle.DotLine))
            p.drawLine(int(x), int(track.top()) - 1, int(x), int(track.bottom()) + 1)
        p.resetTransform()  # text is never mirrored
        p.setPen(pal.color(QPalette.ColorRole.WindowText))
        p.drawText(QRectF(2 if rtl else self.width() - text_w - 2, 0, text_w, self.height()),
                   (Qt.AlignmentFlag.AlignLeft if rtl else Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignVCenter,
                   percent(self.value))


class CandidateRow:
    """One runner-up: own-language name, English gloss, probability bar."""

    def __init__(self, grid: QGridLayout, row: int, parent: QWidget) -> None:
        self.name = QLabel(parent)
        self.gloss = QLabel(parent)
        self.bar = ConfidenceBar(parent)
        self.name.setMinimumWidth(40)
        for col, w in enumerate((self.name, self.gloss, self.bar)):
            grid.addWidget(w, row, col)

    def show(self, label: Label | None, p: float, threshold: float) -> None:
        """Show a candidate; None keeps the row's place but leaves it blank."""
        if label is None:
            self.name.setText("")
            self.gloss.setText("")
            self.name.setToolTip("")
            self.bar.set_value(None, None)
            return
        set_directional_text(self.name, label.name)
        self.gloss.setText(label.gloss if label.gloss and label.gloss != label.name else "")
        self.bar.set_value(p, threshold)
        self.name.setToolTip(tr("%1 — sign id %2", label.display, label.id) if label.id else label.display)


@dataclass
class _Shown:
    prediction: Prediction
    final: bool


class ResultPanel(QWidget):
    """Large result, confidence bar, runners-up, threshold slider and history."""

    threshold_changed = Signal(float)

    def __init__(self, threshold: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.threshold = threshold
        self.zoom = 1.0
        self._scale = 0.0
        self._shown: _Shown | None = None
        self._notice_action: Callable[[], None] | None = None
        self.setMinimumWidth(300)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)

        self.notice = QFrame(self)
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        nl = QVBoxLayout(self.notice)
        self.notice_title = QLabel(self.notice)
        self.notice_text = QLabel(self.notice)
        self.notice_text.setWordWrap(True)
        self.notice_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice_button = QPushButton(self.notice)
        self.notice_button.clicked.connect(self._notice_clicked)
        nl.addWidget(self.notice_title)
        nl.addWidget(self.notice_text)
        nl.addWidget(self.notice_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.notice.hide()
        layout.addWidget(self.notice)

        self.caption = QLabel(self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.sign = QLabel(self)
        self.sign.setWordWrap(True)
        self.sign.setObjectName("sign")
        self.sign.setAccessibleName(tr("recognized sign"))
        self.gloss = QLabel(self)
        self.gloss.setWordWrap(True)
        self.gloss.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.bar = ConfidenceBar(self, scale=1.3)
        for w in (self.caption, self.sign, self.gloss, self.bar):
            layout.addWidget(w)

        self.candidates_title = QLabel(tr("Other candidates"), self)
        layout.addSpacing(8)
        layout.addWidget(self.candidates_title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(2, 1)
        self.rows = [CandidateRow(grid, i, self) for i in range(N_CANDIDATES)]
        layout.addLayout(grid)

        layout.addSpacing(8)
        th = QHBoxLayout()
        self.threshold_title = QLabel(tr("Confidence needed"), self)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 100)
        self.slider.setPageStep(5)
        self.slider.setValue(round(threshold * 100))
        self.slider.setAccessibleName(tr("confidence threshold"))
        self.slider.setToolTip(tr("Predictions below this confidence are shown as \"Not sure\" (Ctrl+Up / Ctrl+Down)"))
        self.threshold_value = QLabel(percent(threshold), self)
        self.threshold_value.setMinimumWidth(self.fontMetrics().horizontalAdvance("100%") + 6)
        self.slider.valueChanged.connect(self._slider_moved)
        th.addWidget(self.threshold_title)
        th.addWidget(self.slider, 1)
        th.addWidget(self.threshold_value)
        layout.addLayout(th)

        layout.addSpacing(8)
        hh = QHBoxLayout()
        self.history_title = QLabel(tr("Recent signs"), self)
        self.clear_button = QPushButton(tr("Clear"), self)
        self.clear_button.setToolTip(tr("Clear the list of recent signs (Ctrl+Delete)"))
        self.clear_button.clicked.connect(self.clear_history)
        hh.addWidget(self.history_title)
        hh.addStretch(1)
        hh.addWidget(self.clear_button)
        layout.addLayout(hh)
        self.history = QTableWidget(0, 4, self)
        self.history.setHorizontalHeaderLabels([tr("Time"), tr("Sign"), tr("Meaning"), tr("Confidence")])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history.setAlternatingRowColors(True)
        self.history.setShowGrid(False)
        header = self.history.horizontalHeader()
        for col, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(col, mode)
        layout.addWidget(self.history, 1)

        self.show_idle(tr(RAISE_HANDS))
        self.apply_scale()

    # --- fonts ---------------------------------------------------------------------------

    def set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        self._scale = 0.0
        self.apply_scale()

    def apply_scale(self) -> None:
        """Font sizes from the system font × user zoom × width (a projector window gets bigger text)."""
        auto = min(1.9, max(1.0, self.width() / 470)) if self.isVisible() else 1.0
        scale = self.zoom * auto
        if abs(scale - self._scale) < 0.03 * max(scale, 0.1):
            return
        self._scale = scale
        set_font(self.caption, 1.1 * scale)
        set_font(self.sign, 5.0 * scale, bold=True)
        set_font(self.gloss, 1.9 * scale)
        set_font(self.bar, 1.15 * scale, bold=True)
        for title in (self.candidates_title, self.history_title, self.threshold_title):
            set_font(title, 1.05 * scale, bold=True)
        set_font(self.threshold_value, 1.05 * scale)
        self.threshold_value.setMinimumWidth(self.threshold_value.fontMetrics().horizontalAdvance("100%") + 6)
        for row in self.rows:
            set_font(row.name, 1.35 * scale, bold=True)
            set_font(row.gloss, 1.1 * scale)
            set_font(row.bar, 1.0 * scale)
        set_font(self.history, 1.05 * scale)
        set_font(self.history.horizontalHeader(), 0.95 * scale)
        set_font(self.notice_title, 1.3 * scale, bold=True)
        set_font(self.notice_text, 1.05 * scale)
        self.sign.setMinimumHeight(int(self.sign.fontMetrics().height() * 1.15))
        self._restyle()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        self.apply_scale()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)
        self.apply_scale()

    def changeEvent(self, event: object) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._restyle()

    def _restyle(self) -> None:
        grey = muted(self.palette()).name()
        self.caption.setStyleSheet(f"color: {grey};")
        self.gloss.setStyleSheet(f"color: {grey};")
        for row in self.rows:
            row.gloss.setStyleSheet(f"color: {grey};")

    # --- results -------------------------------------------------------------------------

    def set_threshold(self, threshold: float) -> None:
        threshold = max(0.0, min(1.0, threshold))
        self.threshold = threshold
        if self.slider.value() != round(threshold * 100):
            self.slider.blockSignals(True)
            self.slider.setValue(round(threshold * 100))
            self.slider.blockSignals(False)
        self.threshold_value.setText(percent(threshold))
        if self._shown is not None:
            self._render(self._shown)

    def _slider_moved(self, value: int) -> None:
        self.set_threshold(value / 100)
        self.threshold_changed.emit(self.threshold)

    def is_confident(self, prediction: Prediction) -> bool:
        return prediction.best[1] >= self.threshold

    def show_idle(self, hint: str) -> None:
        """No result yet (or the source changed): the hint stands where the sign will be."""
        self._shown = None
        self.caption.setText(tr("Waiting for a sign"))
        self.sign.setText("")
        self.gloss.setText(hint)
        self.sign.setToolTip("")
        self.bar.set_value(None, self.threshold)
        for row in self.rows:
            row.show(None, 0.0, self.threshold)
        self.candidates_title.setText(tr("Other candidates"))

    def drop_live(self, hint: str) -> None:
        """Forget a provisional guess (its sign was cut off); a final result stays."""
        if self._shown is not None and not self._shown.final:
            self.show_idle(hint)

    def show_prediction(self, prediction: Prediction, final: bool) -> bool:
        """Show a live (provisional) or final prediction; returns True if it passes the threshold."""
        self._shown = _Shown(prediction, final)
        return self._render(self._shown)

    def _render(self, shown: _Shown) -> bool:
        label, p = shown.prediction.best
        confident = p >= self.threshold
        if confident:
            self.caption.setText(tr("Recognized sign") if shown.final else tr("Signing… best guess so far"))
            set_directional_text(self.sign, label.name, centered=True)
            self.gloss.setText(label.gloss if label.gloss and label.gloss != label.name else "")
            runners = shown.prediction.top[1:1 + N_CANDIDATES]
            self.candidates_title.setText(tr("Other candidates"))
        else:
            self.caption.setText(tr("Below your %1 threshold", percent(self.threshold)))
            self.sign.setText(tr("Not sure"))
            self.sign.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.gloss.setText(tr("Try the sign again, a little slower"))
            runners = shown.prediction.top[:N_CANDIDATES]
            self.candidates_title.setText(tr("Closest signs"))
        self.sign.setToolTip(label.display)
        self.bar.set_value(p, self.threshold)
        for i, row in enumerate(self.rows):
            if i < len(runners):
                row.show(runners[i][0], runners[i][1], self.threshold)
            else:
                row.show(None, 0.0, self.threshold)
        return confident

    def has_result(self) -> bool:
        return self._shown is not None

    def shown_text(self) -> str:
        """What the big label says now (for tests and the screenshot mode)."""
        return self.sign.text()

    # --- history -------------------------------------------------------------------------

    def add_history(self, when: str, label: Label, p: float) -> None:
        self.history.insertRow(0)
        sign = QTableWidgetItem(label.name)
        rtl = is_rtl(label.name)
        sign.setTextAlignment((Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
                              | Qt.AlignmentFlag.AlignVCenter)
        sign.setFont(scaled_font(1.2 * max(self._scale, 1.0), bold=True))
        conf = QTableWidgetItem(percent(p))
        conf.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for col, item in enumerate((QTableWidgetItem(when), sign, QTableWidgetItem(label.gloss), conf)):
            item.setToolTip(label.display)
            self.history.setItem(0, col, item)
        while self.history.rowCount() > HISTORY_ROWS:
            self.history.removeRow(self.history.rowCount() - 1)

    def history_rows(self) -> list[tuple[str, str, str, str]]:
        return [tuple(self.history.item(r, c).text() for c in range(4)) for r in range(self.history.rowCount())]

    def clear_history(self) -> None:
        self.history.setRowCount(0)

    # --- notices -------------------------------------------------------------------------

    def show_notice(self, title: str, text: str, button: str = "", action: Callable[[], None] | None = None) -> None:
        """A boxed message above the result (no model installed, recognition off)."""
        self.notice_title.setText(title)
        self.notice_text.setText(text)
        self.notice_button.setText(button)
        self.notice_button.setVisible(bool(button and action))
        self._notice_action = action
        self.notice.show()

    def hide_notice(self) -> None:
        self.notice.hide()

    def _notice_clicked(self) -> None:
        if self._notice_action is not None:
            self._notice_action()
