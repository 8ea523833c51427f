"""The main window: live picture on the left, the recognized sign on the right.

The window owns the threads (one capture thread per source, one processing thread) and only
paints what they hand over. Every problem with a source is a state of the window (no camera,
camera busy, camera unplugged, unreadable video) with a way forward, never a crash.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolBar,
    QWidget,
)

from signdesk.capture import VIDEO_SUFFIXES, CameraInfo
from signdesk.gui.dialogs import HELP_TAB, LICENCES_TAB, MODEL_TAB, VOCABULARY_TAB, AboutDialog
from signdesk.gui.result_panel import ResultPanel
from signdesk.gui.settings import SPEEDS, STRIDES, THEMES, Settings
from signdesk.gui.sources import RESOLUTIONS, CameraCatalog, SourceSpec, file_spec, parse_resolution
from signdesk.gui.speech import Speaker
from signdesk.gui.state_panel import StatePanel
from signdesk.gui.status import StatusFigures
from signdesk.gui.style import apply_theme
from signdesk.gui.video_view import VideoView
from signdesk.gui.workers import CaptureWorker, ProcessingWorker, SourceInfo, worker_thread
from signdesk.handover import Mailbox
from signdesk.landmarks import LandmarkExtractor
from signdesk.recognizer import ModelError, Recognizer, bundled_models
from signdesk.resources import assets_dir

log = logging.getLogger(__name__)

# Source states shown by the window.
IDLE, OPENING, PLAYING, ENDED = "idle", "opening", "playing", "ended"
NO_CAMERA, CAMERA_FAILED, CAMERA_LOST, FILE_FAILED = "no-camera", "camera-failed", "camera-lost", "file-failed"

RAISE_HANDS = "Raise your hands to sign"
VIDEO_FILTER = "Videos (" + " ".join(f"*{s}" for s in VIDEO_SUFFIXES) + ");;All files (*)"
#: How often the camera list is re-read while no camera is found (seconds).
CAMERA_POLL_S = 3.0
#: ONNX Runtime threads for the model. One is enough for a window every few frames, and it
#: leaves the other cores to MediaPipe, capture and painting instead of spinning on them.
ONNX_THREADS = 1


def clock_text(seconds: float) -> str:
    """A position in a video as m:ss.s."""
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


class MainWindow(QMainWindow):
    """Live recognition window."""

    attempt_shown = Signal(object)  # AttemptResult, after the final result is on screen
    stream_finished = Signal()  # the end of a video file has been analysed
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
    ) -> None:
        super().__init__()
        self.settings = settings
        self._store = store
        self.catalog = catalog or CameraCatalog()
        self.speaker = speaker if speaker is not None else Speaker(self)
        self.provider = provider
        self._retry_s = retry_s
        self.recognizer: Recognizer | None = None
        self.cameras: list[CameraInfo] = []
        self.spec: SourceSpec | None = None
        self.source_info: SourceInfo | None = None
        self.state = IDLE
        self._serial = 0
        self._paused = False
        self._shut_down = False
        self._captures: list[tuple[QThread, CaptureWorker]] = []
        self._to_pipeline, self._to_preview, self._results = Mailbox(), Mailbox(), Mailbox()
        self._dialog: QWidget | None = None
        self._analysis_ready = threading.Event()
        self._detail = ""

        self.setWindowTitle("signdesk")
        icon = assets_dir() / "icon.svg"
        if icon.is_file():
            self.setWindowIcon(QIcon(str(icon)))
        self.setAcceptDrops(True)
        self.setMinimumSize(800, 500)
        self._build_actions()
        self._build_ui()
        self._build_menus()
        self._apply_settings()

        self.processing = ProcessingWorker(self._to_pipeline, self._results, None, settings.stride,
                                           extractor_factory)
        self._processing_thread = worker_thread(self.processing, "signdesk-processing")
        self.processing.ready.connect(self._analysis_ready.set, Qt.ConnectionType.DirectConnection)
        self.processing.failed.connect(self._analysis_ready.set, Qt.ConnectionType.DirectConnection)
        self.processing.failed.connect(self._on_processing_failed)
        self.processing.model_failed.connect(self._on_model_failed)
        self.processing.error.connect(self._on_processing_error)
        self.processing.frame_done.connect(self._on_frame_done)
        self.processing.live.connect(self._on_live)
        self.processing.attempt.connect(self._on_attempt)
        self.processing.stream_done.connect(self._on_stream_done)
        self._processing_thread.start()

        self._figures_timer = QTimer(self)
        self._figures_timer.timeout.connect(self.figures.refresh)
        self._figures_timer.start(500)
        self._camera_poll = QTimer(self)
        self._camera_poll.timeout.connect(self._poll_cameras)
        self._camera_poll.start(int(CAMERA_POLL_S * 1000))

    # --- construction --------------------------------------------------------------------

    def _action(self, text: str, slot: Callable, shortcut: str | QKeySequence.StandardKey = "",
                checkable: bool = False, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        tip = tip or text.replace("&", "").rstrip("…")
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        self.addAction(action)  # shortcuts keep working in full screen, without the menu bar
        return action

    def _build_actions(self) -> None:
        style = self.style()
        a = self._action
        self.open_video_action = a("&Open video…", self.choose_video, QKeySequence.StandardKey.Open,
                                   tip="Open a video file to recognize")
        self.open_video_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton))
        self.open_model_action = a("Open &model…", self.choose_model, "Ctrl+M",
                                   tip="Load a sign model (.onnx with labels.json beside it)")
        self.quit_action = a("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.pause_action = a("&Pause", self.set_paused, "Space", checkable=True,
                              tip="Pause or resume the camera or video")
        self.pause_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPause))
        self.replay_action = a("&Replay", self.replay, "R", tip="Play the video again from the start")
        self.replay_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipBackward))
        self.use_camera_action = a("Use &camera", self.use_camera, tip="Go back to the camera")
        self.next_camera_action = a("&Next camera", self.next_camera, "C", tip="Switch to the next camera")
        self.refresh_action = a("&Look for cameras again", lambda: self.refresh_cameras(), "F5",
                                tip="Look for cameras again")
        self.mirror_action = a("&Mirror", self.set_mirror, "M", checkable=True,
                               tip="Show the picture mirrored, like a mirror (recognition is unaffected)")
        self.overlay_action = a("&Landmarks", self.set_overlay, "L", checkable=True,
                                tip="Draw the hands, face and arms the app sees")
        self.picture_action = a("&Picture", self.set_picture, "P", checkable=True,
                                tip="Show the camera picture (off: only the landmarks, on a dark panel)")
        self.voice_action = a("&Voice", self.set_voice, "V", checkable=True,
                              tip="Say each recognized sign aloud")
        self.fullscreen_action = a("&Full screen", self.set_fullscreen, "F11", checkable=True)
        self.zoom_in_action = a("&Larger text", lambda: self.zoom_text(1.15), QKeySequence.StandardKey.ZoomIn)
        self.zoom_out_action = a("&Smaller text", lambda: self.zoom_text(1 / 1.15), QKeySequence.StandardKey.ZoomOut)
        self.zoom_reset_action = a("&Normal text size", lambda: self.zoom_text(0), "Ctrl+0")
        self.stricter_action = a("&Stricter (threshold +5%)", lambda: self.nudge_threshold(0.05), "Ctrl+Up")
        self.lenient_action = a("&More lenient (threshold −5%)", lambda: self.nudge_threshold(-0.05), "Ctrl+Down")
        self.clear_action = a("&Clear recent signs", self.clear_history, "Ctrl+Del")
        self.every_frame_action = a("Analyse &every frame", self.set_every_frame, checkable=True,
                                    tip="Video files: analyse every frame, slowing playback if needed")
        self.slower_action = a("S&lower", lambda: self.step_speed(-1), "[", tip="Play videos slower")
        self.faster_action = a("&Faster", lambda: self.step_speed(1), "]", tip="Play videos faster")
        self.help_action = a("&Help", lambda: self.show_help(HELP_TAB), QKeySequence.StandardKey.HelpContents)
        self.vocabulary_action = a("&Vocabulary…", lambda: self.show_help(VOCABULARY_TAB), "Ctrl+F",
                                   tip="Search the signs the model knows")
        self.model_card_action = a("&Model card…", lambda: self.show_help(MODEL_TAB),
                                   tip="What the model knows, how it was trained, how accurate it is")
        self.about_action = a("&About and licences…", lambda: self.show_help(LICENCES_TAB))

    def _build_ui(self) -> None:
        self.view = VideoView(self)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.state_panel = StatePanel(self)
        self.left = QStackedWidget(self)
        self.left.addWidget(self.view)
        self.left.addWidget(self.state_panel)
        self.result = ResultPanel(self.settings.threshold, self)
        self.result.threshold_changed.connect(self._threshold_changed)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.result)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        bar = QToolBar("Main", self)
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.source_combo = QComboBox(bar)
        self.source_combo.setMinimumContentsLength(16)
        self.source_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source_combo.setToolTip("Camera or video being recognized")
        self.source_combo.activated.connect(self._source_picked)
        self.resolution_combo = QComboBox(bar)
        for w, h in RESOLUTIONS:
            self.resolution_combo.addItem(f"{w}×{h}", f"{w}x{h}")
        self.resolution_combo.setToolTip("Camera resolution")
        self.resolution_combo.activated.connect(self._resolution_picked)
        for combo in (self.source_combo, self.resolution_combo):
            combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar.addWidget(QLabel(" Source ", bar))
        bar.addWidget(self.source_combo)
        bar.addWidget(self.resolution_combo)
        bar.addAction(self.open_video_action)
        bar.addSeparator()
        bar.addAction(self.pause_action)
        bar.addAction(self.replay_action)
        bar.addSeparator()
        bar.addAction(self.mirror_action)
        bar.addAction(self.overlay_action)
        bar.addAction(self.picture_action)
        bar.addAction(self.voice_action)
        for action in bar.actions():
            widget = bar.widgetForAction(action)
            if widget is not None:
                widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.addToolBar(bar)
        self.toolbar = bar
        self.figures = StatusFigures(self.statusBar())

    @staticmethod
    def _fill(menu: QMenu, actions: tuple[QAction | None, ...]) -> None:
        """Add actions to a menu; None adds a separator."""
        for action in actions:
            menu.addAction(action) if action is not None else menu.addSeparator()

    def _choices(self, menu: QMenu, options: list[tuple[str, object]], current: object,
                 slot: Callable[[object], None]) -> QActionGroup:
        """Exclusive, checkable menu entries (text, value); picking one calls ``slot(value)``."""
        group = QActionGroup(self)
        for text, value in options:
            act = menu.addAction(text)
            act.setCheckable(True)
            act.setData(value)
            act.setChecked(value == current)
            group.addAction(act)
        group.triggered.connect(lambda act: slot(act.data()))
        return group

    @staticmethod
    def _check(group: QActionGroup, value: object) -> None:
        for act in group.actions():
            act.setChecked(act.data() == value)

    def _build_menus(self) -> None:
        s = self.settings
        menu = self.menuBar()
        self._fill(menu.addMenu("&File"), (self.open_video_action, self.open_model_action, None, self.quit_action))
        self.source_menu = menu.addMenu("&Source")
        self.camera_group = QActionGroup(self)
        self._cameras_end = self.source_menu.addSeparator()  # camera entries go above it
        self.resolution_group = self._choices(self.source_menu.addMenu("&Resolution"),
                                              [(f"{w}×{h}", f"{w}x{h}") for w, h in RESOLUTIONS], s.resolution,
                                              self.set_resolution)
        self._fill(self.source_menu, (None, self.next_camera_action, self.refresh_action, self.use_camera_action,
                                      self.open_video_action))

        view_menu = menu.addMenu("&View")
        self._fill(view_menu, (self.mirror_action, self.overlay_action, self.picture_action, None, self.zoom_in_action,
                               self.zoom_out_action, self.zoom_reset_action, self.fullscreen_action))
        self.theme_group = self._choices(
            view_menu.addMenu("&Theme"), [("Follow the system" if t == "system" else t.capitalize(), t) for t in THEMES],
            s.theme, self.set_theme)

        rec_menu = menu.addMenu("&Recognition")
        self.model_menu = rec_menu.addMenu("&Model")
        self.model_group = QActionGroup(self)
        self._fill(rec_menu, (self.voice_action, None, self.stricter_action, self.lenient_action, self.clear_action))
        self.stride_group = self._choices(
            rec_menu.addMenu("Recognize &every…"),
            [(f"{k} frame{'s' if k > 1 else ''}" + (" (smoothest, most CPU)" if k == 1 else ""), k) for k in STRIDES],
            s.stride, self.set_stride)

        play_menu = menu.addMenu("&Playback")
        self._fill(play_menu, (self.pause_action, self.replay_action, None, self.slower_action, self.faster_action))
        self.speed_group = self._choices(play_menu, [(f"Speed {v:g}×", v) for v in SPEEDS], s.speed, self.set_speed)
        self._fill(play_menu, (None, self.every_frame_action))

        self._fill(menu.addMenu("&Help"), (self.help_action, self.vocabulary_action, self.model_card_action, None,
                                          self.about_action))
        self._rebuild_model_menu()

    def _apply_settings(self) -> None:
        s = self.settings
        for action, value in ((self.mirror_action, s.mirror), (self.overlay_action, s.overlay),
                              (self.picture_action, s.picture), (self.every_frame_action, s.every_frame)):
            action.setChecked(value)
        self.view.set_state(mirror=s.mirror, overlay=s.overlay, picture=s.picture)
        self.speaker.failed.connect(self._on_voice_failed)
        if self.speaker.available:
            self.voice_action.setChecked(s.voice)
        else:
            self.voice_action.setEnabled(False)
            self.voice_action.setToolTip(self.speaker.reason)
            self.voice_action.setStatusTip(self.speaker.reason)
        index = self.resolution_combo.findData(s.resolution)
        self.resolution_combo.setCurrentIndex(index if index >= 0 else 1)
        self._set_zoom(s.text_zoom)
        if not s.geometry.isEmpty():
            self.restoreGeometry(s.geometry)
        if not s.splitter.isEmpty():
            self.splitter.restoreState(s.splitter)
        self._update_actions()

    # --- model ---------------------------------------------------------------------------

    def set_recognizer(self, recognizer: Recognizer | None, problem: str = "") -> None:
        """Use this model (None: recognition off, with ``problem`` or a no-model notice shown)."""
        self.recognizer = recognizer
        self.processing.configure(recognizer=recognizer)
        if recognizer is not None:
            self.figures.set_model(f"Model: {recognizer.name} ({len(recognizer.labels)} signs)",
                                   str(recognizer.info.onnx))
            self.result.hide_notice()
        else:
            self.figures.set_model("No model", problem)
            self.result.show_notice(
                "No sign model loaded",
                problem or "signdesk found no installed sign model, so it cannot recognize signs yet. "
                           "The picture and landmarks still work.",
                "Open model…", self.choose_model)
        self._rebuild_model_menu()

    def load_model(self, name_or_path: str | Path) -> bool:
        """Load a bundled model by name or a .onnx file; a bad file gets a dialog naming it."""
        try:
            recognizer = Recognizer(name_or_path, providers=[self.provider], threads=ONNX_THREADS)
        except ModelError as exc:
            self.show_error("The sign model could not be loaded", str(exc))
            return False
        self.set_recognizer(recognizer)
        self.settings.model = str(name_or_path)
        return True

    def _rebuild_model_menu(self) -> None:
        self.model_menu.clear()
        for act in self.model_group.actions():
            self.model_group.removeAction(act)
        current = self.recognizer.info.onnx if self.recognizer is not None else None
        for info in bundled_models():
            act = self.model_menu.addAction(info.name)
            act.setCheckable(True)
            act.setChecked(current is not None and info.onnx == current)
            act.triggered.connect(lambda _=False, name=info.name: self.load_model(name))
            self.model_group.addAction(act)
        if not self.model_group.actions():
            none = self.model_menu.addAction("No bundled model installed")
            none.setEnabled(False)
        self.model_menu.addSeparator()
        self.model_menu.addAction(self.open_model_action)

    def choose_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a sign model", self.settings.last_folder,
                                              "ONNX models (*.onnx);;All files (*)")
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
        if source is not None and not source.strip().isdigit():
            self.refresh_cameras(auto_start=False)
            self.open_file(source)
            return
        self.refresh_cameras(auto_start=False)
        if source is not None:
            index = int(source)
            camera = next((c for c in self.cameras if c.index == index), CameraInfo(index, f"Camera {index}"))
            self.open_camera(camera)
        else:
            self.use_camera()

    def refresh_cameras(self, auto_start: bool = True) -> None:
        try:
            self.cameras = list(self.catalog.list())
        except Exception as exc:  # a broken camera driver must not take the window down
            log.warning("could not list cameras: %s", exc)
            self.cameras = []
        self._rebuild_source_list()
        if auto_start and self.state == NO_CAMERA and self.cameras:
            self.use_camera()
        elif self.state in (NO_CAMERA, CAMERA_LOST, CAMERA_FAILED):
            self._set_state(self.state)  # the offered buttons depend on the cameras found

    def _poll_cameras(self) -> None:
        if self.state == NO_CAMERA:
            self.refresh_cameras()

    def use_camera(self) -> None:
        """Open the camera used last time (or the first one); no camera → the no-camera state."""
        if not self.cameras:
            self._stop_captures()
            self.spec = None
            self._rebuild_source_list()
            self._set_state(NO_CAMERA)
            return
        preferred = next((c for c in self.cameras if c.index == self.settings.camera), self.cameras[0])
        self.open_camera(preferred)

    def next_camera(self) -> None:
        if not self.cameras:
            self.refresh_cameras()
            return
        current = self.spec.index if self.spec is not None and self.spec.live else None
        indices = [c.index for c in self.cameras]
        pos = (indices.index(current) + 1) % len(indices) if current in indices else 0
        self.open_camera(self.cameras[pos])

    def open_camera(self, camera: CameraInfo) -> None:
        self.settings.camera = camera.index
        self._start(self.catalog.spec(camera, parse_resolution(self.settings.resolution)))

    def open_file(self, path: str | Path) -> None:
        path = Path(path).expanduser()
        self.settings.last_folder = str(path.parent)
        self._start(file_spec(path))

    def choose_video(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a video", self.settings.last_folder, VIDEO_FILTER)
        if path:
            self.open_file(path)

    def replay(self) -> None:
        if self.spec is not None and not self.spec.live:
            self._start(self.spec)

    def set_resolution(self, text: str) -> None:
        self.settings.resolution = text
        self.resolution_combo.setCurrentIndex(max(0, self.resolution_combo.findData(text)))
        self._check(self.resolution_group, text)
        if self.spec is not None and self.spec.live:
            camera = next((c for c in self.cameras if c.index == self.spec.index),
                          CameraInfo(self.spec.index, self.spec.label))
            self.open_camera(camera)

    def _resolution_picked(self, index: int) -> None:
        self.set_resolution(self.resolution_combo.itemData(index))

    def _source_picked(self, index: int) -> None:
        data = self.source_combo.itemData(index)
        if isinstance(data, int) and (self.spec is None or not self.spec.live or self.spec.index != data):
            camera = next(c for c in self.cameras if c.index == data)
            self.open_camera(camera)

    def _rebuild_source_list(self) -> None:
        combo = self.source_combo
        combo.blockSignals(True)
        combo.clear()
        if self.spec is not None and not self.spec.live:
            combo.addItem(f"Video: {self.spec.label}", "file")
        for camera in self.cameras:
            combo.addItem(camera.name, camera.index)
        if not self.cameras:
            combo.addItem("No camera found", None)
            model_item = combo.model().item(combo.count() - 1)
            model_item.setEnabled(False)
        current = 0
        if self.spec is not None and self.spec.live:
            current = max(0, combo.findData(self.spec.index))
        combo.setCurrentIndex(current)
        combo.blockSignals(False)

        for act in self.camera_group.actions():
            self.camera_group.removeAction(act)
            self.source_menu.removeAction(act)
        for camera in self.cameras or [None]:
            act = QAction(camera.name if camera else "No camera found", self)
            act.setEnabled(camera is not None)
            act.setCheckable(True)
            act.setChecked(camera is not None and self.spec is not None and self.spec.live
                           and self.spec.index == camera.index)
            if camera is not None:
                act.triggered.connect(lambda _=False, cam=camera: self.open_camera(cam))
            self.camera_group.addAction(act)
            self.source_menu.insertAction(self._cameras_end, act)
        self._update_actions()

    def _start(self, spec: SourceSpec) -> None:
        """Stop the current source (without waiting) and start a capture thread for ``spec``."""
        self._stop_captures()
        self._serial += 1
        self.spec = spec
        self.source_info = None
        self._paused = False
        self.pause_action.blockSignals(True)
        self.pause_action.setChecked(False)
        self.pause_action.blockSignals(False)
        self.view.clear(f"Opening {spec.label}…")
        self.result.show_idle(RAISE_HANDS)
        self.figures.source_kind = "Camera" if spec.live else "Video"
        self.figures.reset()
        self._set_state(OPENING)
        worker = CaptureWorker(spec, self._serial, self._to_pipeline, self._to_preview,
                               speed=self.settings.speed, every_frame=self.settings.every_frame,
                               retry_s=self._retry_s, gate=self._analysis_ready)
        thread = worker_thread(worker, f"signdesk-capture-{self._serial}")
        worker.opened.connect(self._on_opened)
        worker.failed.connect(self._on_failed)
        worker.lost.connect(self._on_lost)
        worker.ended.connect(self._on_ended)
        worker.frame_ready.connect(self._on_frame_ready)
        self._captures.append((thread, worker))
        thread.start()
        self._rebuild_source_list()
        self.setWindowTitle(f"signdesk — {spec.label}")

    def _stop_captures(self) -> None:
        for _, worker in self._captures:
            worker.stop()
        self._captures = [(t, w) for t, w in self._captures if not t.isFinished()]

    def _current_capture(self) -> CaptureWorker | None:
        for _, worker in self._captures:
            if worker.serial == self._serial:
                return worker
        return None

    # --- source state --------------------------------------------------------------------

    def _set_state(self, state: str, detail: str | None = None) -> None:
        if detail is None:
            detail = self._detail if state == self.state else ""
        self.state, self._detail = state, detail
        camera_actions = [self.open_video_action,
                          self.next_camera_action if len(self.cameras) > 1 else self.refresh_action]
        panels = {
            NO_CAMERA: ("No camera found",
                        "Connect a webcam — signdesk looks for one every few seconds — or open a video file "
                        "to practise with a recording.",
                        [self.open_video_action, self.refresh_action]),
            CAMERA_FAILED: ("The camera could not be opened",
                            f"{detail}\n\nIt may be in use by another program, or camera access may be turned off "
                            "in your system's privacy settings. signdesk keeps trying every few seconds.",
                            camera_actions),
            CAMERA_LOST: ("The camera was disconnected",
                          f"{detail}\n\nsigndesk reconnects as soon as it is back. You can also pick another "
                          "camera or open a video file.",
                          camera_actions),
            FILE_FAILED: ("This video cannot be played",
                          f"{detail}\n\nsigndesk plays the usual video formats "
                          f"({', '.join(s.lstrip('.') for s in VIDEO_SUFFIXES[:5])}, …).",
                          [self.open_video_action] + ([self.use_camera_action] if self.cameras else [])),
        }
        if state in panels:
            title, text, actions = panels[state]
            self.state_panel.show_state(state, title, text, actions)
            self.left.setCurrentWidget(self.state_panel)
            self.statusBar().showMessage(title)
            if not self.result.has_result():
                self.result.show_idle("No picture yet")
        else:
            self.left.setCurrentWidget(self.view)
        badge = ""
        if state == ENDED:
            badge = "Video ended — R to replay"
        elif self._paused:
            badge = "Paused"
        self.view.set_state(badge=badge)
        if state in (NO_CAMERA, CAMERA_FAILED):
            self.settled.emit(state)
        self._update_actions()

    def _update_actions(self) -> None:
        live = self.spec is not None and self.spec.live
        is_file = self.spec is not None and not self.spec.live
        self.pause_action.setEnabled(self.state == PLAYING)
        self.replay_action.setEnabled(is_file)
        self.resolution_combo.setEnabled(live or self.spec is None)
        self.use_camera_action.setEnabled(bool(self.cameras) and not live)
        self.next_camera_action.setEnabled(bool(self.cameras))
        for action in (self.slower_action, self.faster_action, self.every_frame_action):
            action.setEnabled(not live)

    @Slot(int, object)
    def _on_opened(self, serial: int, info: SourceInfo) -> None:
        if serial != self._serial:
            return
        self.source_info = info
        size = f"{info.size[0]}×{info.size[1]}, " if info.size else ""
        if info.live:
            self.statusBar().showMessage(f"Camera: {info.name} ({size}{info.fps:.0f} fps)")
        else:
            length = f", {clock_text(info.frame_count / info.fps)}" if info.frame_count else ""
            self.statusBar().showMessage(f"Video: {info.name} ({size}{info.fps:.0f} fps{length})")
        self._set_state(PLAYING)

    @Slot(int, str)
    def _on_failed(self, serial: int, message: str) -> None:
        if serial != self._serial:
            return
        if self.spec is not None and self.spec.live:
            self._set_state(CAMERA_FAILED, message)
        else:
            self._set_state(FILE_FAILED, message)
            self.source_failed.emit(message)

    @Slot(int, str)
    def _on_lost(self, serial: int, message: str) -> None:
        if serial != self._serial:
            return
        self.view.set_landmarks(None)
        self.result.drop_live(RAISE_HANDS)  # the sign in progress is abandoned
        self.figures.reset()
        self.refresh_cameras(auto_start=False)
        self._set_state(CAMERA_LOST, message)

    @Slot(int)
    def _on_ended(self, serial: int) -> None:
        if serial == self._serial:
            self.view.set_state(hint="", signing=False)
            self._set_state(ENDED)

    @Slot(int)
    def _on_stream_done(self, serial: int) -> None:
        if serial == self._serial:
            self.result.drop_live(RAISE_HANDS)  # a guess whose sign never finished is not a result
            if not self.result.has_result():
                self.result.show_idle("No sign found in this video")
            self.stream_finished.emit()

    # --- frames and results --------------------------------------------------------------

    @Slot()
    def _on_frame_ready(self) -> None:
        packet = self._to_preview.take()
        if packet is None or packet.serial != self._serial:
            return
        self.view.set_image(packet.preview)
        if not self._analysis_ready.is_set():
            self.view.set_state(hint="Starting the hand tracker…")
        self.figures.camera_rate.add(packet.count)

    @Slot()
    def _on_frame_done(self) -> None:
        item = self._results.take()
        if item is None or item.serial != self._serial or self.state not in (PLAYING, ENDED):
            return
        frame = item.frame
        self.view.set_landmarks(frame.raw)
        if self.state == ENDED:
            hint = ""
        elif not frame.detection.person:
            hint = "No one in view — step in front of the camera" if self.spec.live else "No one in view"
        elif frame.signing or frame.hand_up:
            hint = ""
        else:
            hint = RAISE_HANDS
        self.view.set_state(hint=hint, signing=frame.signing and self.state != ENDED)
        self.figures.processing_rate.add(item.count)
        self.figures.latency.add(item.latency_ms)
        self.figures.add_timings(frame.timings)

    @Slot(int, object)
    def _on_live(self, serial: int, prediction: object) -> None:
        if serial == self._serial:
            self.result.show_prediction(prediction, final=False)

    @Slot(int, object)
    def _on_attempt(self, serial: int, result: object) -> None:
        if serial != self._serial:
            return
        confident = self.result.show_prediction(result.prediction, final=True)
        label, p = result.prediction.best
        if confident:
            when = time.strftime("%H:%M:%S") if self.spec.live else clock_text(result.attempt.start_time)
            self.result.add_history(when, label, p)
            if self.voice_action.isChecked():
                self.speaker.say(label)
        self.attempt_shown.emit(result)

    @Slot(str)
    def _on_processing_failed(self, message: str) -> None:
        self.result.show_notice("Recognition is off", message)
        self.show_error("The landmark detector could not start", message)

    @Slot(str)
    def _on_model_failed(self, message: str) -> None:
        self.set_recognizer(None, message)
        self.show_error("The sign model failed", message)

    @Slot(str)
    def _on_processing_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    # --- user settings -------------------------------------------------------------------

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        worker = self._current_capture()
        if worker is not None:
            worker.set_paused(paused)
        self.pause_action.setText("&Resume" if paused else "&Pause")
        icon = QStyle.StandardPixmap.SP_MediaPlay if paused else QStyle.StandardPixmap.SP_MediaPause
        self.pause_action.setIcon(self.style().standardIcon(icon))
        if self.state == PLAYING:
            self.view.set_state(badge="Paused" if paused else "")

    def set_mirror(self, on: bool) -> None:
        self.settings.mirror = on
        self.view.set_state(mirror=on)

    def set_overlay(self, on: bool) -> None:
        self.settings.overlay = on
        self.view.set_state(overlay=on)

    def set_picture(self, on: bool) -> None:
        self.settings.picture = on
        self.view.set_state(picture=on)

    def set_voice(self, on: bool) -> None:
        self.settings.voice = on
        if on:
            self.speaker.start()  # loads the engine now, so the first sign is not missed
        else:
            self.speaker.stop()

    @Slot(str)
    def _on_voice_failed(self, reason: str) -> None:
        self.voice_action.setChecked(False)
        self.voice_action.setEnabled(False)
        self.voice_action.setToolTip(reason)
        self.statusBar().showMessage(reason, 10000)

    def set_fullscreen(self, on: bool) -> None:
        self.menuBar().setVisible(not on)
        self.showFullScreen() if on else self.showNormal()

    def set_theme(self, theme: str) -> None:
        self.settings.theme = theme
        self._check(self.theme_group, theme)
        apply_theme(theme)

    def zoom_text(self, factor: float) -> None:
        """Multiply the text size (0: back to the system size)."""
        zoom = 1.0 if factor == 0 else min(3.0, max(0.6, self.settings.text_zoom * factor))
        self.settings.text_zoom = zoom
        self._set_zoom(zoom)

    def _set_zoom(self, zoom: float) -> None:
        self.result.set_zoom(zoom)
        self.view.set_state(zoom=zoom)
        self.state_panel.set_zoom(zoom)

    def nudge_threshold(self, delta: float) -> None:
        self.result.set_threshold(round(self.result.threshold + delta, 2))
        self._threshold_changed(self.result.threshold)

    def _threshold_changed(self, threshold: float) -> None:
        self.settings.threshold = threshold

    def clear_history(self) -> None:
        self.result.clear_history()

    def set_stride(self, stride: int) -> None:
        self.settings.stride = stride
        self._check(self.stride_group, stride)
        self.processing.configure(stride=stride)

    def set_speed(self, speed: float) -> None:
        self.settings.speed = speed
        self._check(self.speed_group, speed)
        self._apply_playback()
        self.statusBar().showMessage(f"Video speed {speed:g}×", 3000)

    def step_speed(self, step: int) -> None:
        i = SPEEDS.index(self.settings.speed) if self.settings.speed in SPEEDS else SPEEDS.index(1.0)
        self.set_speed(SPEEDS[min(len(SPEEDS) - 1, max(0, i + step))])

    def set_every_frame(self, on: bool) -> None:
        self.settings.every_frame = on
        self._apply_playback()

    def _apply_playback(self) -> None:
        worker = self._current_capture()
        if worker is not None:
            worker.set_playback(self.settings.speed, self.settings.every_frame)

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
                width = self.splitter.width()
                self.splitter.setSizes([int(width * 0.6), width - int(width * 0.6)])
            self.view.setFocus()

    _shown_once = False

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
        else:
            self.open_file(paths[0])

    # --- closing -------------------------------------------------------------------------

    def summary(self) -> str:
        """Frame counts and stage timings of this run (printed by ``signdesk -v``)."""
        stages = self.figures.stage_text() or "no frame analysed"
        return (f"frames analysed {self.processing.processed}, skipped before analysis {self._to_pipeline.dropped} "
                f"(latest frame wins); median per stage: {stages}")

    def threads(self) -> list[QThread]:
        speech = [self.speaker.thread] if self.speaker.thread is not None else []
        return [self._processing_thread] + [t for t, _ in self._captures] + speech

    def shutdown(self, timeout: float = 1.0, grace: float = 15.0) -> bool:
        """Stop every worker and join every thread; True if all ended within ``timeout`` seconds.

        A thread that cannot stop in time (MediaPipe still loading its models, a camera driver
        stuck in a read) is waited for up to ``grace`` more seconds: a QThread destroyed while
        running would abort the process.
        """
        if self._shut_down:
            return all(t.isFinished() for t in self.threads())
        self._shut_down = True
        self._figures_timer.stop()
        self._camera_poll.stop()
        for _, worker in self._captures:
            worker.stop()
        self.processing.stop()
        for box in (self._to_pipeline, self._to_preview, self._results):
            box.close()
        self.speaker.shutdown(timeout_ms=0)
        deadline = time.monotonic() + timeout
        ok = True
        for thread in self.threads():
            remaining = max(0, int((deadline - time.monotonic()) * 1000))
            ok = thread.wait(remaining) and ok
        if not ok:
            stuck = ", ".join(t.objectName() for t in self.threads() if not t.isFinished())
            log.info("still finishing after %.1f s: %s", timeout, stuck)
            for thread in self.threads():
                thread.wait(int(grace * 1000))
        return ok

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        if self._store is not None:
            self.settings.geometry = QByteArray(self.saveGeometry())
            self.settings.splitter = QByteArray(self.splitter.saveState())
            self.settings.save(self._store)
        event.accept()


def default_size() -> tuple[int, int]:
    """80% of the screen, at least 1024×640 where the screen allows."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return 1280, 720
    area = screen.availableGeometry()
    return max(min(1024, area.width()), int(area.width() * 0.8)), max(min(640, area.height()), int(area.height() * 0.8))
