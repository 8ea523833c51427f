"""My signs (signdesk.gui.my_signs): list, rename, record again, delete, packs in and out, on the fakes.

Store changes run in the session's background thread, so each test waits until the session has
no job left. Custom signs live in ``tmp_path`` (``SIGNDESK_DATA_DIR``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from gui.test_teach import Answers, enrollable, settle, some_take
from signdesk.custom import CustomSign, CustomStore
from signdesk.gui.my_signs import (
    ClashQuestion,
    ExportDialog,
    MySignsDialog,
    NameDialog,
    safe_file_name,
)
from signdesk.gui.teach import TeachDialog
from signdesk.packs import Clash, export_pack, read_pack

WAIT_MS = 30000


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("SIGNDESK_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def store(data_dir: Path) -> CustomStore:
    return CustomStore(data_dir / "custom")


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    answers = Answers()
    monkeypatch.setattr(QMessageBox, "question", answers)
    return answers


@pytest.fixture
def window(qtbot, make_window, tmp_path):
    window = make_window(model=enrollable(tmp_path / "model"))
    settle(qtbot, window)
    return window


def open_my_signs(qtbot, window) -> MySignsDialog:
    dialog = window.show_my_signs()
    settle(qtbot, window)
    return dialog


def rows(dialog: MySignsDialog) -> list[list[str]]:
    table = dialog.table
    return [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]


def test_the_list_shows_each_sign_and_names_the_damaged_ones(qtbot, window, store):
    store.save(CustomSign("شكرا", [some_take(1), some_take(2), some_take(3)], gloss="thanks"))
    store.save(CustomSign("wave", [some_take(4)], pack="Lesson 3"))
    broken = store.save(CustomSign("broken", [some_take(5)]))
    (store.root / broken.id / "sign.json").write_text("{ damaged", encoding="utf-8")
    dialog = open_my_signs(qtbot, window)
    assert rows(dialog) == [["wave", "", "1", "pack “Lesson 3”"], ["شكرا", "thanks", "3", "recorded by you"]]
    assert dialog.banner.isVisible() and "1 sign could not be read" in dialog.banner_text.text()
    assert broken.id in dialog.banner_text.text() and "left on disk untouched" in dialog.banner_text.text()
    assert (store.root / broken.id / "sign.json").exists()  # nothing is deleted behind the user's back
    assert not dialog.rename_button.isEnabled() and dialog.export_button.text() == "&Export all…"
    dialog.select("شكرا")
    assert dialog.rename_button.isEnabled() and dialog.delete_button.isEnabled()
    assert dialog.preview.frames == len(some_take().landmarks) and "thanks" in dialog.caption.text()
    assert dialog.export_button.text() == "&Export 1 selected…"


def test_an_empty_list_says_how_to_start(qtbot, window):
    dialog = open_my_signs(qtbot, window)
    assert dialog.list_stack.currentWidget() is dialog.empty and "Teach a sign" in dialog.empty.text()
    assert not dialog.export_button.isEnabled() and not dialog.banner.isVisible()


def test_rename_checks_the_name_and_the_recognizer_follows(qtbot, window, store):
    store.save(CustomSign("wave", [some_take(1)]))
    store.save(CustomSign("circle", [some_take(2)]))
    dialog = open_my_signs(qtbot, window)
    wave = next(s for s in dialog.signs if s.name == "wave")
    names = NameDialog(wave, dialog.signs, dialog)
    ok = names.buttons.button(names.buttons.StandardButton.Ok)
    names.name_edit.setText("Circle")
    assert not ok.isEnabled() and "already have a sign" in names.note.text()
    names.name_edit.setText("")
    assert not ok.isEnabled()
    names.name_edit.setText("  big   wave ")
    names.gloss_edit.setText("WAVE")
    assert ok.isEnabled() and names.values() == ("big wave", "WAVE")
    dialog.rename(wave, *names.values())
    settle(qtbot, window)
    assert [s.name for s in store.load()] == ["big wave", "circle"]
    assert dialog.status.text() == "Renamed “wave” to “big wave”."
    assert [r[0] for r in rows(dialog)] == ["big wave", "circle"]
    assert "big wave" in [lb.name for lb in window.session.custom_recognizer.labels]


def test_delete_asks_first(qtbot, window, store, answers):
    store.save(CustomSign("wave", [some_take(1), some_take(2)]))
    store.save(CustomSign("circle", [some_take(3)]))
    dialog = open_my_signs(qtbot, window)
    dialog.select("wave")
    dialog.delete_selected()
    assert answers.asked[-1] == ("Delete “wave”?", ("Its 2 recorded takes are removed from this computer. "
                                                    "This cannot be undone."))
    settle(qtbot, window)
    assert len(store.load()) == 2  # answered Cancel
    answers.reply = QMessageBox.StandardButton.Yes
    dialog.delete_selected()
    settle(qtbot, window)
    assert [s.name for s in store.load()] == ["circle"] and [r[0] for r in rows(dialog)] == ["circle"]
    assert [s.name for s in window.session.custom_signs] == ["circle"]


def test_record_again_opens_teach_a_sign_prefilled(qtbot, window, store):
    store.save(CustomSign("wave", [some_take(1)], gloss="WAVE"))
    dialog = open_my_signs(qtbot, window)
    dialog.select("wave")
    dialog.rerecord_button.click()
    teach = window.teach_dialog
    assert isinstance(teach, TeachDialog) and teach.isVisible()
    assert (teach.name_edit.text(), teach.gloss_edit.text(), teach.sign.id) == ("wave", "WAVE", dialog.signs[0].id)
    teach.reject()


def test_export_selected_signs_as_a_pack(qtbot, window, store, tmp_path, monkeypatch):
    store.save(CustomSign("wave", [some_take(1)]))
    store.save(CustomSign("circle", [some_take(2), some_take(3)]))
    dialog = open_my_signs(qtbot, window)
    dialog.select("circle")
    monkeypatch.setattr(ExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(ExportDialog, "values", lambda self: ("Lesson: 4/5", "ASL", "Ms. K"))
    asked = []

    def save_name(parent, title, suggested, filters):
        asked.append(suggested)
        return str(tmp_path / "lesson"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    dialog.export_wanted()
    settle(qtbot, window)
    assert Path(asked[0]).name == "Lesson 4 5.signpack"  # no path separators or colons in a file name
    pack = read_pack(tmp_path / "lesson.signpack")
    assert (pack.name, pack.language, pack.author) == ("Lesson: 4/5", "ASL", "Ms. K")
    assert [(s.name, len(s.takes)) for s in pack.signs] == [("circle", 2)]
    assert "Exported 1 sign to" in dialog.status.text()


def _click_when_asked(button: str, for_all: bool = False) -> None:
    """Answer the ClashQuestion that is about to open by clicking one of its buttons."""

    def click() -> None:
        question = QApplication.activeModalWidget()
        if not isinstance(question, ClashQuestion):
            QTimer.singleShot(20, click)
            return
        if for_all:
            question.checkBox().setChecked(True)
        getattr(question, button).click()

    QTimer.singleShot(0, click)


def test_importing_a_pack_asks_about_each_taken_name(qtbot, window, store, tmp_path):
    store.save(CustomSign("wave", [some_take(1)]))
    store.save(CustomSign("circle", [some_take(2)]))
    pack_path = export_pack([CustomSign("Wave", [some_take(3)]), CustomSign("Circle", [some_take(4), some_take(5)]),
                             CustomSign("new one", [some_take(6)])], tmp_path / "lesson.signpack", name="Lesson 3")
    dialog = open_my_signs(qtbot, window)
    _click_when_asked("keep_both")  # wave: keep both
    QTimer.singleShot(300, lambda: _click_when_asked("replace"))  # circle: replace mine
    dialog.import_file(pack_path)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Imported"), timeout=WAIT_MS)
    settle(qtbot, window)
    assert dialog.status.text() == "Imported “Lesson 3”: 1 added, 1 replaced, “Wave” added as “Wave (2)”."
    signs = {s.name: s for s in store.load()}
    assert sorted(signs) == sorted(["Circle", "new one", "wave", "Wave (2)"])
    assert len(signs["Circle"].takes) == 2 and signs["Circle"].pack == "Lesson 3" and signs["wave"].pack == ""
    assert sorted(r[0] for r in rows(dialog)) == sorted(signs)


def test_cancelling_an_import_changes_nothing_and_skip_can_apply_to_all(qtbot, window, store, tmp_path):
    store.save(CustomSign("wave", [some_take(1)]))
    store.save(CustomSign("circle", [some_take(2)]))
    pack_path = export_pack([CustomSign("wave", [some_take(3)]), CustomSign("circle", [some_take(4)]),
                             CustomSign("new one", [some_take(6)])], tmp_path / "p.signpack", name="P")
    dialog = open_my_signs(qtbot, window)
    _click_when_asked("cancel")
    dialog.import_file(pack_path)
    qtbot.waitUntil(lambda: "cancelled" in dialog.status.text(), timeout=WAIT_MS)
    settle(qtbot, window)
    assert sorted(s.name for s in store.load()) == ["circle", "wave"]
    _click_when_asked("skip", for_all=True)  # asked once, for both taken names
    dialog.import_file(pack_path)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Imported"), timeout=WAIT_MS)
    settle(qtbot, window)
    assert dialog.status.text() == "Imported “P”: 1 added, 2 skipped."
    assert sorted(s.name for s in store.load()) == ["circle", "new one", "wave"]


def test_a_damaged_pack_is_refused_with_its_reason(qtbot, window, tmp_path):
    bad = tmp_path / "broken.signpack"
    bad.write_bytes(b"this is no zip")
    dialog = open_my_signs(qtbot, window)
    dialog.import_file(bad)
    settle(qtbot, window)
    assert dialog.status.text() == "broken.signpack: not a signdesk pack: the file is not a zip archive"
    assert "color" in dialog.status.styleSheet() and dialog.import_button.isEnabled()


def test_the_signs_menu_and_the_toolbar_button(qtbot, window, monkeypatch):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "Si&gns")
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "&Teach a sign…", "&My signs…", "&Import pack…", "&Export pack…"]
    assert window.acts.teach in window.toolbar.actions() and window.acts.teach.iconText() == "Teach a sign"
    window.acts.teach.trigger()
    assert isinstance(window.teach_dialog, TeachDialog) and window.teach_dialog.isVisible()
    window.acts.teach.trigger()  # one at a time
    assert len([d for d in window.findChildren(TeachDialog) if d.isVisible()]) == 1
    window.teach_dialog.reject()
    picked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (picked.append(args[1]) or "", ""))
    window.acts.import_pack.trigger()
    assert picked == ["Import a pack of signs"] and window.my_signs_dialog.isVisible()
    window.my_signs_dialog.reject()


def test_pack_names_become_safe_file_names():
    assert safe_file_name("Lesson: 4/5") == "Lesson 4 5"
    assert safe_file_name("درس ٣") == "درس ٣"
    assert safe_file_name("../..") == "signs"
    assert Clash.RENAME.value == "rename"


def test_dropping_a_pack_on_the_window_imports_it(qtbot, window, store, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    path = export_pack([CustomSign("dropped", [some_take(1)])], tmp_path / "drop.signpack", name="Drop")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    dialog = window.my_signs_dialog
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Imported"), timeout=WAIT_MS)
    settle(qtbot, window)
    assert [s.name for s in store.load()] == ["dropped"] and window.session.state.value != "file-failed"


def test_a_model_that_cannot_take_custom_signs_says_so(qtbot, make_window, store, monkeypatch):
    from fakes import FakeRecognizer

    from signdesk.recognizer import ModelError

    def no_embedding(*args, **kwargs):
        raise ModelError("no embedding for this model")

    monkeypatch.setattr("signdesk.gui.session.CustomRecognizer", no_embedding)
    store.save(CustomSign("wave", [some_take(1)]))
    model = FakeRecognizer()
    window = make_window(model=model)
    settle(qtbot, window)
    assert window.session.custom_recognizer is None and window.session.recognizer is model  # recognition goes on
    assert "cannot be recognized with this model (no embedding" in window.statusBar().currentMessage()
    assert [s.name for s in window.session.custom_signs] == ["wave"]  # still listed in My signs
