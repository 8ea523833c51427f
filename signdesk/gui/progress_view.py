"""The progress page: practice over the days, sign by sign, and the whole history as CSV.

Opened from the practice view (**Progress…**) and View → Practice progress. Everything shown
comes from one :func:`~signdesk.practice.overview.overview` of the progress store, read in the
session's background thread and read again after every recorded attempt; the CSV export
(:meth:`~signdesk.practice.progress.ProgressStore.export_csv`, atomic) runs there too.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from signdesk.gui.i18n import QT_TR_NOOP, tr
from signdesk.gui.progress_chart import ProgressChart
from signdesk.gui.session import RecognitionSession
from signdesk.gui.settings import Settings
from signdesk.gui.style import ALERT, CONFIDENT, scaled_font
from signdesk.practice.overview import Overview, SignRow, overview
from signdesk.practice.progress import AttemptRecord, ProgressStore
from signdesk.practice.session import sign_key

EMPTY_TEXT = QT_TR_NOOP("No practice yet.\n\nPick a sign in Practice and sign it to the camera: every attempt is "
              "kept here, day by day, with your accuracy and the signs you have mastered.")
LOADING_TEXT = QT_TR_NOOP("Reading your practice history…")
FAILED_TEXT = QT_TR_NOOP("Your practice history cannot be read: %1")
SIGN_COLUMNS = (QT_TR_NOOP("Sign"), QT_TR_NOOP("Attempts"), QT_TR_NOOP("Accuracy"), QT_TR_NOOP("Last practised"),
                QT_TR_NOOP("Streak"), QT_TR_NOOP("Due"), QT_TR_NOOP("Mastered"))
ATTEMPT_COLUMNS = (QT_TR_NOOP("When"), QT_TR_NOOP("Result"), QT_TR_NOOP("Confidence"), QT_TR_NOOP("Feedback"))
#: Role holding a cell's sort key (numbers sort as numbers, dates as dates).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SIGN_ROLE = Qt.ItemDataRole.UserRole


class ProgressState(enum.Enum):
    """What the page shows."""

    LOADING = "loading"  # the store is not open or not read yet
    EMPTY = "empty"  # no attempt recorded yet
    SHOWN = "shown"  # chart and tables
    FAILED = "failed"  # the store could not be read


def when_text(when: datetime) -> str:
    """A past time, local: "3 Dec 14:05"."""
    local = when.astimezone()
    return f"{local.day} {local.strftime('%b %H:%M')}"


def due_text(due: datetime | None, now: datetime) -> str:
    """When a sign comes back: "now" once due, "today 16:05", "tomorrow", else the date."""
    if due is None:
        return ""
    if due <= now:
        return tr("now")
    local, today = due.astimezone(), now.astimezone().date()
    if local.date() == today:
        return tr("today %1", local.strftime("%H:%M"))
    if local.date() == today + timedelta(days=1):
        return tr("tomorrow")
    return f"{local.day} {local.strftime('%b')}"


def summary_text(ov: Overview, now: datetime) -> str:
    days = len(ov.days)
    on_days = tr("%1 attempts on 1 day", ov.attempts) if days == 1 else tr("%1 attempts on %2 days", ov.attempts, days)
    mastered = tr("1 sign mastered") if ov.mastered == 1 else tr("%1 signs mastered", ov.mastered)
    return " · ".join((on_days, tr("%1 recognized", format(ov.accuracy, ".0%")), mastered,
                       tr("%1 due for review", ov.due_now(now))))


class _Item(QTableWidgetItem):
    """A table cell that sorts by its sort key, not by its text."""

    def __init__(self, text: str, key: object = None) -> None:
        super().__init__(text)
        self.setData(SORT_ROLE, text.casefold() if key is None else key)
        self.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return self.data(SORT_ROLE) < other.data(SORT_ROLE)


def _table(columns: tuple[str, ...], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels([tr(c) for c in columns])
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class ProgressDialog(QDialog):
    """The chart over days, the per-sign table (a sign's attempts beside it) and Export CSV…."""

    loaded = Signal(object)  # Overview: the page shows it
    exported = Signal(object)  # Path: the CSV is written

    def __init__(self, session: RecognitionSession, settings: Settings, store: ProgressStore | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Practice progress"))
        self.session = session
        self.settings = settings
        self.store: ProgressStore | None = None
        self.overview = Overview()
        self.state = ProgressState.LOADING
        self._selected = ""  # sign id whose attempts are shown
        box = QVBoxLayout(self)
        self.summary_label = QLabel(self)
        self.summary_label.setFont(scaled_font(1.25, bold=True))
        self.summary_label.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.message_label = QLabel(tr(LOADING_TEXT), self)
        self.message_label.setWordWrap(True)
        self.message_label.setFont(scaled_font(1.3))
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.message_label)
        self.stack.addWidget(self._build_content())
        bottom = QHBoxLayout()
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.export_button = QPushButton(tr("Export CSV…"), self)
        self.export_button.setToolTip(tr("Save every attempt as a CSV file, for a spreadsheet or a teacher"))
        self.export_button.clicked.connect(self.export_wanted)
        close = QPushButton(tr("Close"), self)
        close.clicked.connect(self.reject)
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        box.addWidget(self.summary_label)
        box.addWidget(self.stack, 1)
        box.addLayout(bottom)
        self.resize(1200, 760)
        self._set_state(ProgressState.LOADING)
        if store is not None:
            self.set_store(store)

    def _build_content(self) -> QWidget:
        content = QSplitter(Qt.Orientation.Vertical, self)
        self.chart = ProgressChart(content)
        tables = QSplitter(Qt.Orientation.Horizontal, content)
        self.sign_table = _table(SIGN_COLUMNS, tables)
        names = self.sign_table.horizontalHeader()  # every column fits; a long name is elided (full in its tip)
        names.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        names.setStretchLastSection(False)
        self.sign_table.setSortingEnabled(True)
        self.sign_table.sortByColumn(SIGN_COLUMNS.index("Last practised"), Qt.SortOrder.DescendingOrder)
        self.sign_table.itemSelectionChanged.connect(self._sign_picked)
        right = QWidget(tables)
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        self.attempts_caption = QLabel(right)
        self.attempts_caption.setFont(scaled_font(1.1, bold=True))
        self.attempts_table = _table(ATTEMPT_COLUMNS, right)
        right_box.addWidget(self.attempts_caption)
        right_box.addWidget(self.attempts_table, 1)
        tables.addWidget(self.sign_table)
        tables.addWidget(right)
        tables.setSizes([720, 480])
        content.addWidget(self.chart)
        content.addWidget(tables)
        content.setSizes([300, 380])
        content.setChildrenCollapsible(False)
        return content

    # --- reading ---------------------------------------------------------------------------

    def set_store(self, store: ProgressStore) -> None:
        """The store is open: read it."""
        self.store = store
        self.refresh()

    def refresh(self, *_: object) -> None:
        """Read the store again in the background (after an attempt was recorded)."""
        store = self.store
        if store is not None:
            self.session.run_in_background(lambda: overview(store), self._on_read, owner=self)

    def _on_read(self, ov: Overview | None, error: BaseException | None) -> None:
        if error is not None or ov is None:
            self.show_failure(str(error))
            return
        self.show_overview(ov)

    def show_failure(self, why: str) -> None:
        """The history cannot be read (or the store could not be opened): say why."""
        self.message_label.setText(tr(FAILED_TEXT, why))
        self._set_state(ProgressState.FAILED)

    def show_overview(self, ov: Overview, now: datetime | None = None) -> None:
        """Chart, summary and sign table of ``ov``; the sign shown before stays selected."""
        now = now or datetime.now(UTC)
        self.overview = ov
        if ov.empty:
            self.message_label.setText(tr(EMPTY_TEXT))
            self.summary_label.setText(tr("Your practice"))
            self._set_state(ProgressState.EMPTY)
            self.loaded.emit(ov)
            return
        self.summary_label.setText(summary_text(ov, now))
        self.chart.set_days(ov.days)
        self._fill_signs(ov.signs, now)
        self._set_state(ProgressState.SHOWN)
        self.loaded.emit(ov)

    def _set_state(self, state: ProgressState) -> None:
        self.state = state
        self.stack.setCurrentIndex(1 if state is ProgressState.SHOWN else 0)
        self.export_button.setEnabled(state is ProgressState.SHOWN)

    def _display_names(self) -> dict[str, str]:
        """Sign id → "name (meaning)" for the signs the current model knows."""
        model = self.session.custom_recognizer or self.session.recognizer
        return {sign_key(lab): lab.display for lab in (model.labels if model is not None else [])}

    def _fill_signs(self, rows: list[SignRow], now: datetime) -> None:
        names = self._display_names()
        keep = self._selected or (rows[0].sign_id if rows else "")
        table = self.sign_table
        table.setSortingEnabled(False)
        table.blockSignals(True)
        table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            due = due_text(r.due, now)
            cells = (_Item(names.get(r.sign_id, r.name)), _Item(str(r.attempts), r.attempts),
                     _Item(f"{r.accuracy:.0%}", r.accuracy), _Item(when_text(r.last), r.last.timestamp()),
                     _Item(str(r.streak), r.streak), _Item(due, r.due.timestamp() if r.due else float("inf")),
                     _Item("✓" if r.mastered else "", int(r.mastered)))
            cells[0].setData(SIGN_ROLE, r.sign_id)
            cells[0].setToolTip(tr("%1, sign id %2", cells[0].text(), r.sign_id))
            if due == "now":
                cells[5].setForeground(ALERT)
            if r.mastered:
                cells[6].setForeground(CONFIDENT)
            for col, cell in enumerate(cells):
                if col:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(i, col, cell)
        table.setSortingEnabled(True)
        table.blockSignals(False)
        self.select_sign(keep)

    # --- one sign's attempts ------------------------------------------------------------------

    def select_sign(self, sign_id: str) -> bool:
        """Show the attempts at ``sign_id``; False when the table does not list it."""
        for row in range(self.sign_table.rowCount()):
            if self.sign_table.item(row, 0).data(SIGN_ROLE) == sign_id:
                self.sign_table.selectRow(row)
                self._show_attempts(sign_id)
                return True
        return False

    def _sign_picked(self) -> None:
        rows = self.sign_table.selectionModel().selectedRows()
        if rows:
            self._show_attempts(self.sign_table.item(rows[0].row(), 0).data(SIGN_ROLE))

    def _show_attempts(self, sign_id: str) -> None:
        self._selected = sign_id
        records = self.overview.attempts_of(sign_id)
        name = self._display_names().get(sign_id) or (records[0].sign_name if records else sign_id)
        self.attempts_caption.setText(tr("Attempts at %1 (newest first)", name))
        table = self.attempts_table
        table.setRowCount(len(records))
        for i, r in enumerate(records):
            for col, cell in enumerate(self._attempt_cells(r)):
                table.setItem(i, col, cell)

    @staticmethod
    def _attempt_cells(r: AttemptRecord) -> tuple[_Item, ...]:
        result = _Item(tr("✓ Recognized") if r.correct else tr("✗ Taken for %1", r.predicted or tr("another sign")))
        result.setForeground(CONFIDENT if r.correct else ALERT)
        feedback = " ".join(str(line) for line in r.feedback)
        note = _Item(feedback)
        note.setToolTip("\n".join(str(line) for line in r.feedback))
        confidence = _Item(f"{r.confidence:.0%}", r.confidence)
        confidence.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        return _Item(when_text(r.time), r.time.timestamp()), result, confidence, note

    # --- export -------------------------------------------------------------------------------

    def export_wanted(self) -> None:
        """Ask where, then write the CSV in the background."""
        suggested = Path(self.settings.last_folder or Path.home()) / "signdesk-practice.csv"
        path, _ = QFileDialog.getSaveFileName(self, tr("Export practice history"), str(suggested),
                                              tr("CSV files (*.csv);;All files (*)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        """Write every attempt to ``path`` (atomically, in the background thread)."""
        store, path = self.store, Path(path)
        if store is None:
            return
        self.export_button.setEnabled(False)
        self.status_label.setText(tr("Saving %1…", path.name))

        def done(written: Path | None, error: BaseException | None) -> None:
            self.export_button.setEnabled(self.state is ProgressState.SHOWN)
            if error is not None or written is None:
                self.status_label.setText(tr("Could not save %1: %2", path, error))
                self.status_label.setStyleSheet(f"color: {ALERT.name()};")
                return
            self.settings.last_folder = str(written.parent)
            self.status_label.setStyleSheet("")
            self.status_label.setText(tr("Saved %1 attempts to %2", self.overview.attempts, written))
            self.exported.emit(written)

        self.session.run_in_background(lambda: store.export_csv(path), done, owner=self)
