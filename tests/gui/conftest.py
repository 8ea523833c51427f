"""GUI test fixtures: isolated settings, clips and videos, a window factory that checks clean shutdown.

Windows are built on the fakes by default (tests/fakes.py: a scripted FakeExtractor instead of
MediaPipe, a FakeRecognizer instead of an ONNX model), so a test about the window's behaviour
needs neither MediaPipe's start-up nor torch. ``make_window(real=True)`` builds the real thing:
MediaPipe Holistic and the bundled trained model ``REAL_MODEL`` (ONNX Runtime, no torch).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="the GUI tests need PySide6")

from PySide6.QtCore import QSettings  # noqa: E402

from conftest import KARSL_SAMPLE, need  # noqa: E402  (tests/conftest.py)
from fakes import FakeExtractor, FakeRecognizer, synthetic_frames, write_video  # noqa: E402  (tests/fakes.py)
from gui.fakes import FakeCameraDevice, FakeCatalog  # noqa: E402

#: The bundled trained model used by the end-to-end tests (shipped in models/, needs no torch).
REAL_MODEL = "karsl-arabic"
#: Frames in ``fake_video``: the default FakeExtractor script signs once in them (frames 10-39).
FAKE_VIDEO_FRAMES = 50

_DEFAULT = object()


@pytest.fixture(scope="session", autouse=True)
def mediapipe_imported_off_the_paint_path() -> None:
    """Import MediaPipe (for the overlay's connection sets) once, in a thread of its own.

    The VideoView loads those sets lazily inside ``paintEvent``. Where PortAudio is missing,
    MediaPipe's import keeps the OSError it caught (``mediapipe.tasks.python.audio.core.
    audio_record.sd_error``) and, through its traceback, every frame of the importing call
    stack: a first import from ``paintEvent`` keeps that QPainter alive until the interpreter
    exits, where destroying it segfaults (see tests/gui/test_video_view.py). The real extractor
    imports MediaPipe before anything is painted; with the fakes nothing else would.
    """
    from signdesk.landmarks import overlay_connections

    loader = threading.Thread(target=overlay_connections, name="import-mediapipe")
    loader.start()
    loader.join()


@pytest.fixture(autouse=True)
def cycles_collected_on_the_ui_thread(qapp):
    """As in the app (signdesk.gui.gc_pump): no worker thread may collect a test's Qt objects.

    Without it a window's construction once hung in CI: a background job's allocation started a
    collection that destroyed an earlier test's QObject in that thread, deadlocking on the GIL.
    """
    from signdesk.gui.gc_pump import UiThreadCollector

    collector = UiThreadCollector(qapp)
    yield
    collector.stop()  # collects here, then automatic collection again for the non-GUI tests
    collector.deleteLater()


@pytest.fixture(autouse=True)
def capture_as_asked(qapp):
    """``SIGNDESK_CAPTURE=qt`` runs the window's tests with Qt Multimedia's sources, as the bundles do."""
    from signdesk import capture
    from signdesk.gui.app import use_qt_capture

    use_qt_capture()
    yield
    capture.use_sources(None)


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


@pytest.fixture(scope="session")
def fake_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic 50-frame (1.67 s, 30 fps) video; with the default FakeExtractor it holds one sign."""
    return write_video(tmp_path_factory.mktemp("videos") / "signing.avi", synthetic_frames(FAKE_VIDEO_FRAMES))


@pytest.fixture(scope="session")
def fake_short_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic 15-frame video: too short for the default script's sign to count as an attempt."""
    return write_video(tmp_path_factory.mktemp("videos") / "short.avi", synthetic_frames(15))


@pytest.fixture
def camera_device() -> FakeCameraDevice:
    """A fake webcam showing synthetic frames (the fake extractor ignores the picture)."""
    return FakeCameraDevice()


@pytest.fixture(scope="session")
def real_model():
    """The bundled trained model's files (ModelInfo); it ships with the repository."""
    from signdesk.recognizer import resolve_model

    return resolve_model(REAL_MODEL)


def real_recognizer(model: object = REAL_MODEL):
    """A real ONNX Runtime recognizer, with the app's thread settings."""
    from signdesk.gui.session import ONNX_THREADS
    from signdesk.recognizer import Recognizer

    return Recognizer(model, threads=ONNX_THREADS)


@pytest.fixture
def make_window(qtbot) -> Callable:
    """Build real main windows; at teardown each is closed and must have joined all its threads.

    ``make_window()`` runs on the fakes: a FakeExtractor (``extractor=`` to pass your own, e.g. a
    script or injected errors) and a FakeRecognizer (``model=`` a FakeRecognizer or any other
    recognizer object, a model name or .onnx path for a real one, or None for no model).
    ``make_window(real=True)`` uses MediaPipe and the bundled model ``REAL_MODEL``.
    """
    from signdesk.gui.main_window import MainWindow
    from signdesk.gui.settings import Settings
    from signdesk.landmarks import LandmarkExtractor

    windows = []

    def make(catalog: FakeCatalog | None = None, settings: Settings | None = None, model: object = _DEFAULT, *,
             real: bool = False, extractor: FakeExtractor | None = None, **kwargs) -> MainWindow:
        if "extractor_factory" not in kwargs:
            if real and extractor is None:
                kwargs["extractor_factory"] = LandmarkExtractor
            else:
                kwargs["extractor_factory"] = extractor if extractor is not None else FakeExtractor()
        if model is _DEFAULT:
            recognizer = real_recognizer() if real else FakeRecognizer()
        elif model is None or hasattr(model, "predict"):
            recognizer = model
        else:
            recognizer = real_recognizer(model)  # a bundled name or an .onnx path
        window = MainWindow(settings or Settings(threshold=0.0), store=kwargs.pop("store", None),
                            catalog=catalog if catalog is not None else FakeCatalog(), retry_s=0.2, **kwargs)
        window.set_recognizer(recognizer)
        qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert [t.objectName() for t in window.threads() if not t.isFinished()] == []
