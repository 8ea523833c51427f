"""The presenter's keys: one place says what each key does in each activity.

Presenting is done from a keyboard or a clicker (which sends Page Down / Page Up), so every
control of the strip has a key. The view takes these keys before the window's shortcuts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from signdesk.gui.i18n import QT_TR_NOOP
from signdesk.gui.presenter_activity import Activity

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.gui.presenter_view import PresenterView

#: What each activity's keys are, in the strip.
KEY_HINTS = {
    Activity.LIVE: QT_TR_NOOP("Q quiz · C clear · F freeze · H hide controls · Esc back"),
    Activity.QUIZ: QT_TR_NOOP("Space reveal · C clear · F freeze · Esc back"),
    Activity.SHOW: QT_TR_NOOP("→ ← next/previous · S slower · Space pause · / find · Esc back"),
    Activity.PRACTICE: QT_TR_NOOP("→ or Space next sign · ← previous · C new score · / find · Esc back"),
}
NEXT = (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_N)
PREVIOUS = (Qt.Key.Key_Left, Qt.Key.Key_PageUp)
DIGITS = {getattr(Qt.Key, f"Key_{a.key}"): a for a in Activity}
PRESENTER_KEYS = frozenset({Qt.Key.Key_C, Qt.Key.Key_F, Qt.Key.Key_Q, Qt.Key.Key_Space, Qt.Key.Key_Escape,
                            Qt.Key.Key_S, Qt.Key.Key_H, Qt.Key.Key_O, Qt.Key.Key_Slash, *NEXT, *PREVIOUS, *DIGITS})


def press_key(view: PresenterView, key: Qt.Key) -> None:
    """Do what ``key`` (one of :data:`PRESENTER_KEYS`) means in the view's activity."""
    if key in DIGITS:
        view.set_activity(DIGITS[key])
    elif key in NEXT:
        view.step(1)
    elif key in PREVIOUS:
        view.step(-1)
    elif key == Qt.Key.Key_Space:
        if view.activity is Activity.SHOW:
            view.toggle_playing()
        elif view.activity is Activity.PRACTICE:
            view.step(1)
        else:
            view.reveal()
    elif key == Qt.Key.Key_C:
        view.clear()
    elif key == Qt.Key.Key_F:
        view.set_frozen(not view.frozen)
    elif key == Qt.Key.Key_Q:
        view.set_quiz(not view.quiz)
    elif key == Qt.Key.Key_S:
        view.slower()
    elif key == Qt.Key.Key_H:
        view.placement.toggle()
    elif key == Qt.Key.Key_O:
        view.placement.next_screen()
    elif key == Qt.Key.Key_Slash:
        view.controls.setVisible(True)
        view.controls.focus_search()
    elif key == Qt.Key.Key_Escape:
        view.back_wanted.emit()
