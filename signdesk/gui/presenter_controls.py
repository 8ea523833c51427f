"""The presenter's control strip: activity, list of signs, sign picker, speed, mirror, screen.

One small row under the projected view (or in the console on the laptop screen when the
presenter is on a projector). Every control has a key as well, so a teacher with a clicker or a
keyboard never needs the strip; the buttons take no keyboard focus, so the presenter's keys
keep working after a click. The sign picker is searchable: typing any part of a sign's name,
gloss or id offers the matching signs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from signdesk.gui.i18n import tr
from signdesk.gui.presenter_activity import Activity, SignList
from signdesk.gui.skeleton import SKELETON_SPEEDS

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.recognizer import Label

STRIP_STYLE = """
QWidget#presenterControls { background: #1d1f24; border-top: 1px solid #3a3d45; }
QWidget#presenterControls QLabel, QWidget#presenterControls QCheckBox { color: #d8d8dc; }
QWidget#presenterControls QPushButton { color: #f0f0f0; background: #2e3138; border: 1px solid #474b55;
    padding: 3px 9px; border-radius: 3px; }
QWidget#presenterControls QPushButton:checked { background: #f0c040; color: #101010; border-color: #f0c040; }
QWidget#presenterControls QComboBox { color: #f0f0f0; background: #2e3138; border: 1px solid #474b55;
    padding: 2px 6px; }
"""


def speed_text(speed: float) -> str:
    return {0.25: "¼×", 0.5: "½×"}.get(speed, f"{speed:g}×")


class PresenterControls(QWidget):
    """The strip; it only emits what the teacher asked for, the presenter view does it."""

    activity_picked = Signal(object)  # Activity
    list_picked = Signal(int)  # index into the lists given to set_lists
    sign_picked = Signal(int)  # index into the current list
    step = Signal(int)  # -1 previous sign, +1 next sign
    speed_picked = Signal(float)
    mirror_toggled = Signal(bool)
    reveal_wanted = Signal()
    present_wanted = Signal(int)  # index of the screen to present on
    search_left = Signal()  # Esc in the sign picker: the presenter's keys again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presenterControls")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STRIP_STYLE)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.activity_group = QButtonGroup(self)
        self.activity_buttons: dict[Activity, QPushButton] = {}
        for activity in Activity:
            button = self._button(f"{activity.key} {activity.title}", f"{activity.title} (key {activity.key})")
            button.setCheckable(True)
            self.activity_group.addButton(button)
            button.clicked.connect(lambda _=False, a=activity: self.activity_picked.emit(a))
            self.activity_buttons[activity] = button
            row.addWidget(button)
        row.addSpacing(12)
        self.list_combo = QComboBox(self)
        self.list_combo.setToolTip(tr("The signs to step through"))
        self.list_combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list_combo.activated.connect(self.list_picked)
        self.sign_combo = QComboBox(self)
        self.sign_combo.setEditable(True)
        self.sign_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.sign_combo.setMinimumContentsLength(18)
        self.sign_combo.setToolTip(tr("Type part of a sign's name or meaning to find it (key /)"))
        self.sign_combo.lineEdit().setPlaceholderText(tr("Find a sign…"))
        completer = self.sign_combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.sign_combo.activated.connect(self.sign_picked)
        self.sign_combo.lineEdit().installEventFilter(self)
        self.prev_button = self._button("◀", tr("Previous sign (Left or Page Up)"))
        self.next_button = self._button("▶", tr("Next sign (Right, Page Down or N)"))
        self.prev_button.clicked.connect(lambda: self.step.emit(-1))
        self.next_button.clicked.connect(lambda: self.step.emit(1))
        for widget in (self.list_combo, self.prev_button, self.sign_combo, self.next_button):
            row.addWidget(widget)
        self.speed_group = QButtonGroup(self)
        self.speed_buttons: dict[float, QPushButton] = {}
        for speed in SKELETON_SPEEDS:
            button = self._button(speed_text(speed), tr("Play the sign at this speed (S: slower)"))
            button.setCheckable(True)
            self.speed_group.addButton(button)
            button.clicked.connect(lambda _=False, s=speed: self.speed_picked.emit(s))
            self.speed_buttons[speed] = button
            row.addWidget(button)
        self.mirror_box = QCheckBox(tr("Mirror"), self)
        self.mirror_box.setToolTip(tr("Show the sign as in a mirror, as the class copies it (key M)"))
        self.mirror_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.mirror_box.toggled.connect(self.mirror_toggled)
        row.addWidget(self.mirror_box)
        self.reveal_button = self._button(tr("Reveal"), tr("Show the hidden answer (Space)"))
        self.reveal_button.clicked.connect(self.reveal_wanted)
        row.addWidget(self.reveal_button)
        row.addStretch(1)
        self.screen_combo = QComboBox(self)
        self.screen_combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.screen_combo.setToolTip(tr("Present full screen on this screen (key O: the next screen)"))
        self.screen_combo.activated.connect(self.present_wanted)
        self.keys_label = QLabel(self)
        row.addWidget(self.keys_label)
        row.addWidget(self.screen_combo)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in the sign picker gives the keys back to the presenter."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape:
            self.search_left.emit()
            return True
        return super().eventFilter(watched, event)

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    # --- what the presenter tells the strip ----------------------------------------------------

    def show_activity(self, activity: Activity) -> None:
        """Check the activity's button and show only the controls that mean something in it."""
        self.activity_buttons[activity].setChecked(True)
        for widget in (self.list_combo, self.sign_combo, self.prev_button, self.next_button):
            widget.setVisible(activity.uses_list)
        for widget in (*self.speed_buttons.values(), self.mirror_box):
            widget.setVisible(activity is Activity.SHOW)
        self.reveal_button.setVisible(activity is Activity.QUIZ)

    def set_lists(self, lists: Sequence[SignList], current: int) -> None:
        self.list_combo.clear()
        for sign_list in lists:
            self.list_combo.addItem(f"{tr(sign_list.title)} ({len(sign_list.signs)})")
        self.list_combo.setCurrentIndex(current)

    def set_signs(self, signs: Sequence[Label], current: int) -> None:
        self.sign_combo.blockSignals(True)
        self.sign_combo.clear()
        self.sign_combo.addItems([label.display for label in signs])
        self.sign_combo.setCurrentIndex(current)
        self.sign_combo.blockSignals(False)

    def show_sign(self, index: int) -> None:
        self.sign_combo.blockSignals(True)
        self.sign_combo.setCurrentIndex(index)
        self.sign_combo.blockSignals(False)

    def show_speed(self, speed: float) -> None:
        if speed in self.speed_buttons:
            self.speed_buttons[speed].setChecked(True)

    def show_mirror(self, on: bool) -> None:
        self.mirror_box.blockSignals(True)
        self.mirror_box.setChecked(on)
        self.mirror_box.blockSignals(False)

    def set_screens(self, names: Sequence[str], current: int) -> None:
        """Offer the screens (only when there are two or more: one screen leaves nothing to choose)."""
        self.screen_combo.clear()
        self.screen_combo.addItems(list(names))
        self.screen_combo.setCurrentIndex(current)
        self.screen_combo.setVisible(len(names) >= 2)

    def set_keys(self, text: str) -> None:
        self.keys_label.setText(text)

    def focus_search(self) -> None:
        """/: type to find a sign."""
        self.sign_combo.setFocus()
        self.sign_combo.lineEdit().selectAll()
