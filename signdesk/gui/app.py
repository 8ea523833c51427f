"""Start the desktop app: ``signdesk`` with no subcommand.

Also the ``--screenshot`` mode used for documentation and smoke tests: the real window runs
on a video, and once the first recognized sign is on screen (or the video has been analysed
to its end) the whole window is saved as a PNG and the app exits.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QSocketNotifier, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from signdesk.files import atomic_path
from signdesk.gui import gc_pump
from signdesk.gui.compat import BrokenQtError, check_pyside
from signdesk.gui.i18n import chosen_language, install_language, tr, welcome_disabled
from signdesk.gui.main_window import MainWindow
from signdesk.gui.session import ONNX_THREADS
from signdesk.gui.settings import Settings, open_settings
from signdesk.gui.sources import CameraCatalog, parse_resolution
from signdesk.gui.states import ViewKind
from signdesk.gui.style import apply_theme
from signdesk.gui.welcome import CameraCheck, WelcomeDialog
from signdesk.recognizer import ModelError, Recognizer, bundled_models
from signdesk.resources import assets_dir

log = logging.getLogger(__name__)

#: Give up on a screenshot run after this long (seconds) without a result or the video's end.
SCREENSHOT_TIMEOUT_S = 180
#: Window size for screenshots and demos, e.g. SIGNDESK_GEOMETRY=1920x1080.
GEOMETRY_ENV = "SIGNDESK_GEOMETRY"
#: The presenter's activity (and sign) for ``--view presenter``, e.g. SIGNDESK_PRESENTER=show:0074.
PRESENTER_ENV = "SIGNDESK_PRESENTER"
#: ``--view welcome``: the first-run dialog (again), or its screenshot with ``--screenshot``.
WELCOME_VIEW = "welcome"


class AppError(Exception):
    """A problem that stops the app before its window opens (one line for the terminal)."""


def _error_line(message: str) -> None:
    print(f"signdesk: error: {message}", file=sys.stderr)


def load_recognizer(requested: str | None, remembered: str, provider: str,
                    strict: bool) -> tuple[Recognizer | None, str, str]:
    """The model to start with → (recognizer or None, notice for the window, error for a dialog).

    ``requested`` (``--model``) wins, then the model picked in the window last time (silently
    skipped if it is gone), then the default bundled model. No installed model is a notice, not
    an error. With ``strict`` (screenshot mode) a broken requested model raises ModelError.
    """
    candidates = [requested] if requested else ([remembered] if remembered else []) + [None]
    for i, name in enumerate(candidates):
        try:
            return Recognizer(name, providers=[provider], threads=ONNX_THREADS), "", ""
        except ModelError as exc:
            if name is None and not bundled_models():
                return None, "", ""
            if requested or name is None:
                if strict:
                    raise
                return None, str(exc), str(exc)
            log.info("the model used last time is unavailable (%s); using the default", exc)
    return None, "", ""


class ScreenshotTaker(QObject):
    """Saves the window once a sign is shown or the video is done, then closes it."""

    def __init__(self, window: MainWindow, path: Path, timeout_s: float = SCREENSHOT_TIMEOUT_S,
                 view: ViewKind = ViewKind.RECOGNIZE, progress: bool = False) -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.view = view
        self.progress = progress  # save the progress page (once its history is read), not the window
        self.code: int | None = None
        self._scheduled = False
        QTimer.singleShot(int(timeout_s * 1000), self._timeout)
        if progress:  # see watch_progress
            return
        shown = {ViewKind.RECOGNIZE: window.attempt_shown, ViewKind.PRACTICE: window.practice.scored,
                 ViewKind.PRESENTER: window.presenter.shown}[view]
        shown.connect(self._soon)
        window.stream_finished.connect(self._soon)
        window.source_failed.connect(self._fail)
        window.settled.connect(self._settled)

    def watch_progress(self, dialog: QObject) -> None:
        """Save the progress page once it has read the history (its ``loaded`` signal)."""
        dialog.loaded.connect(self._soon)

    def _soon(self, *_: object) -> None:
        if not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(300, self._take)  # let the result and the frame under it paint

    def _settled(self, state: str) -> None:
        print(f"signdesk: {self.window.state_panel.title.text().lower()}; "
              "saving a screenshot of that state", file=sys.stderr)
        self._soon()

    def _take(self) -> None:
        if self.code is not None:
            return
        pixmap = self.window.practice.progress_dialog.grab() if self.progress else self.window.grab()
        try:
            with atomic_path(self.path, ".png") as tmp:
                if not pixmap.save(str(tmp), "PNG"):
                    raise OSError("Qt could not write the image")
        except OSError as exc:
            self._fail(f"{self.path}: cannot write ({exc.strerror or exc})")
            return
        print(f"{self.path}: saved {pixmap.width()}×{pixmap.height()} screenshot "
              f"(showing: {self._shown_text()})", file=sys.stderr)
        self.code = 0
        if self.progress:
            self.window.practice.progress_dialog.close()
        self.window.close()

    def _shown_text(self) -> str:
        if self.progress:
            return self.window.practice.progress_dialog.summary_label.text()
        if self.view is ViewKind.PRACTICE:
            return self.window.practice.shown_text()
        if self.view is ViewKind.PRESENTER:
            return self.window.presenter.word_text()
        return self.window.result.shown_text()

    def _fail(self, message: str) -> None:
        if self.code is None:
            _error_line(message)
            self.code = 1
            self.window.close()

    def _timeout(self) -> None:
        self._fail(f"no sign was shown and the source did not end within {SCREENSHOT_TIMEOUT_S} s")


@contextlib.contextmanager
def close_on_interrupt(window: MainWindow) -> Iterator[dict[str, bool]]:
    """Ctrl+C (SIGINT) or SIGTERM closes the window cleanly instead of killing the process.

    Python only runs signal handlers between bytecodes, and Qt's event loop is C++; the
    signal's wake-up byte on a socket pair wakes the loop, which then closes the window.
    """
    state = {"interrupted": False}
    rsock, wsock = socket.socketpair()
    rsock.setblocking(False)
    wsock.setblocking(False)

    def handler(signum: int, frame: object) -> None:
        state["interrupted"] = True

    def woken() -> None:
        with contextlib.suppress(OSError):
            rsock.recv(64)
        state["interrupted"] = True
        window.close()

    old_fd = signal.set_wakeup_fd(wsock.fileno(), warn_on_full_buffer=False)
    old = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    notifier = QSocketNotifier(rsock.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(woken)
    try:
        yield state
    finally:
        notifier.setEnabled(False)
        signal.set_wakeup_fd(old_fd)
        for sig, previous in old.items():
            signal.signal(sig, previous)
        rsock.close()
        wsock.close()


def _check_screenshot_path(path: Path) -> Path:
    if path.suffix.lower() != ".png":
        raise AppError(f"{path}: the screenshot must be a .png file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise AppError(f"{path}: cannot write (folder {folder} does not exist)")
    if path.is_dir():
        raise AppError(f"{path}: is a folder")
    return path


def prepare_qt_environment(headless_ok: bool = False) -> None:
    """Make Qt start with its own plugins, and say so clearly when there is no screen.

    Importing OpenCV's Linux wheel points ``QT_QPA_PLATFORM_PLUGIN_PATH`` and ``QT_QPA_FONTDIR``
    at its bundled Qt 5 files, which Qt 6 cannot load ("could not load the Qt platform plugin
    xcb"); those two variables are dropped when they point into OpenCV. Without a display,
    runs that need no screen (screenshots, benchmarks) use the offscreen platform.
    """
    for var in ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR"):
        value = os.environ.get(var, "")
        if f"{os.sep}cv2{os.sep}" in value:
            del os.environ[var]
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display and not os.environ.get("QT_QPA_PLATFORM"):
        if not headless_ok:
            raise AppError("no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
                           "run signdesk from a desktop session")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def use_qt_capture() -> bool:
    """Open files and cameras through Qt Multimedia where OpenCV is missing (the bundles).

    ``SIGNDESK_CAPTURE=qt`` asks for it with OpenCV installed too (to try what the bundles run).
    """
    from signdesk.capture import opencv_available

    forced = os.environ.get("SIGNDESK_CAPTURE", "").lower() == "qt"
    if not forced and opencv_available():
        return False
    from signdesk.gui import qt_capture

    qt_capture.install()
    if (app := QApplication.instance()) is not None:
        qt_capture.ask_camera_permission(app)
    return True


def make_application(headless_ok: bool = False) -> QApplication:
    if QApplication.instance() is None:
        prepare_qt_environment(headless_ok)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("signdesk")
    app.setOrganizationName("signdesk")
    app.setApplicationDisplayName("signdesk")
    app.setDesktopFileName("signdesk")
    gc_pump.install(app)  # cycles holding Qt objects must never be collected in a worker
    use_qt_capture()
    icon = assets_dir() / "icon.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def default_size() -> tuple[int, int]:
    """80% of the screen, at least 1024×640 where the screen allows."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return 1280, 720
    area = screen.availableGeometry()
    return max(min(1024, area.width()), int(area.width() * 0.8)), max(min(640, area.height()), int(area.height() * 0.8))


def _start_activity(window: MainWindow, spec: str) -> None:
    """``activity[:sign]`` from SIGNDESK_PRESENTER: open that presenter activity (on that sign)."""
    from signdesk.gui.presenter_activity import Activity

    name, _, sign = spec.partition(":")
    try:
        activity = Activity(name.strip().lower())
    except ValueError:
        _error_line(f"{PRESENTER_ENV}={spec}: the activity is one of {', '.join(a.value for a in Activity)}")
        return
    if not window.presenter.start(activity, sign.strip()):
        _error_line(f"{PRESENTER_ENV}={spec}: no sign {sign!r} in this model or your signs")


def report_settings_problems(window: MainWindow, settings: Settings, path: str):
    """Say which settings a damaged settings file lost (the app runs on with their defaults)."""
    if not settings.problems:
        return None
    listed = "\n".join(f"• {problem}" for problem in settings.problems)
    return window.show_error(
        tr("Some settings were reset"),
        tr("signdesk could not read all of its settings from %1, so these were set back to their "
           "defaults:\n%2\nEverything else is as you left it.", path, listed))


def needs_welcome(settings: Settings, args: argparse.Namespace) -> bool:
    """The welcome shows on a first start a person made: not for a given source, a screenshot or a test."""
    scripted = args.source is not None or getattr(args, "screenshot", None) is not None
    return not settings.welcomed and not scripted and not welcome_disabled()


def run_welcome(settings: Settings, store: QSettings, shot: Path | None = None,
                catalog: CameraCatalog | None = None) -> int:
    """Show the welcome dialog before the main window → 0, or 130 after Ctrl+C.

    With ``shot`` the dialog is saved as a PNG once its camera check settled (found, or
    explained), and nothing is stored; the return is then the screenshot's exit status.
    """
    dialog = WelcomeDialog(settings, store=None if shot is not None else store, catalog=catalog)
    taker = None
    if shot is not None:
        size = parse_resolution(os.environ.get(GEOMETRY_ENV, ""))
        if size is not None:
            dialog.resize(*size)
        taker = WelcomeShot(dialog, shot)
    with close_on_interrupt(dialog) as interrupt:
        dialog.exec()
    if interrupt["interrupted"]:
        print("signdesk: interrupted", file=sys.stderr)
        return 130
    if taker is not None:
        return taker.code if taker.code is not None else 1
    return 0


class WelcomeShot(QObject):
    """Saves the welcome dialog once its camera check has settled, then closes it."""

    def __init__(self, dialog: WelcomeDialog, path: Path, timeout_s: float = SCREENSHOT_TIMEOUT_S) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.path = path
        self.code: int | None = None
        self._scheduled = False
        dialog.camera_checked.connect(self._checked)
        QTimer.singleShot(int(timeout_s * 1000), dialog.reject)

    def _checked(self, check: CameraCheck) -> None:
        if check is not CameraCheck.SEARCHING and not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(500, self._take)  # let the picture or the explanation paint

    def _take(self) -> None:
        try:
            with atomic_path(self.path, ".png") as tmp:
                if not self.dialog.grab().save(str(tmp), "PNG"):
                    raise OSError("Qt could not write the image")
        except OSError as exc:
            _error_line(f"{self.path}: cannot write ({exc.strerror or exc})")
            self.code = 1
        else:
            print(f"{self.path}: saved {self.dialog.width()}×{self.dialog.height()} screenshot of the welcome "
                  f"(camera: {self.dialog.check.name.lower()})", file=sys.stderr)
            self.code = 0
        self.dialog.reject()


def run_app(args: argparse.Namespace) -> int:
    """Open the window; returns the exit status (130 after Ctrl+C)."""
    shot = getattr(args, "screenshot", None)
    try:
        check_pyside()
        if shot is not None:
            shot = _check_screenshot_path(Path(shot))
        app = make_application(headless_ok=shot is not None)
        store = open_settings()
        settings = Settings.load(store)
    except (AppError, BrokenQtError) as exc:
        _error_line(str(exc))
        return 2
    install_language(chosen_language(settings.language), app)
    apply_theme(settings.theme)
    if getattr(args, "view", None) == WELCOME_VIEW:
        if shot is not None:
            return run_welcome(settings, store, shot)
        args.view = None  # the welcome again, then the usual window
        if run_welcome(settings, store) == 130:
            return 130
    elif needs_welcome(settings, args) and run_welcome(settings, store) == 130:
        return 130
    recognizer, notice, error = load_recognizer(args.model, settings.model, args.provider, strict=shot is not None)
    if shot is not None:
        settings.every_frame = True  # the screenshot shows what the model makes of every frame, not a lucky subset
    window = MainWindow(settings, store=None if shot is not None else store, provider=args.provider)
    window.set_recognizer(recognizer, notice)
    size = parse_resolution(os.environ.get(GEOMETRY_ENV, ""))
    if size is not None:
        window.resize(*size)
    elif settings.geometry.isEmpty():
        window.resize(*default_size())
    progress = getattr(args, "view", None) == "progress"  # the practice view with its progress page open
    view = ViewKind.PRACTICE if progress else ViewKind(getattr(args, "view", None) or ViewKind.RECOGNIZE)
    taker = ScreenshotTaker(window, shot, view=view, progress=progress) if shot is not None else None
    with close_on_interrupt(window) as interrupt:
        window.show()
        if view is not ViewKind.RECOGNIZE:
            window.show_view(view, fullscreen=shot is None and size is None)
        if view is ViewKind.PRESENTER and os.environ.get(PRESENTER_ENV):
            _start_activity(window, os.environ[PRESENTER_ENV])
        if progress:
            dialog = window.practice.show_progress()
            if taker is not None:
                taker.watch_progress(dialog)
        if error:
            window.show_error(tr("The sign model could not be loaded"), error)
        elif shot is None:
            report_settings_problems(window, settings, store.fileName())
        window.start(args.source)
        app.exec()
        window.shutdown()
    if args.verbose:
        print(f"signdesk: {window.summary()}", file=sys.stderr)
    code = 0
    if interrupt["interrupted"]:
        print("signdesk: interrupted", file=sys.stderr)
        code = 130
    elif taker is not None:
        code = taker.code if taker.code is not None else 1
    if not all(t.isFinished() for t in window.threads()):
        # Last resort (a camera driver hung in a read): destroying a running QThread would abort.
        print("signdesk: a capture thread did not stop; exiting without it", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
