"""The first-run welcome: shown once and remembered, language and sign language, the camera check."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from gui.fakes import FakeCameraDevice, FakeCatalog
from signdesk.gui.app import needs_welcome, run_welcome
from signdesk.gui.i18n import NO_WELCOME_ENV, Language, install_language
from signdesk.gui.settings import Settings, open_settings
from signdesk.gui.welcome import CameraCheck, WelcomeDialog, camera_advice, default_model, sign_models

WAIT_MS = 20000


@pytest.fixture(autouse=True)
def english_again(qapp):
    """Whatever a test picks, the next one starts in English, left to right."""
    yield
    install_language(Language.ENGLISH)


def _args(**kw) -> argparse.Namespace:
    base = dict(source=None, screenshot=None, model=None, provider="cpu", verbose=False, view=None)
    base.update(kw)
    return argparse.Namespace(**base)


def _dialog(qtbot, catalog: FakeCatalog, settings: Settings | None = None, **kw) -> WelcomeDialog:
    dialog = WelcomeDialog(settings or Settings(), catalog=catalog, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_first_run_shows_the_welcome_once_and_stores_the_choice(qtbot, monkeypatch):
    monkeypatch.delenv(NO_WELCOME_ENV, raising=False)
    store = open_settings()
    settings = Settings.load(store)
    assert not settings.welcomed and needs_welcome(settings, _args())
    shown = []

    def complete() -> None:
        dialog = QApplication.activeModalWidget()
        shown.append(dialog)
        dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("ar"))
        dialog.sign_combo.setCurrentIndex(dialog.sign_combo.findData("asl-basics"))
        dialog.accept()

    QTimer.singleShot(300, complete)
    assert run_welcome(settings, store, catalog=FakeCatalog()) == 0  # modal, until completed
    assert len(shown) == 1 and isinstance(shown[0], WelcomeDialog)
    again = Settings.load(open_settings())  # the next start reads the file
    assert (again.welcomed, again.language, again.model) == (True, "ar", "asl-basics")
    assert not needs_welcome(again, _args())


def test_scripted_runs_are_never_held_by_the_welcome(monkeypatch):
    monkeypatch.delenv(NO_WELCOME_ENV, raising=False)
    fresh = Settings()
    assert needs_welcome(fresh, _args())
    assert not needs_welcome(fresh, _args(source="clip.mp4"))
    assert not needs_welcome(fresh, _args(source="0"))
    assert not needs_welcome(fresh, _args(screenshot=Path("out.png")))
    monkeypatch.setenv(NO_WELCOME_ENV, "1")
    assert not needs_welcome(fresh, _args())


def test_closing_the_welcome_asks_again_next_time(qtbot):
    store = open_settings()
    dialog = WelcomeDialog(Settings.load(store), store=store, catalog=FakeCatalog())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()
    assert not Settings.load(open_settings()).welcomed


def test_the_sign_language_follows_the_interface_language(qtbot):
    names = {m.name for m in sign_models()}
    assert {"karsl-arabic", "asl-basics"} <= names
    assert default_model(sign_models(), Language.ARABIC) == "karsl-arabic"
    assert default_model(sign_models(), Language.ENGLISH) == "asl-basics"
    dialog = _dialog(qtbot, FakeCatalog(), Settings(language="en"))
    assert dialog.model == "asl-basics"
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("ar"))
    assert dialog.model == "karsl-arabic"


def test_choosing_arabic_translates_and_mirrors_the_interface(qtbot, make_window):
    dialog = _dialog(qtbot, FakeCatalog(), Settings(language="en"))
    assert dialog.windowTitle() == "Welcome to signdesk"
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("ar"))
    app = QApplication.instance()
    assert app.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert dialog.windowTitle() == "مرحبًا بك في signdesk"  # retranslated live
    dialog.accept()
    window = make_window()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[0] == "&ملف" and "م&ساعدة" in menus
    assert window.isRightToLeft()


def test_no_camera_explains_what_to_do(qtbot):
    dialog = _dialog(qtbot, FakeCatalog())
    qtbot.waitUntil(lambda: dialog.check is CameraCheck.NONE, timeout=WAIT_MS)
    assert dialog.camera_status.text() == "No camera was found."
    assert dialog.advice.isVisible() and camera_advice() in dialog.advice.text()
    assert "File → Open video" in dialog.advice.text()
    assert dialog.start_button.text() == "Continue without a camera"
    assert "video” group" in camera_advice("linux")
    assert "Privacy & security → Camera" in camera_advice("win32")
    assert "Privacy & Security → Camera" in camera_advice("darwin")


def test_a_busy_camera_says_why_and_can_be_tried_again(qtbot):
    device = FakeCameraDevice()
    device.busy = True
    dialog = _dialog(qtbot, FakeCatalog(device))
    qtbot.waitUntil(lambda: dialog.check is CameraCheck.FAILED, timeout=WAIT_MS)
    assert "in use by another program" in dialog.advice.text()
    device.busy = False
    dialog.look_for_camera()
    qtbot.waitUntil(lambda: dialog.check is CameraCheck.SHOWING, timeout=WAIT_MS)
    dialog.accept()
    assert device.opened == device.closed


def test_the_camera_picture_shows_and_the_camera_is_released(qtbot):
    device = FakeCameraDevice()
    dialog = _dialog(qtbot, FakeCatalog(device))
    qtbot.waitUntil(lambda: dialog.check is CameraCheck.SHOWING and dialog.video.has_image(), timeout=WAIT_MS)
    assert dialog.start_button.text() == "Start" and not dialog.advice.isVisible()
    dialog.accept()
    assert device.opened == 1 and device.closed == 1  # free for the main window


def test_welcome_screenshot(tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "welcome.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.run([sys.executable, "-m", "signdesk", "--view", "welcome", "--screenshot", str(out)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "screenshot of the welcome" in proc.stderr and not QImage(str(out)).isNull()
    assert not (tmp_path / "config" / "signdesk" / "signdesk.ini").exists()  # a screenshot stores nothing


def test_help_welcome_changes_the_choice_later_without_touching_the_camera(qtbot, make_window):
    window = make_window()
    window.acts.welcome.trigger()
    dialog = window.findChild(WelcomeDialog)
    assert dialog is not None and dialog.isVisible() and not dialog.camera_box.isVisible()
    assert dialog.start_button.text() == "Save"
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("ar"))
    assert dialog.restart_note.isVisible()  # the running window stays in English until the next start
    assert QApplication.instance().layoutDirection() == Qt.LayoutDirection.LeftToRight
    dialog.sign_combo.setCurrentIndex(dialog.sign_combo.findData("karsl-arabic"))
    dialog.accept()
    assert (window.settings.language, window.settings.model, window.settings.welcomed) == ("ar", "karsl-arabic", True)
