"""GUI test fixtures: isolated settings, real clips, a window factory that checks clean shutdown."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="the GUI tests need PySide6")

from PySide6.QtCore import QSettings  # noqa: E402

from conftest import KARSL_SAMPLE, need  # noqa: E402  (tests/conftest.py)
from gui.fakes import FakeCameraDevice, FakeCatalog  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Path:
    """Never read or write the user's real settings file."""
    folder = tmp_path / "config"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(scope="session")
def long_clip() -> Path:
    """A 48-frame (1.6 s) KArSL test clip (sign 0011) with the signer's hand up."""
    return next(need(KARSL_SAMPLE / "01-test-mp4s").glob("01_01_0011_*.mp4"))


@pytest.fixture(scope="session")
def short_clip() -> Path:
    """A 15-frame KArSL test clip (sign 0001)."""
    return next(need(KARSL_SAMPLE / "01-test-mp4s").glob("01_01_0001_*.mp4"))


@pytest.fixture
def camera_device(karsl_clip: Path) -> FakeCameraDevice:
    return FakeCameraDevice(karsl_clip)


@pytest.fixture
def make_window(qtbot, fixture_model: Path):
    """Build real main windows; at teardown each is closed and must have joined all its threads."""
    from signdesk.gui.main_window import MainWindow
    from signdesk.gui.settings import Settings
    from signdesk.recognizer import Recognizer

    windows = []

    def make(catalog: FakeCatalog | None = None, settings: Settings | None = None, model: Path | None = fixture_model,
             **kwargs) -> MainWindow:
        window = MainWindow(settings or Settings(threshold=0.0), store=kwargs.pop("store", None),
                            catalog=catalog if catalog is not None else FakeCatalog(), retry_s=0.2, **kwargs)
        window.set_recognizer(Recognizer(model) if model is not None else None)
        qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert [t.objectName() for t in window.threads() if not t.isFinished()] == []
