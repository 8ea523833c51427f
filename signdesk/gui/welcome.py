"""The first-run welcome: interface language, sign language (which bundled model), camera check.

Shown once, before the main window, on the first start without ``--source`` or
``--screenshot`` (and never with ``SIGNDESK_NO_WELCOME`` set); Help → Welcome and language… opens it
again. Completing it stores ``language``, ``model`` and ``welcomed`` in the settings. The
camera is looked for and opened in background threads (the same capture worker as the main
window), so the dialog never waits on a driver; when there is none, or it cannot be opened, the
dialog explains what to do on this OS, and the user can go on without a camera.
"""

from __future__ import annotations

import enum
import json
import logging
import sys
import threading
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QSettings, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from signdesk.capture import CameraInfo
from signdesk.gui.i18n import QT_TRANSLATE_NOOP, Language, chosen_language, install_language, translate, tr
from signdesk.gui.source_errors import localized_error
from signdesk.gui.settings import Settings
from signdesk.gui.sources import CameraCatalog
from signdesk.gui.states import CAMERA_NOT_OPENED
from signdesk.gui.style import scaled_font
from signdesk.gui.video_view import VideoView
from signdesk.gui.workers import CaptureWorker, worker_thread
from signdesk.handover import Mailbox
from signdesk.recognizer import bundled_models

log = logging.getLogger(__name__)

#: The camera picture is asked for at this size: enough to see oneself, light to capture.
PREVIEW_SIZE = (640, 480)
#: Preview threads that did not stop in time (worker, thread): kept alive until they end.
_STRAY_THREADS: list[tuple[CaptureWorker, QThread]] = []
#: Models whose sign language goes with an Arabic interface.
ARABIC_SIGN_LANGUAGES = ("ar",)

_SIGN_LANGUAGE_NAMES = {
    "ar": QT_TRANSLATE_NOOP("Welcome", "Arabic Sign Language"),
    "asl": QT_TRANSLATE_NOOP("Welcome", "American Sign Language (ASL)"),
}


class CameraCheck(enum.Enum):
    """Where the camera check is."""

    SEARCHING = enum.auto()
    SHOWING = enum.auto()  # frames arrive
    NONE = enum.auto()  # no camera found
    FAILED = enum.auto()  # found but could not be opened (busy, denied) or lost


@dataclass(frozen=True)
class SignModel:
    """A bundled model as the sign-language picker shows it."""

    name: str
    language: str  # labels.json "language" code ("ar", "asl"), "" if not stated
    signs: int

    def title(self) -> str:
        known = _SIGN_LANGUAGE_NAMES.get(self.language)
        language = translate("Welcome", known) if known else self.name
        return translate("Welcome", "%1 — %2 signs (%3)").replace("%1", language).replace(
                    "%2", str(self.signs)).replace("%3", self.name)


def sign_models() -> list[SignModel]:
    """The bundled models with their sign language (read from each labels.json)."""
    found = []
    for info in bundled_models():
        try:
            meta = json.loads(info.labels.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found.append(SignModel(info.name, str(meta.get("language", "")), len(meta.get("labels", []))))
    return found


def default_model(models: list[SignModel], language: Language) -> str:
    """Arabic Sign Language for an Arabic interface, otherwise ASL (or the first model)."""
    wanted = ARABIC_SIGN_LANGUAGES if language is Language.ARABIC else ("asl",)
    for model in models:
        if model.language in wanted:
            return model.name
    return models[0].name if models else ""


def camera_advice(platform: str = sys.platform) -> str:
    """What to do when there is no camera picture, for the user's OS."""
    if platform.startswith("win"):
        return translate("Welcome", "Windows: open Settings → Privacy & security → Camera, and turn on camera "
                                    "access for desktop apps. Close other apps that may be using the camera "
                                    "(Teams, Zoom, the Camera app).")
    if platform == "darwin":
        return translate("Welcome", "macOS: open System Settings → Privacy & Security → Camera and allow "
                                    "signdesk, then start signdesk again. Close other apps that may be using "
                                    "the camera.")
    return translate("Welcome", "Linux: check that the camera is plugged in and that your user is in the "
                                "“video” group (sudo usermod -aG video $USER, then log out and in). Close "
                                "other apps that may be using the camera (a browser, Zoom, Cheese).")


class _CameraFinder:
    """Lists the cameras in a plain thread (probing devices may take seconds).

    The thread only leaves its answer in ``result``; the dialog's timer collects it. No Qt
    object is touched from the thread, so a dialog closed and deleted meanwhile is never
    signalled from it.
    """

    def __init__(self, catalog: CameraCatalog) -> None:
        self._catalog = catalog
        self.thread: threading.Thread | None = None
        self.result: list[CameraInfo] | None = None

    def look(self) -> None:
        if self.thread is not None and self.thread.is_alive():
            return
        self.result = None
        self.thread = threading.Thread(target=self._run, name="signdesk-welcome-cameras", daemon=True)
        self.thread.start()

    def take(self) -> list[CameraInfo] | None:
        """The cameras found, once (None while still looking)."""
        result, self.result = self.result, None
        return result

    def _run(self) -> None:
        try:
            cameras = list(self._catalog.list())
        except Exception as exc:  # noqa: BLE001  (a broken driver means: no camera)
            log.warning("could not list cameras: %s", exc)
            cameras = []
        self.result = cameras


class WelcomeDialog(QDialog):
    """Language, sign language and a live camera check; ``accept`` stores the choice."""

    camera_checked = Signal(object)  # CameraCheck, each time the check changes

    def __init__(self, settings: Settings, *, store: QSettings | None = None,
                 catalog: CameraCatalog | None = None, live_language: bool = True, check_camera: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._store = store
        self._catalog = catalog or CameraCatalog()
        self._live_language = live_language  # before the main window: switch the interface at once
        self._check_camera = check_camera  # off over the main window, which owns the camera
        self._initial_language = chosen_language(settings.language)
        self.models = sign_models()
        self.check = CameraCheck.SEARCHING
        self._detail = ""
        self._worker: CaptureWorker | None = None
        self._thread: QThread | None = None
        self._preview = Mailbox()
        self._serial = 0
        self._done = False
        self._finder = _CameraFinder(self._catalog)
        self._collect = QTimer(self)
        self._collect.setInterval(100)
        self._collect.timeout.connect(self._collect_cameras)
        self._build()
        self.language_combo.setCurrentIndex(list(Language).index(self._initial_language))
        self._fill_models(settings.model or default_model(self.models, self._initial_language))
        self._first_model = self.model
        self.language_combo.currentIndexChanged.connect(self._language_picked)
        self.camera_box.setVisible(check_camera)
        self.retranslate()
        if check_camera:
            self._look()

    def _build(self) -> None:
        self.setMinimumWidth(720)
        self.resize(780, 640)
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setFont(scaled_font(1.6, bold=True))
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.language_label = QLabel(self)
        self.language_combo = QComboBox(self)
        for language in Language:
            self.language_combo.addItem(language.native_name, language.value)
        self.restart_note = QLabel(self)
        self.restart_note.setWordWrap(True)
        self.restart_note.setVisible(False)
        self.sign_label = QLabel(self)
        self.sign_combo = QComboBox(self)
        form.addRow(self.language_label, self.language_combo)
        form.addRow("", self.restart_note)
        form.addRow(self.sign_label, self.sign_combo)
        layout.addLayout(form)
        self.camera_box = QGroupBox(self)
        box = QVBoxLayout(self.camera_box)
        self.video = VideoView(self.camera_box)
        self.video.setMinimumSize(400, 240)
        self.video.set_state(overlay=False, mirror=self.settings.mirror)
        self.camera_status = QLabel(self.camera_box)
        self.camera_status.setWordWrap(True)
        self.camera_status.setFont(scaled_font(1.1, bold=True))
        self.advice = QLabel(self.camera_box)
        self.advice.setWordWrap(True)
        self.advice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.look_again = QPushButton(self.camera_box)
        self.look_again.clicked.connect(self.look_for_camera)
        box.addWidget(self.video, 1)
        box.addWidget(self.camera_status)
        box.addWidget(self.advice)
        box.addWidget(self.look_again, 0, Qt.AlignmentFlag.AlignLeading)
        layout.addWidget(self.camera_box, 1)
        self.buttons = QDialogButtonBox(self)
        self.start_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        layout.addWidget(self.buttons)

    def _fill_models(self, current: str) -> None:
        self.sign_combo.clear()
        for model in self.models:
            self.sign_combo.addItem(model.title(), model.name)
        self.sign_combo.setCurrentIndex(max(0, self.sign_combo.findData(current)))
        self.sign_combo.setEnabled(bool(self.models))

    # --- language ------------------------------------------------------------------------

    @property
    def language(self) -> Language:
        return Language(self.language_combo.currentData())

    @property
    def model(self) -> str:
        return self.sign_combo.currentData() or ""

    def _language_picked(self) -> None:
        language = self.language
        # The sign language follows the interface language until the user picks one themselves.
        if self.model == default_model(self.models, Language.ARABIC if language is Language.ENGLISH
                                       else Language.ENGLISH):
            self.sign_combo.setCurrentIndex(max(0, self.sign_combo.findData(default_model(self.models, language))))
        if self._live_language:
            install_language(language)
            self.retranslate()  # now, not when the posted LanguageChange arrives
        else:
            self.restart_note.setVisible(language is not self._initial_language)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Every text of the dialog in the current interface language."""
        self.setWindowTitle(translate("Welcome", "Welcome to signdesk"))
        self.heading.setText(translate("Welcome", "Welcome to signdesk"))
        self.intro.setText(translate("Welcome", "signdesk recognizes sign-language words from your camera, entirely "
                                                "on this computer. Choose your languages and check your camera. "
                                                "You can change these later with Help → Welcome and language…"))
        self.language_label.setText(translate("Welcome", "Interface language:"))
        self.restart_note.setText(translate("Welcome", "The new interface language is used when signdesk is "
                                                       "started again."))
        self.sign_label.setText(translate("Welcome", "Sign language:"))
        current = self.model
        self.sign_combo.blockSignals(True)
        self._fill_models(current)
        self.sign_combo.blockSignals(False)
        self.camera_box.setTitle(translate("Welcome", "Camera"))
        self.look_again.setText(translate("Welcome", "Look for cameras again"))
        self._show_check()

    # --- camera --------------------------------------------------------------------------

    def look_for_camera(self) -> None:
        """Stop any preview and list the cameras again (in the background)."""
        self.stop_camera()
        self._set_check(CameraCheck.SEARCHING)
        self._look()

    def _look(self) -> None:
        self._finder.look()
        self._collect.start()

    def _collect_cameras(self) -> None:
        cameras = self._finder.take()
        if cameras is not None:
            self._collect.stop()
            self._on_cameras(cameras)

    def _on_cameras(self, cameras: list[CameraInfo]) -> None:
        if self._done:
            return  # closed while the cameras were listed
        if not cameras:
            self._set_check(CameraCheck.NONE)
            return
        camera = next((c for c in cameras if c.index == self.settings.camera), cameras[0])
        self._start_preview(camera)

    def _start_preview(self, camera: CameraInfo) -> None:
        self.stop_camera()
        self._serial += 1
        self._preview = Mailbox()
        spec = self._catalog.spec(camera, PREVIEW_SIZE)
        worker = CaptureWorker(spec, self._serial, Mailbox(), self._preview, retry_s=2.0)
        worker.opened.connect(self._on_opened)
        worker.failed.connect(self._on_failed)
        worker.lost.connect(self._on_failed)
        worker.frame_ready.connect(self._on_frame)
        self._worker, self._thread = worker, worker_thread(worker, "signdesk-welcome-camera")
        self._thread.start()
        self._detail = camera.name

    def _on_opened(self, serial: int, info: object) -> None:
        if serial == self._serial:
            self._detail = getattr(info, "name", self._detail)

    def _on_failed(self, serial: int, message: str) -> None:
        if serial == self._serial:
            self._detail = message
            self.video.clear()
            self._set_check(CameraCheck.FAILED)

    def _on_frame(self) -> None:
        packet = self._preview.take()
        self._preview.done()
        if packet is None or packet.serial != self._serial:
            return
        self.video.set_image(packet.preview)
        if self.check is not CameraCheck.SHOWING:
            self._set_check(CameraCheck.SHOWING)

    def done(self, result: int) -> None:
        self._done = True
        self._collect.stop()
        self.stop_camera()
        super().done(result)

    def stop_camera(self, timeout_ms: int = 1000) -> bool:
        """Stop the preview and release the camera (before the main window opens it)."""
        worker, thread = self._worker, self._thread
        self._worker = self._thread = None
        self._serial += 1
        if worker is None or thread is None:
            return True
        worker.stop()
        self._preview.close()
        ok = thread.wait(timeout_ms)
        if not ok:  # a driver stuck in a read: keep the thread referenced until it ends, never destroy it running
            log.warning("the welcome camera preview did not stop within %d ms", timeout_ms)
            _STRAY_THREADS.append((worker, thread))
            thread.finished.connect(lambda: _STRAY_THREADS.remove((worker, thread)))
        return ok

    def _set_check(self, check: CameraCheck) -> None:
        changed = check is not self.check
        self.check = check
        self._show_check()
        if changed:
            self.camera_checked.emit(check)

    def _show_check(self) -> None:
        check = self.check
        texts = {
            CameraCheck.SEARCHING: translate("Welcome", "Looking for a camera…"),
            CameraCheck.SHOWING: translate("Welcome", "Your camera works: you should see yourself above."),
            CameraCheck.NONE: translate("Welcome", "No camera was found."),
            CameraCheck.FAILED: tr(CAMERA_NOT_OPENED) + ".",
        }
        self.camera_status.setText(texts[check])
        problem = check in (CameraCheck.NONE, CameraCheck.FAILED)
        advice = camera_advice() + "\n" + translate("Welcome", "You can go on without a camera: videos can be opened "
                                                               "with File → Open video…")
        if check is CameraCheck.FAILED and self._detail:
            advice = f"{localized_error(self._detail)}\n{advice}"
        self.advice.setText(advice if problem else "")
        self.advice.setVisible(problem)
        self.look_again.setEnabled(check is not CameraCheck.SEARCHING)
        if check is not CameraCheck.SHOWING:
            self.video.clear(texts[check])
        if not self._check_camera:
            self.start_button.setText(translate("Welcome", "Save"))
        else:
            self.start_button.setText(translate("Welcome", "Continue without a camera") if problem
                                      else translate("Welcome", "Start"))

    # --- the choice ----------------------------------------------------------------------

    def accept(self) -> None:
        """Remember the choice (language, model, completed) and close."""
        self.settings.language = self.language.value
        if self.model and (self.model != self._first_model or self.settings.model in ("", self._first_model)):
            self.settings.model = self.model  # a model opened from a file stays unless another is picked
        self.settings.welcomed = True
        if self._store is not None:
            for key in ("language", "model", "welcomed"):
                self._store.setValue(key, getattr(self.settings, key))
            self._store.sync()
        super().accept()

    def reject(self) -> None:
        """Closed without completing: the interface language goes back, and it is asked again next time."""
        if self._live_language and self.language is not self._initial_language:
            install_language(self._initial_language)
        super().reject()


def show_welcome_again(window: QWidget) -> WelcomeDialog:
    """Help → Welcome…: the same dialog over the main window, which keeps its camera.

    The preview would compete with the main window for the camera, so there is no camera
    check; a new language is used from the next start (the dialog says so).
    """
    settings = window.settings
    dialog = WelcomeDialog(settings, store=getattr(window, "_store", None), live_language=False,
                           check_camera=False, parent=window)
    previous_model = settings.model

    def done(result: int) -> None:
        if result and settings.model and settings.model != previous_model:
            window.load_model(settings.model)

    dialog.finished.connect(done)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
