"""My signs: the signs the user taught, to look at, rename, record again, delete and share as packs.

The list is the session's (read and enrolled in its background thread), so it is always what
the recognizer knows. Every change to the store (rename, delete, import) also runs in that
thread, in order, and is followed by a re-enrolment, so the main view recognizes the change at
once and the window never waits for the disk. A sign that could not be read is not listed but
named in a banner: its files are left alone, because nothing a user recorded is ever deleted
without the user asking. A pack sign whose name is taken asks what to do, sign by sign.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from signdesk.gui.i18n import QT_TR_NOOP, tr
from signdesk.custom import CustomSign, CustomSignError, check_name
from signdesk.gui import states as words
from signdesk.gui.session import RecognitionSession
from signdesk.gui.settings import Settings
from signdesk.gui.skeleton import SkeletonView
from signdesk.gui.style import ALERT, UNSURE, is_rtl, set_font
from signdesk.packs import (
    IMPORT_SUFFIXES,
    PACK_SUFFIX,
    Clash,
    Pack,
    clashes,
    export_pack,
    import_pack,
    read_pack,
)

PACK_PATTERNS = " ".join(f"*{s}" for s in IMPORT_SUFFIXES)
PACK_PATTERN = f"*{PACK_SUFFIX}"
EMPTY_LIST = QT_TR_NOOP("You have not taught signdesk any signs yet.\n\nTeach a sign with the camera or from video "
                        "files, or import a pack from your teacher.")
INTRO = QT_TR_NOOP("The signs you taught signdesk. It recognizes them beside the model's own signs; a sign named "
                   "like one of the model's counts as that sign, signed your way.")
COLUMNS = (QT_TR_NOOP("Name"), QT_TR_NOOP("Gloss"), QT_TR_NOOP("Takes"), QT_TR_NOOP("From"), QT_TR_NOOP("Changed"))


class NameDialog(QDialog):
    """A sign's name and gloss, checked as typed (not empty, not another of the user's signs)."""

    def __init__(self, sign: CustomSign, others: Sequence[CustomSign], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Rename “%1”", sign.name))
        self._others = [s for s in others if s.id != sign.id]
        self.name_edit = QLineEdit(sign.name, self)
        self.gloss_edit = QLineEdit(sign.gloss, self)
        self.gloss_edit.setPlaceholderText(tr(words.GLOSS_PLACEHOLDER))
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {ALERT.name()}")
        form = QFormLayout(self)
        form.addRow(tr("&Name:"), self.name_edit)
        form.addRow(tr("&Gloss:"), self.gloss_edit)
        form.addRow("", self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.name_edit.textChanged.connect(self._check)
        self._check()
        self.resize(460, self.sizeHint().height())

    def _check(self) -> None:
        try:
            name = check_name(self.name_edit.text())
            note = words.name_note(name, mine=any(s.matches(name) for s in self._others))
        except CustomSignError as exc:
            note = str(exc).capitalize() + "."
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not note)

    def values(self) -> tuple[str, str]:
        return check_name(self.name_edit.text()), " ".join(self.gloss_edit.text().split())


class ExportDialog(QDialog):
    """What the pack is called and who made it (shown to whoever imports it)."""

    def __init__(self, count: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Export 1 sign as a pack") if count == 1 else tr("Export %1 signs as a pack", count))
        self.name_edit = QLineEdit(name, self)
        self.language_edit = QLineEdit(self)
        self.language_edit.setPlaceholderText(tr("Optional, e.g. ASL, ArSL, DGS"))
        self.author_edit = QLineEdit(self)
        self.author_edit.setPlaceholderText(tr("Optional: your name or your class"))
        form = QFormLayout(self)
        form.addRow(tr("Pack &name:"), self.name_edit)
        form.addRow(tr("Sign &language:"), self.language_edit)
        form.addRow(tr("&Author:"), self.author_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Choose file…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(
            lambda text: buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip())))
        form.addRow(buttons)
        self.resize(460, self.sizeHint().height())

    def values(self) -> tuple[str, str, str]:
        return self.name_edit.text().strip(), self.language_edit.text().strip(), self.author_edit.text().strip()


class ClashQuestion(QMessageBox):
    """A pack sign has the name of one of the user's signs: keep both, replace mine, skip, or cancel."""

    def __init__(self, sign: CustomSign, mine: CustomSign, pack: str, remaining: int,
                 parent: QWidget | None = None) -> None:
        title, text = words.clash_question(mine.name, len(mine.takes), pack)
        super().__init__(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
        self.keep_both = self.addButton(tr("&Keep both"), QMessageBox.ButtonRole.AcceptRole)
        self.replace = self.addButton(tr("&Replace mine"), QMessageBox.ButtonRole.DestructiveRole)
        self.skip = self.addButton(tr("&Skip"), QMessageBox.ButtonRole.RejectRole)
        self.cancel = self.addButton(tr("Cancel import"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.keep_both)
        self.setEscapeButton(self.cancel)
        if remaining:
            self.setCheckBox(QCheckBox(tr("Do the same for the other sign with a taken name") if remaining == 1 else
                                       tr("Do the same for the %1 other signs with a taken name", remaining), self))

    def answer(self) -> tuple[Clash | None, bool]:
        """(what to do, whether for every remaining clash too); None: cancel the import."""
        choice = {self.keep_both: Clash.RENAME, self.replace: Clash.REPLACE, self.skip: Clash.SKIP}.get(
            self.clickedButton())
        return choice, choice is not None and self.checkBox() is not None and self.checkBox().isChecked()


class MySignsDialog(QDialog):
    """The user's signs in a table, a looping preview of the one selected, and what can be done with them."""

    teach_wanted = Signal(object)  # None: teach a new sign; a CustomSign: record it again

    def __init__(self, session: RecognitionSession, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.signs: list[CustomSign] = []
        self.busy = False
        self.setWindowTitle(tr("My signs"))
        self.resize(1000, 600)

        self.banner = QFrame(self)
        self.banner.setStyleSheet(f"QFrame {{ background: {UNSURE.name()}; color: black; border-radius: 4px; }}")
        self.banner_text = QLabel(self.banner)
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder = QPushButton(tr("Open the folder"), self.banner)
        folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.session.store.root))))
        row = QHBoxLayout(self.banner)
        row.addWidget(self.banner_text, 1)
        row.addWidget(folder, 0, Qt.AlignmentFlag.AlignTop)
        self.banner.hide()

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _: self.rename_selected())
        self.empty = QLabel(tr(EMPTY_LIST), self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_font(self.empty, 1.2)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self.preview = SkeletonView(self)
        self.preview.setMinimumSize(260, 200)
        self.preview.set_mirror(settings.mirror)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_font(self.caption, 1.2, bold=True)
        buttons = QVBoxLayout()
        self.teach_button = self._button(tr("&Teach a sign…"), lambda: self.teach_wanted.emit(None), buttons)
        self.rename_button = self._button(tr("Re&name…"), self.rename_selected, buttons)
        self.rerecord_button = self._button(tr("Record &again…"), self.rerecord_selected, buttons)
        self.delete_button = self._button(tr("&Delete…"), self.delete_selected, buttons)
        buttons.addSpacing(16)
        self.import_button = self._button(tr("&Import pack…"), self.import_wanted, buttons)
        self.export_button = self._button(tr("&Export all…"), self.export_wanted, buttons)
        buttons.addStretch(1)
        side = QVBoxLayout()
        side.addWidget(self.preview, 1)
        side.addWidget(self.caption)
        side.addLayout(buttons)
        body = QHBoxLayout()
        body.addWidget(self.list_stack, 3)
        body.addLayout(side, 1)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        intro = QLabel(tr(INTRO), self)
        intro.setWordWrap(True)
        outer = QVBoxLayout(self)
        outer.addWidget(self.banner)
        outer.addWidget(intro)
        outer.addLayout(body, 1)
        outer.addWidget(self.status)
        outer.addWidget(close)

        session.custom_signs_changed.connect(self.refresh)
        self.refresh()
        session.reload_custom_signs()  # show what is on disk now (another window or the CLI may have changed it)

    def _button(self, text: str, slot: Callable[[], Any], layout: QVBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        layout.addWidget(button)
        return button

    # --- the list --------------------------------------------------------------------------

    @Slot()
    def refresh(self, *_: object) -> None:
        """Show the session's signs (keeping the selection) and any entries it had to skip."""
        chosen = {s.id for s in self.selected()}
        self.signs = list(self.session.custom_signs)
        self.table.setRowCount(len(self.signs))
        for row, sign in enumerate(self.signs):
            pack = tr("pack “%1”", sign.pack) if sign.pack else tr("recorded by you")
            cells = (sign.name, sign.gloss, str(len(sign.takes)), pack, sign.updated[:10])
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (0, 1) and is_rtl(text):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
            if sign.id in chosen:
                self.table.selectRow(row)
        self.list_stack.setCurrentWidget(self.table if self.signs else self.empty)
        problems = self.session.custom_problems
        self.banner_text.setText(words.damaged_banner(problems) if problems else "")
        self.banner.setVisible(bool(problems))
        self._selection_changed()

    def selected(self) -> list[CustomSign]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.signs[r] for r in rows if r < len(self.signs)]

    def select(self, name: str) -> None:
        """Select the sign called ``name`` (tests, and after a rename)."""
        self.table.clearSelection()
        for row, sign in enumerate(self.signs):
            if sign.matches(name):
                self.table.selectRow(row)

    @Slot()
    def _selection_changed(self) -> None:
        chosen = self.selected()
        one = len(chosen) == 1 and not self.busy
        self.rename_button.setEnabled(one)
        self.rerecord_button.setEnabled(one)
        self.delete_button.setEnabled(bool(chosen) and not self.busy)
        self.import_button.setEnabled(not self.busy)
        self.export_button.setEnabled(bool(self.signs) and not self.busy)
        self.export_button.setText(tr("&Export %1 selected…", len(chosen)) if chosen else tr("&Export all…"))
        take = chosen[0].reference_take if len(chosen) == 1 else None
        self.preview.set_take(take.landmarks if take else None, take.fps if take else 30.0)
        self.preview.set_placeholder(tr("Select a sign to see it") if self.signs else "")
        sign = chosen[0] if len(chosen) == 1 else None
        self.caption.setText(sign.name + (f"\n{sign.gloss}" if sign.gloss else "") if sign else "")

    # --- changes ---------------------------------------------------------------------------

    def _run(self, what: str, job: Callable[[], Any], done: Callable[[Any], str]) -> None:
        """Run a store change in the session's background thread, then re-enrol and report."""
        self.busy = True
        self._say(what)
        self._selection_changed()

        def finished(result: Any, error: BaseException | None) -> None:
            self.busy = False
            if error is not None:
                self._say(str(error), error=True)
            else:
                self._say(done(result))
            self.session.reload_custom_signs()
            self._selection_changed()

        self.session.run_in_background(job, finished, owner=self)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {ALERT.name()}" if error else "")

    def rename_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or self.busy:
            return
        dialog = NameDialog(chosen[0], self.signs, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.rename(chosen[0], *dialog.values())

    def rename(self, sign: CustomSign, name: str, gloss: str) -> None:
        store = self.session.store
        self._run(tr("Renaming…"), lambda: store.rename(sign, name, gloss),
                  lambda s: tr("Renamed “%1” to “%2”.", sign.name, s.name))

    def rerecord_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            self.teach_wanted.emit(chosen[0])

    def delete_selected(self) -> None:
        chosen = self.selected()
        if not chosen or self.busy:
            return
        title, text = words.delete_question([s.name for s in chosen], sum(len(s.takes) for s in chosen))
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        store = self.session.store

        def remove() -> int:
            for sign in chosen:
                store.remove(sign)
            return len(chosen)

        names = ", ".join(f"“{s.name}”" for s in chosen)
        self._run(tr("Deleting…"), remove, lambda n: tr("Deleted %1.", names))

    # --- packs -----------------------------------------------------------------------------

    def import_wanted(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Import a pack of signs"), self.settings.last_folder,
                                              tr("Sign packs (%1);;All files (*)", PACK_PATTERNS))
        if path:
            self.import_file(path)

    def import_file(self, path: str | Path) -> None:
        """Read a pack (in the background), ask about each taken name, then import it."""
        path = Path(path)
        self.settings.last_folder = str(path.parent)
        store = self.session.store
        self.busy = True
        self._say(tr("Reading %1…", path.name))
        self._selection_changed()
        self.session.run_in_background(lambda: (read_pack(path), store.load()),
                                       lambda result, error: self._on_pack_read(path, result, error), owner=self)

    def _on_pack_read(self, path: Path, result: tuple[Pack, list[CustomSign]] | None,
                      error: BaseException | None) -> None:
        self.busy = False
        self._selection_changed()
        if error is not None:
            self._say(f"{path.name}: {error}", error=True)
            return
        pack, existing = result
        taken: dict[str, tuple[CustomSign, CustomSign]] = {}
        for sign, mine in clashes(pack, existing):
            taken.setdefault(sign.name, (sign, mine))
        policies: dict[str, Clash] = {}
        for_all: Clash | None = None
        for i, (sign, mine) in enumerate(taken.values()):
            if for_all is None:
                choice, same = self.ask_clash(sign, mine, pack.name, len(taken) - i - 1)
                if choice is None:
                    self._say(tr("Import of “%1” cancelled: nothing was changed.", pack.name))
                    return
                for_all = choice if same else None
            policies[sign.name] = for_all or choice
        store, stopping = self.session.store, self.session.background_stopping
        self._run(tr("Importing “%1”…", pack.name), lambda: import_pack(store, pack, policies, stopping.is_set),
                  lambda report: words.import_summary(pack.name, len(report.added), len(report.replaced),
                                                      report.renamed, len(report.skipped)))

    def ask_clash(self, sign: CustomSign, mine: CustomSign, pack: str, remaining: int) -> tuple[Clash | None, bool]:
        """Ask what to do with one pack sign whose name is taken (see :class:`ClashQuestion`)."""
        question = ClashQuestion(sign, mine, pack, remaining, self)
        question.exec()
        return question.answer()

    def export_wanted(self) -> None:
        """Export the selected signs (or all of them): ask the pack's name, then where to save it."""
        signs = self.selected() or list(self.signs)
        if not signs or self.busy:
            return
        dialog = ExportDialog(len(signs), signs[0].pack or (tr("My signs") if len(signs) > 1 else signs[0].name), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name, language, author = dialog.values()
        suggested = Path(self.settings.last_folder or Path.home()) / (safe_file_name(name) + PACK_SUFFIX)
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the pack"), str(suggested),
                                              tr("Sign packs (%1);;All files (*)", PACK_PATTERN))
        if path:
            self.export_signs(signs, path, name=name, language=language, author=author)

    def export_signs(self, signs: Sequence[CustomSign], path: str | Path, *, name: str, language: str = "",
                     author: str = "") -> None:
        path = Path(path)
        if not path.suffix:
            path = path.with_suffix(PACK_SUFFIX)
        self.settings.last_folder = str(path.parent)
        signs = [replace(s) for s in signs]
        self._run(tr("Exporting %1 signs…", len(signs)),
                  lambda: export_pack(signs, path, name=name, language=language, author=author),
                  lambda written: tr("Exported 1 sign to %1.", written) if len(signs) == 1
                  else tr("Exported %1 signs to %2.", len(signs), written))

    def done(self, result: int) -> None:
        try:
            self.session.custom_signs_changed.disconnect(self.refresh)
        except (RuntimeError, TypeError):
            pass
        super().done(result)


def safe_file_name(name: str) -> str:
    """A pack name as a file name: no path separators or characters some systems refuse."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).strip(" .")
    return " ".join(cleaned.split()) or "signs"
