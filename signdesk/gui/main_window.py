"""The main window: a shell of menus, toolbar and status bar around a stack of views.

The :class:`~signdesk.gui.session.RecognitionSession` owns the camera, the threads and the
model; the views (today the recognition view) subscribe to it. The window wires user intent
(actions, toolbar, menus, drops) to the session and the views, keeps the settings, and shows
the status bar. Every problem with a source is a state with a way forward, never a crash.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QStyle,
    QWidget,
)

from signdesk.gui.i18n import tr
from signdesk.capture import VIDEO_SUFFIXES
from signdesk.custom import CustomSign, CustomStore
from signdesk.gui.actions import MainMenus, MainToolBar, WindowActions
from signdesk.gui.dialogs import AboutDialog
from signdesk.gui.my_signs import MySignsDialog
from signdesk.gui.practice_view import PracticeView
from signdesk.gui.presenter_view import PresenterView
from signdesk.gui.recognition_view import RecognitionView
from signdesk.gui.session import RecognitionSession
from signdesk.gui.settings import SPEEDS, Settings
from signdesk.gui.sources import CameraCatalog
from signdesk.gui.speech import Speaker
from signdesk.gui.states import SourceState, ViewKind, saved_message
from signdesk.gui.status import StatusFigures
from signdesk.gui.style import apply_theme
from signdesk.gui.teach import TeachDialog
from signdesk.landmarks import LandmarkExtractor
from signdesk.packs import PACK_SUFFIX
from signdesk.recognizer import ModelError, Recognizer, bundled_models
from signdesk.resources import assets_dir

log = logging.getLogger(__name__)

__all__ = ["MainWindow"]

VIDEO_PATTERNS = " ".join(f"*{s}" for s in VIDEO_SUFFIXES)


class MainWindow(QMainWindow):
    """Menus, toolbar, status bar and the views, around one recognition session."""

    attempt_shown = Signal(object)  # AttemptResult, after the final result is on screen
    stream_finished = Signal()  # the end of a video file has been analysed and shown
    source_failed = Signal(str)  # a video file cannot be played
    settled = Signal(str)  # no camera / camera cannot be opened: waits for the user

    def __init__(
        self,
        settings: Settings,
        *,
        store: QSettings | None = None,
        catalog: CameraCatalog | None = None,
        speaker: Speaker | None = None,
        extractor_factory: Callable[[], LandmarkExtractor] = LandmarkExtractor,
        provider: str = "cpu",
        retry_s: float = 2.0,
        graphs: int | None = None,
        custom_store: CustomStore | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._store = store
        self._dialog: QWidget | None = None
        self.teach_dialog: TeachDialog | None = None
        self.my_signs_dialog: MySignsDialog | None = None
        self._shown_once = False
        self.speaker = speaker if speaker is not None else Speaker(self)
        self.session = RecognitionSession(settings, catalog=catalog, extractor_factory=extractor_factory,
                                          provider=provider, retry_s=retry_s, graphs=graphs, store=custom_store,
                                          parent=self)
        self.setWindowTitle("signdesk")
        icon = assets_dir() / "icon.svg"
        if icon.is_file():
            self.setWindowIcon(QIcon(str(icon)))
        self.setAcceptDrops(True)
        self.setMinimumSize(800, 500)

        self.recognition = RecognitionView(self.session, settings, self.speaker, self._problem_actions, self)
        self.practice = PracticeView(self.session, settings, self)
        self.presenter = PresenterView(self.session, settings, self)
        self.presenter.back_wanted.connect(self.leave_presenter)
        self.current_view = ViewKind.RECOGNIZE
        self._before_presenter = ViewKind.RECOGNIZE
        self.acts = WindowActions(self)
        self.recognition.attempt_shown.connect(self.attempt_shown)
        self.recognition.model_wanted.connect(self.choose_model)
        self.views = QStackedWidget(self)
        for view in (self.recognition, self.practice, self.presenter):
            self.views.addWidget(view)
        self.setCentralWidget(self.views)
        self.toolbar = MainToolBar(self.acts, self)
        self.toolbar.camera_picked.connect(self._camera_picked)
        self.toolbar.resolution_picked.connect(self.set_resolution)
        self.toolbar.view_picked.connect(self.show_view)
        self.addToolBar(self.toolbar)
        self.menus = MainMenus(self.menuBar(), self.acts, settings)
        self.menus.camera_picked.connect(self.session.open_camera)
        self.menus.model_picked.connect(self.load_model)
        self.menus.resolution_picked.connect(self.set_resolution)
        self.menus.theme_picked.connect(self.set_theme)
        self.menus.stride_picked.connect(self.set_stride)
        self.menus.speed_picked.connect(self.set_speed)
        self.menus.screen_picked.connect(self.present_on)
        app = QGuiApplication.instance()
        app.screenAdded.connect(self._show_screens)
        app.screenRemoved.connect(self._show_screens)
        self._show_screens()
        self.figures = StatusFigures(self.statusBar())
        self._figures_timer = QTimer(self)
        self._figures_timer.timeout.connect(self.figures.refresh)
        self._figures_timer.start(500)

        self.figures.follow(self.session)
        s = self.session
        s.state_changed.connect(self._on_state)
        s.cameras_changed.connect(self._show_sources)
        s.stream_finished.connect(self.stream_finished)
        s.recognizer_changed.connect(
            lambda r: self.menus.show_models(bundled_models(), r.info.onnx if r is not None else None))
        s.analysis_failed.connect(lambda message: self.show_error(tr("The landmark detector could not start"), message))
        s.model_failed.connect(lambda message: self.show_error(tr("The sign model failed"), message))
        s.custom_signs_failed.connect(lambda message: self.statusBar().showMessage(message[:1].upper() + message[1:],
                                                                                   10000))
        self.menus.show_models(bundled_models(), None)
        self._apply_settings()

    # Read-only views of the session and the recognition view, for callers and tests.
    state = property(lambda self: self.session.state)
    spec = property(lambda self: self.session.spec)
    source_info = property(lambda self: self.session.source_info)
    recognizer = property(lambda self: self.session.recognizer)
    processing = property(lambda self: self.session.processing)
    view = property(lambda self: self.recognition.video)
    result = property(lambda self: self.recognition.result)
    state_panel = property(lambda self: self.recognition.state_panel)

    def _apply_settings(self) -> None:
        s, a = self.settings, self.acts
        for action, value in ((a.mirror, s.mirror), (a.overlay, s.overlay), (a.picture, s.picture),
                              (a.every_frame, s.every_frame)):
            action.setChecked(value)
        self.speaker.failed.connect(self._on_voice_failed)
        if self.speaker.available:
            a.voice.setChecked(s.voice)
        else:
            a.voice.setEnabled(False)
            a.voice.setToolTip(self.speaker.reason)
            a.voice.setStatusTip(self.speaker.reason)
        self.toolbar.show_resolution(s.resolution)
        self.recognition.set_zoom(s.text_zoom)
        if not s.geometry.isEmpty():
            self.restoreGeometry(s.geometry)
        if not s.splitter.isEmpty():
            self.recognition.restoreState(s.splitter)
        self._show_sources()

    # --- model ---------------------------------------------------------------------------

    def set_recognizer(self, recognizer: Recognizer | None, problem: str = "") -> None:
        """Use this model (None: recognition off, with ``problem`` or a no-model notice shown)."""
        self.session.set_recognizer(recognizer, problem)

    def load_model(self, name_or_path: str | Path) -> bool:
        """Load a bundled model by name or a .onnx file; a bad file gets a dialog naming it."""
        try:
            self.session.load_model(name_or_path)
        except ModelError as exc:
            self.show_error(tr("The sign model could not be loaded"), str(exc))
            return False
        return True

    def choose_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a sign model"), self.settings.last_folder,
                                              tr("ONNX models (*.onnx);;All files (*)"))
        if path:
            self.load_model(path)

    def show_error(self, title: str, message: str) -> QMessageBox:
        """A window-modal error that does not block the event loop (the picture keeps running)."""
        box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok, self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.open()
        self._dialog = box
        return box

    # --- sources -------------------------------------------------------------------------

    def start(self, source: str | None = None) -> None:
        """Open what the command line asked for: a camera index, a video path, or the usual camera."""
        self.session.start(source)

    def open_file(self, path: str | Path) -> None:
        self.session.open_file(path)

    def choose_video(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a video"), self.settings.last_folder,
                                              tr("Videos (%1);;All files (*)", VIDEO_PATTERNS))
        if path:
            self.open_file(path)

    def set_resolution(self, text: str) -> None:
        self.toolbar.show_resolution(text)
        MainMenus.check(self.menus.resolution_group, text)
        self.session.set_resolution(text)

    def _camera_picked(self, index: int) -> None:
        spec = self.session.spec
        if spec is None or not spec.live or spec.index != index:
            self.session.open_camera(next(c for c in self.session.cameras if c.index == index))

    def _show_sources(self, *_: object) -> None:
        self.toolbar.show_sources(self.session.cameras, self.session.spec)
        self.menus.show_cameras(self.session.cameras, self.session.spec)
        self._update_actions()

    def _problem_actions(self, state: SourceState) -> list[QAction]:
        """The buttons offered in place of the picture for a problem state."""
        a, cameras = self.acts, self.session.cameras
        if state is SourceState.NO_CAMERA:
            return [a.open_video, a.refresh]
        if state is SourceState.FILE_FAILED:
            return [a.open_video] + ([a.use_camera] if cameras else [])
        return [a.open_video, a.next_camera if len(cameras) > 1 else a.refresh]

    @Slot(object, str)
    def _on_state(self, state: SourceState, detail: str) -> None:
        if state is SourceState.OPENING:
            spec = self.session.spec
            self.acts.pause.blockSignals(True)
            self.acts.pause.setChecked(False)
            self.acts.pause.blockSignals(False)
            self._show_pause(False)
            self.setWindowTitle(f"signdesk — {spec.label}")
        if state is SourceState.FILE_FAILED:
            self.source_failed.emit(detail)
        if state.waits_for_user:
            self.settled.emit(state)
        self._update_actions()

    def _update_actions(self) -> None:
        spec, a = self.session.spec, self.acts
        live = spec is not None and spec.live
        a.pause.setEnabled(self.session.state is SourceState.PLAYING)
        a.replay.setEnabled(spec is not None and not spec.live)
        self.toolbar.resolution_combo.setEnabled(live or spec is None)
        a.use_camera.setEnabled(bool(self.session.cameras) and not live)
        a.next_camera.setEnabled(bool(self.session.cameras))
        for action in (a.slower, a.faster, a.every_frame):
            action.setEnabled(not live)

    # --- views ---------------------------------------------------------------------------

    def _views(self) -> dict[ViewKind, QWidget]:
        return {ViewKind.RECOGNIZE: self.recognition, ViewKind.PRACTICE: self.practice,
                ViewKind.PRESENTER: self.presenter}

    def show_view(self, kind: ViewKind | str, fullscreen: bool = True) -> None:
        """Switch the stack to this view; the presenter goes full screen (``fullscreen``) without chrome."""
        kind = ViewKind(kind)
        if kind is ViewKind.PRESENTER and self.current_view is not ViewKind.PRESENTER:
            self._before_presenter = self.current_view
        leaving = self.current_view is ViewKind.PRESENTER and kind is not ViewKind.PRESENTER
        self.current_view = kind
        self.views.setCurrentWidget(self._views()[kind])
        self.toolbar.show_view(kind)
        presenting = kind is ViewKind.PRESENTER
        for bar in (self.menuBar(), self.toolbar, self.statusBar()):
            bar.setVisible(not presenting)
        if presenting:
            if fullscreen:
                self.showFullScreen()
            self.presenter.setFocus()
        elif leaving and not self.acts.fullscreen.isChecked():
            self.showNormal()
        if kind is ViewKind.RECOGNIZE:
            self.view.setFocus()

    def leave_presenter(self) -> None:
        """Esc in the presenter: back to the view it was opened from."""
        self.show_view(self._before_presenter)

    def present_on(self, index: int) -> None:
        """The presenter view, full screen on screen ``index`` (e.g. a projector as second screen);
        on a second screen its controls stay on the laptop's, in a console window."""
        self.show_view(ViewKind.PRESENTER, fullscreen=False)
        self.presenter.present_on(index)

    def _show_screens(self, *_: object) -> None:
        self.menus.show_screens([screen.name() or screen.model() for screen in QGuiApplication.screens()])

    def set_mirror(self, on: bool) -> None:
        self.recognition.set_mirror(on)
        self.practice.set_mirror(on)
        self.presenter.set_mirror(on)

    def set_picture(self, on: bool) -> None:
        self.recognition.set_picture(on)
        self.practice.set_picture(on)
        self.presenter.set_picture(on)

    # --- user settings -------------------------------------------------------------------

    def set_paused(self, paused: bool) -> None:
        self.session.set_paused(paused)
        self._show_pause(paused)
        self.recognition.show_paused(paused)

    def _show_pause(self, paused: bool) -> None:
        self.acts.pause.setText(tr("&Resume") if paused else tr("&Pause"))
        icon = QStyle.StandardPixmap.SP_MediaPlay if paused else QStyle.StandardPixmap.SP_MediaPause
        self.acts.pause.setIcon(self.style().standardIcon(icon))

    def set_voice(self, on: bool) -> None:
        self.settings.voice = on
        self.speaker.start() if on else self.speaker.stop()  # start loads the engine before the first sign

    @Slot(str)
    def _on_voice_failed(self, reason: str) -> None:
        self.acts.voice.setChecked(False)
        self.acts.voice.setEnabled(False)
        self.acts.voice.setToolTip(reason)
        self.statusBar().showMessage(reason, 10000)

    def set_fullscreen(self, on: bool) -> None:
        self.menuBar().setVisible(not on)
        self.showFullScreen() if on else self.showNormal()

    def set_theme(self, theme: str) -> None:
        self.settings.theme = theme
        MainMenus.check(self.menus.theme_group, theme)
        apply_theme(theme)

    def zoom_text(self, factor: float) -> None:
        """Multiply the text size (0: back to the system size)."""
        zoom = 1.0 if factor == 0 else min(3.0, max(0.6, self.settings.text_zoom * factor))
        self.settings.text_zoom = zoom
        self.recognition.set_zoom(zoom)

    def nudge_threshold(self, delta: float) -> None:
        self.recognition.nudge_threshold(delta)

    def set_stride(self, stride: int) -> None:
        MainMenus.check(self.menus.stride_group, stride)
        self.session.set_stride(stride)

    def set_speed(self, speed: float) -> None:
        MainMenus.check(self.menus.speed_group, speed)
        self.session.set_playback(speed, self.settings.every_frame)
        self.statusBar().showMessage(tr("Video speed %1×", format(speed, "g")), 3000)

    def step_speed(self, step: int) -> None:
        i = SPEEDS.index(self.settings.speed) if self.settings.speed in SPEEDS else SPEEDS.index(1.0)
        self.set_speed(SPEEDS[min(len(SPEEDS) - 1, max(0, i + step))])

    def set_every_frame(self, on: bool) -> None:
        self.session.set_playback(self.settings.speed, on)

    def show_help(self, tab: int) -> None:
        shortcuts = [(a.text().replace("&", "").rstrip("…"),
                      a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)) for a in self.actions()]
        dialog = AboutDialog(self.recognizer, shortcuts, self)
        dialog.show_tab(tab)
        dialog.open()
        self._dialog = dialog

    def showEvent(self, event: object) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if self.settings.splitter.isEmpty():
                width = self.recognition.width()
                self.recognition.setSizes([int(width * 0.6), width - int(width * 0.6)])
            self.view.setFocus()

    # --- custom signs --------------------------------------------------------------------

    def teach_sign(self, sign: CustomSign | None = None) -> TeachDialog:
        """Open Teach a sign (``sign``: record that saved sign again); one at a time."""
        if _brought_to_front(self.teach_dialog):
            return self.teach_dialog
        dialog = TeachDialog(self.session, self.settings, self, sign=sign)
        dialog.saved.connect(lambda stored: self.statusBar().showMessage(
            saved_message(stored.name, len(stored.takes)), 10000))
        return self._show_modeless("teach_dialog", dialog)

    def show_my_signs(self) -> MySignsDialog:
        """Open My signs (or bring it to the front)."""
        if _brought_to_front(self.my_signs_dialog):
            return self.my_signs_dialog
        dialog = MySignsDialog(self.session, self.settings, self)
        dialog.teach_wanted.connect(self.teach_sign)
        return self._show_modeless("my_signs_dialog", dialog)

    def _show_modeless(self, attr: str, dialog: QDialog) -> QDialog:
        """Show ``dialog`` not modal (the main view and its Source menu stay usable), kept in
        ``attr`` until it closes."""
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _: setattr(self, attr, None))
        setattr(self, attr, dialog)
        dialog.show()
        return dialog

    def import_pack(self) -> None:
        """Import a pack into My signs, which shows what came in and asks about taken names."""
        self.show_my_signs().import_wanted()

    def export_pack(self) -> None:
        self.show_my_signs().export_wanted()

    # --- drag and drop -------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            return
        event.acceptProposedAction()
        if paths[0].suffix.lower() == ".onnx":
            self.load_model(paths[0])
        elif paths[0].suffix.lower() == PACK_SUFFIX:
            self.show_my_signs().import_file(paths[0])
        else:
            self.open_file(paths[0])

    # --- closing -------------------------------------------------------------------------

    def summary(self) -> str:
        """Frame counts and stage timings of this run (printed by ``signdesk -v``)."""
        stages = self.figures.stage_text() or "no frame analysed"
        return (f"frames analysed {self.session.frames_analysed}, skipped before analysis "
                f"{self.session.frames_skipped} (latest frame wins); median per stage: {stages}")

    def threads(self) -> list[QThread]:
        speech = [self.speaker.thread] if self.speaker.thread is not None else []
        return self.session.threads() + speech

    def shutdown(self, timeout: float = 1.0, grace: float = 15.0) -> bool:
        """Stop every worker and join every thread; True if all ended within ``timeout`` seconds."""
        self._figures_timer.stop()
        self.speaker.shutdown(timeout_ms=0)
        deadline = time.monotonic() + timeout
        ok = self.session.shutdown(timeout, grace)
        if ok:
            self.practice.close_store()  # the background thread that wrote it has stopped
        speech = self.speaker.thread
        if speech is not None:
            ok = speech.wait(max(0, int((deadline - time.monotonic()) * 1000))) and ok
        return ok

    def closeEvent(self, event: QCloseEvent) -> None:
        teach = self.teach_dialog
        if teach is not None and teach.isVisible() and teach.has_unsaved():
            teach.reject()  # asks before recorded takes are thrown away
            if teach.isVisible():
                event.ignore()
                return
        self.shutdown()
        if self._store is not None:
            self.settings.geometry = QByteArray(self.saveGeometry())
            self.settings.splitter = QByteArray(self.recognition.saveState())
            self.settings.save(self._store)
        event.accept()


def _brought_to_front(dialog: QDialog | None) -> bool:
    """Raise an open dialog instead of opening a second one; False when none is open."""
    if dialog is None or not dialog.isVisible():
        return False
    dialog.raise_()
    dialog.activateWindow()
    return True
