"""The practice view's left side: choose what to practise, and see and play the chosen sign.

:class:`TargetPicker` is the search box, category filter, the All / Drill / Due buttons and the
list; :class:`TargetPanel` shows the chosen sign (name, meaning, its looping reference) with
the playback controls, and :func:`find_reference` finds that reference. Both widgets only show
and ask: the practice view decides what the list holds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from signdesk.gui.i18n import tr
from signdesk.gui.skeleton import SkeletonView
from signdesk.gui.states import ALL_CATEGORIES, SEARCH_PLACEHOLDER, category_text
from signdesk.gui.style import scaled_font

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.gui.session import RecognitionSession
    from signdesk.recognizer import Label

log = logging.getLogger(__name__)

#: Signs in one "Drill" round.
DRILL_SIZE = 10
#: Reference playback speeds offered (slower first: a learner copies a sign at half speed).
REFERENCE_SPEEDS = (0.5, 1.0)


class TargetPicker(QWidget):
    """Search, category, All signs / Drill / Due for review, and the list of targets."""

    search_changed = Signal(str)
    category_picked = Signal(str)  # "" for all categories
    all_wanted = Signal()
    drill_wanted = Signal()
    due_wanted = Signal()
    row_picked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(tr(SEARCH_PLACEHOLDER))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.search_changed)
        self.category_combo = QComboBox(self)
        self.category_combo.setToolTip(tr("Show only the signs of one category"))
        self.category_combo.activated.connect(lambda _: self.category_picked.emit(self.category_combo.currentData()))
        row = QHBoxLayout()
        self.all_button = QPushButton(tr("All signs"), self)
        self.drill_button = QPushButton(tr("Drill %1", DRILL_SIZE), self)
        self.drill_button.setToolTip(tr("%1 signs at random, one after another", DRILL_SIZE))
        self.due_button = QPushButton(tr("Due for review"), self)
        self.due_button.setToolTip(tr("The signs your practice schedule brings back today"))
        for button, signal in ((self.all_button, self.all_wanted), (self.drill_button, self.drill_wanted),
                               (self.due_button, self.due_wanted)):
            button.clicked.connect(signal)
            row.addWidget(button)
        self.target_list = QListWidget(self)
        self.target_list.currentRowChanged.connect(self.row_picked)
        box.addWidget(self.search_edit)
        box.addWidget(self.category_combo)
        box.addLayout(row)
        box.addWidget(self.target_list, 1)

    def set_categories(self, names: Sequence[str]) -> None:
        """Offer these categories (the filter hides when the signs have none)."""
        self.category_combo.clear()
        self.category_combo.addItem(tr(ALL_CATEGORIES), "")
        for name in sorted(names, key=lambda n: category_text(n).casefold()):  # in the order shown
            self.category_combo.addItem(category_text(name), name)
        self.category_combo.setVisible(bool(names))

    def categories(self) -> list[str]:
        return [self.category_combo.itemData(i) for i in range(1, self.category_combo.count())]

    def pick_category(self, name: str) -> None:
        """Select ``name`` ("" for all) as the user would."""
        index = max(self.category_combo.findData(name), 0)
        self.category_combo.setCurrentIndex(index)
        self.category_picked.emit(self.category_combo.itemData(index))

    def set_targets(self, labels: Sequence[Label], row: int | None) -> None:
        """List ``labels`` and select ``row`` (None: select nothing), without announcing it."""
        self.target_list.blockSignals(True)
        self.target_list.clear()
        for label in labels:
            self.target_list.addItem(label.display)
        if row is not None and 0 <= row < len(labels):
            self.target_list.setCurrentRow(row)
            self.target_list.scrollToItem(self.target_list.item(row), QListWidget.ScrollHint.PositionAtCenter)
        self.target_list.blockSignals(False)

    def items(self) -> list[str]:
        return [self.target_list.item(i).text() for i in range(self.target_list.count())]

    def clear_search(self) -> None:
        """Empty the search box without announcing it."""
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)


class TargetPanel(QWidget):
    """The chosen sign large, its meaning, its looping reference, and how to play it."""

    mirror_toggled = Signal(bool)
    left_handed_toggled = Signal(bool)
    next_wanted = Signal()

    def __init__(self, mirror: bool, left_handed: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.name_label = QLabel(self)
        self.name_label.setFont(scaled_font(2.8, bold=True))
        self.name_label.setWordWrap(True)
        self.gloss_label = QLabel(self)
        self.gloss_label.setFont(scaled_font(1.4))
        for label in (self.name_label, self.gloss_label):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.reference_view = SkeletonView(self)
        self.reference_view.setMinimumHeight(200)
        self.reference_view.set_mirror(mirror)
        controls = QHBoxLayout()
        self.speed_group = QButtonGroup(self)
        for speed in REFERENCE_SPEEDS:
            button = QPushButton(f"{speed:g}×", self)
            button.setCheckable(True)
            button.setChecked(speed == 1.0)
            button.setToolTip(tr("Play the reference at this speed"))
            self.speed_group.addButton(button)
            button.clicked.connect(lambda _=False, s=speed: self.set_speed(s))
            controls.addWidget(button)
        self.mirror_box = QCheckBox(tr("Mirror"), self)
        self.mirror_box.setChecked(mirror)
        self.mirror_box.toggled.connect(self.mirror_toggled)
        self.left_handed_box = QCheckBox(tr("Left-handed"), self)
        self.left_handed_box.setToolTip(tr("Compare the mirror image of your signing with the reference"))
        self.left_handed_box.setChecked(left_handed)
        self.left_handed_box.toggled.connect(self.left_handed_toggled)
        self.next_button = QPushButton(tr("Next sign"), self)
        self.next_button.clicked.connect(self.next_wanted)
        controls.addWidget(self.mirror_box)
        controls.addWidget(self.left_handed_box)
        controls.addStretch(1)
        controls.addWidget(self.next_button)
        box.addWidget(self.name_label)
        box.addWidget(self.gloss_label)
        box.addWidget(self.reference_view, 3)
        box.addLayout(controls)

    def show_label(self, label: Label | None) -> None:
        self.name_label.setText(label.name if label else "")
        self.gloss_label.setText(label.gloss if label and label.gloss != label.name else "")
        self.gloss_label.setToolTip(tr("Sign id %1", label.id) if label and label.id else "")

    def set_speed(self, speed: float) -> None:
        self.reference_view.set_speed(speed)
        for button in self.speed_group.buttons():
            button.setChecked(button.text() == f"{speed:g}×")


def find_reference(session: RecognitionSession, label: Label) -> tuple[NDArray, float] | None:
    """The reference take of ``label``: a custom sign's reference take, else the bundled reference.

    Runs in the background thread (the bundled lookup may read files). The bundled lookup
    (:mod:`signdesk.practice.reference`) is used only where that module is installed.
    """
    from signdesk.practice_cli import reference_source

    ref = reference_source(session.custom_signs)(label)
    if ref is not None:
        return ref
    recognizer = session.recognizer
    try:
        from signdesk.practice.reference import bundled_reference  # type: ignore[import-not-found]
    except ImportError:
        return None
    if recognizer is None:
        return None
    try:
        return bundled_reference(recognizer.info, label)
    except Exception as exc:  # noqa: BLE001  (a missing or broken reference only costs the feedback)
        log.info("no reference for %s: %s", label.name, exc)
        return None
