"""Help and About: how to use the app, the model card, the searchable vocabulary, licences."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from signdesk.gui.i18n import QT_TR_NOOP, tr
from signdesk import __version__
from signdesk.gui.style import is_rtl, scaled_font
from signdesk.resources import assets_dir

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.recognizer import Recognizer

HELP_TAB, MODEL_TAB, VOCABULARY_TAB, LICENCES_TAB = range(4)

HOW_TO = QT_TR_NOOP("""## Practising a sign

1. Sit about an arm's length from the camera, with your head, shoulders and hands in the picture
   and light on your face (not behind you).
2. **Raise your hands** to start a sign. The picture shows *● Signing* while your hands are up and
   the right-hand side shows the model's best guess so far.
3. **Lower your hands** when the sign is done. The final result appears in large type with its
   English meaning, a confidence bar and the next four candidates, and it is added to *Recent signs*.
4. If the confidence is below your threshold the app says **Not sure** instead of guessing.
   Move the threshold slider to make it stricter or more lenient.

Video files (File → Open video, or drag one onto the window) are recognized the same way, at the
video's own speed; Playback can slow them down or analyse every frame.

The coloured lines are what the app sees: shoulders and arms (white), face contour (blue), your
right hand (orange) and your left hand (green). If a hand has no lines, the app cannot see it.
""")


def _markdown_table(rows: Sequence[tuple[str, str]]) -> str:
    lines = [tr("| Action | Shortcut |"), "| --- | --- |"]
    lines += [f"| {name} | `{keys}` |" for name, keys in rows if keys]
    return "\n".join(lines)


def _browser(markdown: str, parent: QWidget) -> QTextBrowser:
    view = QTextBrowser(parent)
    view.setOpenExternalLinks(False)
    view.setMarkdown(markdown)
    return view


def licences_markdown() -> str:
    path = assets_dir() / "THIRD_PARTY.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return tr("The licence list is missing (%1).", path)


def model_markdown(recognizer: Recognizer | None) -> str:
    if recognizer is None:
        return tr("## No model loaded\n\nNo sign model is loaded, so nothing can be recognized. "
                  "Use **File → Open model…** to load a `.onnx` model with its `labels.json`.")
    info = recognizer.info
    language = recognizer.meta.get("language", tr("not stated"))
    head = tr("## %1\n\n- Signs: **%2**\n- Language: **%3**\n- File: `%4`\n\n",
              recognizer.name, len(recognizer.labels), language, info.onnx)
    card: Path | None = info.card
    if card is None:
        return head + tr("This model has no model card (MODEL_CARD.md beside it).")
    try:
        return head + card.read_text(encoding="utf-8")
    except OSError as exc:
        return head + tr("The model card %1 cannot be read (%2).", card, exc.strerror)


class VocabularyTab(QWidget):
    """Every sign the model knows, filtered as the user types (name, meaning or id)."""

    def __init__(self, recognizer: Recognizer | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(tr("Search signs by name, meaning or id…"))
        self.search.setClearButtonEnabled(True)
        self.count = QLabel(self)
        labels = recognizer.labels if recognizer is not None else []
        self.table = QTableWidget(len(labels), 3, self)
        self.table.setHorizontalHeaderLabels([tr("Sign"), tr("Meaning"), tr("Id")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for row, label in enumerate(labels):
            name = QTableWidgetItem(label.name)
            name.setTextAlignment((Qt.AlignmentFlag.AlignRight if is_rtl(label.name) else Qt.AlignmentFlag.AlignLeft)
                                  | Qt.AlignmentFlag.AlignVCenter)
            name.setFont(scaled_font(1.3, bold=True))
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(label.gloss))
            self.table.setItem(row, 2, QTableWidgetItem(label.id))
        self._keys = [f"{lb.name}\n{lb.gloss}\n{lb.id}".casefold() for lb in labels]
        self.search.textChanged.connect(self.filter)
        layout.addWidget(self.search)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        self.filter("")

    def filter(self, text: str) -> int:
        """Show only matching signs; returns how many match."""
        needle = text.strip().casefold()
        shown = 0
        for row, key in enumerate(self._keys):
            match = needle in key
            self.table.setRowHidden(row, not match)
            shown += match
        total = len(self._keys)
        self.count.setText(tr("%1 signs", total) if not needle else tr("%1 of %2 signs match", shown, total))
        return shown


class AboutDialog(QDialog):
    """Help, model card, vocabulary and licences in tabs."""

    def __init__(self, recognizer: Recognizer | None, shortcuts: Sequence[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("signdesk — help and about"))
        self.resize(760, 620)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        help_md = tr(HOW_TO) + tr("\n## Keyboard shortcuts\n\n") + _markdown_table(shortcuts)
        self.tabs.addTab(_browser(help_md, self), tr("Help"))
        self.tabs.addTab(_browser(model_markdown(recognizer), self), tr("Model"))
        self.vocabulary = VocabularyTab(recognizer, self)
        self.tabs.addTab(self.vocabulary, tr("Vocabulary"))
        about = tr("## signdesk %1\n\nRecognizes sign-language words live from a webcam, "
                   "entirely on this computer: no video or landmark ever leaves it.\n\n", __version__)
        about += licences_markdown()
        self.tabs.addTab(_browser(about, self), tr("Licences"))
        layout.addWidget(self.tabs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        if index == VOCABULARY_TAB:
            self.vocabulary.search.setFocus()
