"""Translations: every Arabic entry is done, the .qm matches the .ts, the code's strings are all in it."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from signdesk.gui.i18n import (
    Language,
    chosen_language,
    gui_sources,
    install_language,
    isolated,
    qt_tool,
    system_language,
    translations_dir,
    tr,
)

TS = translations_dir() / "signdesk_ar.ts"
QM = translations_dir() / "signdesk_ar.qm"


def _tool(name: str) -> str:
    try:
        return qt_tool(name)
    except FileNotFoundError:
        pytest.skip(f"{name} is not installed")


def _messages(ts: Path) -> list[tuple[str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [(m.findtext("source"), m.find("translation")) for m in root.iter("message")]


@pytest.fixture(autouse=True)
def english_again(qapp):
    yield
    install_language(Language.ENGLISH)


def test_every_arabic_entry_is_translated():
    messages = _messages(TS)
    assert len(messages) > 300
    for source, translation in messages:
        assert translation.get("type") not in ("unfinished", "obsolete", "vanished"), source
        assert (translation.text or "").strip(), source
        # the same placeholders, and a menu accelerator kept where the English has one
        assert sorted(re.findall(r"%\d", source)) == sorted(re.findall(r"%\d", translation.text)), source
        accelerator = re.compile(r"&[^&\s]")
        assert bool(accelerator.search(source)) == bool(accelerator.search(translation.text)), source


def test_the_qm_is_compiled_from_the_ts(tmp_path):
    fresh = tmp_path / "fresh.qm"
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == QM.read_bytes(), "run python -m signdesk.gui.i18n"


def test_every_string_of_the_code_is_in_the_ts(tmp_path):
    files = [str(p) for p in gui_sources()]
    fresh = tmp_path / "fresh.ts"
    subprocess.run([_tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none", *files,
                    "-ts", str(fresh)], check=True)
    in_code = {source for source, _ in _messages(fresh)}
    in_ts = {source for source, _ in _messages(TS)}
    assert in_code - in_ts == set(), "run python -m signdesk.gui.i18n and translate the new strings"
    assert in_ts - in_code == set(), "strings no longer in the code: run python -m signdesk.gui.i18n"


def test_arabic_loads_the_translator_and_runs_right_to_left(qapp):
    installed = install_language(Language.ARABIC)
    assert installed and qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert tr("&File") == "&ملف"
    assert tr("Video speed %1×", 0.5) == "سرعة الفيديو 0.5×"
    assert isolated("1280×720") == "\u20661280×720\u2069"
    install_language(Language.ENGLISH)
    assert tr("&File") == "&File" and qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert isolated("1280×720") == "1280×720"


def test_qt_standard_buttons_come_in_arabic_too(qapp):
    from PySide6.QtWidgets import QDialogButtonBox

    install_language(Language.ARABIC)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.buttons()[0].text() != "Cancel"


def test_the_language_defaults_to_the_systems():
    assert system_language(QLocale(QLocale.Language.Arabic, QLocale.Country.Egypt)) is Language.ARABIC
    assert system_language(QLocale(QLocale.Language.Arabic, QLocale.Country.SaudiArabia)) is Language.ARABIC
    assert system_language(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)) is Language.ENGLISH
    assert system_language(QLocale(QLocale.Language.French, QLocale.Country.France)) is Language.ENGLISH
    assert chosen_language("ar") is Language.ARABIC and chosen_language("en") is Language.ENGLISH
    assert chosen_language("") is system_language() and chosen_language("klingon") is system_language()


def test_the_camera_picture_is_not_mirrored_by_right_to_left(qtbot, qapp):
    """RTL mirrors layouts, never a custom-painted picture: the same frame paints the same pixels."""
    from PySide6.QtGui import QColor, QImage

    from signdesk.gui.video_view import VideoView

    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("black"))
    for y in range(48):
        for x in range(16):
            image.setPixelColor(x, y, QColor("red"))  # a red band on the frame's left

    def paint() -> QImage:
        view = VideoView()
        qtbot.addWidget(view)
        view.resize(320, 240)
        view.set_state(mirror=False, overlay=False)
        view.set_image(image)
        return view.grab().toImage()

    left_to_right = paint()
    install_language(Language.ARABIC)
    right_to_left = paint()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert left_to_right == right_to_left


def test_the_bundled_signs_categories_are_shown_in_arabic_and_a_packs_as_written(qapp):
    from signdesk.gui.presenter_activity import sign_lists
    from signdesk.gui.states import BUNDLED_CATEGORIES, category_text
    from signdesk.practice.categories import ASL_CATEGORIES, KARSL_CHAPTERS, MY_SIGNS
    from signdesk.recognizer import Label

    core = {name for _, _, name in KARSL_CHAPTERS} | set(ASL_CATEGORIES.values()) | {MY_SIGNS}
    assert core == set(BUNDLED_CATEGORIES)  # a new category in the core needs its mark here
    install_language(Language.ARABIC)
    assert category_text("Health") == "الصحة"
    assert category_text("Unit 3 — food") == "Unit 3 — food"  # a teacher's own category
    lists = sign_lists([Label("hello", "hello", "hello")], categories={"hello": "Greetings"})
    assert any("التحيات" in entry.title for entry in lists)
