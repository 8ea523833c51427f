"""A full-size message shown in place of the picture when there is nothing to show.

No camera, a camera that is busy or was unplugged, a video that cannot be played: each is a
state of the window with a plain explanation and the buttons that get the user going again.
"""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from signdesk.gui.style import set_font


class StatePanel(QWidget):
    """Title, explanation and action buttons, centred."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.state = ""
        self._shown: tuple = ()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 40, 40, 40)
        outer.addStretch(1)
        self.title = QLabel(self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.title)
        outer.addSpacing(12)
        outer.addWidget(self.detail)
        outer.addSpacing(20)
        self._buttons = QHBoxLayout()
        self._buttons.addStretch(1)
        self._buttons.addStretch(1)
        outer.addLayout(self._buttons)
        outer.addStretch(2)
        self.set_zoom(1.0)

    def set_zoom(self, zoom: float) -> None:
        set_font(self.title, 2.0 * zoom, bold=True)
        set_font(self.detail, 1.2 * zoom)
        for i in range(self._buttons.count()):
            widget = self._buttons.itemAt(i).widget()
            if widget is not None:
                widget.setFont(self.detail.font())

    def show_state(self, state: str, title: str, detail: str, actions: Sequence[QAction] = ()) -> None:
        """Show a state; ``actions`` become buttons (they stay in sync with the menus)."""
        shown = (state, title, detail, tuple(actions))
        if shown == self._shown:
            return  # unchanged: do not rebuild the buttons under the user's pointer
        self._shown = shown
        self.state = state
        self.title.setText(title)
        self.detail.setText(detail)
        while self._buttons.count() > 2:
            item = self._buttons.takeAt(1)
            if item.widget() is not None:
                item.widget().deleteLater()
        for i, action in enumerate(actions):
            button = QPushButton(action.text().replace("&", ""), self)
            button.setFont(self.detail.font())
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setDefault(i == 0)
            button.clicked.connect(action.trigger)
            self._buttons.insertWidget(1 + i, button)

    def button_texts(self) -> list[str]:
        texts = []
        for i in range(self._buttons.count()):
            widget = self._buttons.itemAt(i).widget()
            if isinstance(widget, QPushButton):
                texts.append(widget.text())
        return texts
