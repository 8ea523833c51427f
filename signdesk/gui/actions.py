"""The window's chrome: actions with their shortcuts, the toolbar and the menus.

Actions are built once and shared by the menus, the toolbar and the state panel's buttons, so
a shortcut, a tooltip or an enabled state is the same everywhere. The toolbar and the menus
report what the user picked through intent-named signals and know nothing of the session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMenuBar,
    QStyle,
    QToolBar,
    QWidget,
)

from signdesk.gui.i18n import QT_TR_NOOP, isolated, tr
from signdesk.capture import CameraInfo
from signdesk.gui.dialogs import HELP_TAB, LICENCES_TAB, MODEL_TAB, VOCABULARY_TAB
from signdesk.gui.settings import SPEEDS, STRIDES, THEMES, Settings
from signdesk.gui.sources import RESOLUTIONS, SourceSpec
from signdesk.gui.states import NO_CAMERA_FOUND, ViewKind
from signdesk.gui.style import ALERT
from signdesk.gui.welcome import show_welcome_again

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.recognizer import ModelInfo


class WindowActions:
    """Every action of the main window, connected to the window's methods.

    ``window`` is the :class:`~signdesk.gui.main_window.MainWindow` (typed loosely so that
    the chrome does not import the window that owns it).
    """

    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        style = window.style()
        a = self._action
        w = window
        self.open_video = a(tr("&Open video…"), w.choose_video, QKeySequence.StandardKey.Open,
                            tip=tr("Open a video file to recognize"))
        self.open_video.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton))
        self.open_model = a(tr("Open &model…"), w.choose_model, "Ctrl+M",
                            tip=tr("Load a sign model (.onnx with labels.json beside it)"))
        self.quit = a(tr("&Quit"), w.close, QKeySequence.StandardKey.Quit)
        self.pause = a(tr("&Pause"), w.set_paused, "Space", checkable=True,
                       tip=tr("Pause or resume the camera or video"))
        self.pause.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPause))
        self.replay = a(tr("&Replay"), w.session.replay, "R", tip=tr("Play the video again from the start"))
        self.replay.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipBackward))
        self.use_camera = a(tr("Use &camera"), w.session.use_camera, tip=tr("Go back to the camera"))
        self.next_camera = a(tr("&Next camera"), w.session.next_camera, "C", tip=tr("Switch to the next camera"))
        self.refresh = a(tr("&Look for cameras again"), lambda: w.session.refresh_cameras(), "F5",
                         tip=tr("Look for cameras again"))
        self.mirror = a(tr("&Mirror"), w.set_mirror, "M", checkable=True,
                        tip=tr("Show the picture mirrored, like a mirror (recognition is unaffected)"))
        self.overlay = a(tr("&Landmarks"), w.recognition.set_overlay, "L", checkable=True,
                         tip=tr("Draw the hands, face and arms the app sees"))
        self.picture = a(tr("&Picture"), w.set_picture, "P", checkable=True,
                         tip=tr("Show the camera picture (off: only the landmarks, on a dark panel)"))
        self.voice = a(tr("&Voice"), w.set_voice, "V", checkable=True, tip=tr("Say each recognized sign aloud"))
        self.fullscreen = a(tr("&Full screen"), w.set_fullscreen, "F11", checkable=True)
        self.zoom_in = a(tr("&Larger text"), lambda: w.zoom_text(1.15), QKeySequence.StandardKey.ZoomIn)
        self.zoom_out = a(tr("&Smaller text"), lambda: w.zoom_text(1 / 1.15), QKeySequence.StandardKey.ZoomOut)
        self.zoom_reset = a(tr("&Normal text size"), lambda: w.zoom_text(0), "Ctrl+0")
        self.stricter = a(tr("&Stricter (threshold +5%)"), lambda: w.nudge_threshold(0.05), "Ctrl+Up")
        self.lenient = a(tr("&More lenient (threshold −5%)"), lambda: w.nudge_threshold(-0.05), "Ctrl+Down")
        self.clear = a(tr("&Clear recent signs"), w.recognition.result.clear_history, "Ctrl+Del")
        self.every_frame = a(tr("Analyse &every frame"), w.set_every_frame, checkable=True,
                             tip=tr("Video files: analyse every frame, slowing playback if needed"))
        self.slower = a(tr("S&lower"), lambda: w.step_speed(-1), "[", tip=tr("Play videos slower"))
        self.faster = a(tr("&Faster"), lambda: w.step_speed(1), "]", tip=tr("Play videos faster"))
        self.help = a(tr("&Help"), lambda: w.show_help(HELP_TAB), QKeySequence.StandardKey.HelpContents)
        self.vocabulary = a(tr("&Vocabulary…"), lambda: w.show_help(VOCABULARY_TAB), "Ctrl+F",
                            tip=tr("Search the signs the model knows"))
        self.model_card = a(tr("&Model card…"), lambda: w.show_help(MODEL_TAB),
                            tip=tr("What the model knows, how it was trained, how accurate it is"))
        self.about = a(tr("&About and licences…"), lambda: w.show_help(LICENCES_TAB))
        self.welcome = a(tr("&Welcome and language…"), lambda: show_welcome_again(w),
                         tip=tr("Choose the interface language and the sign language again"))
        self.teach = a(tr("&Teach a sign…"), lambda: w.teach_sign(), "Ctrl+T",
                       tip=tr("Record a sign of your own, at the camera or from video files, "
                              "for signdesk to recognize"))
        self.teach.setIconText(tr("Teach a sign"))
        self.teach.setIcon(record_icon())
        self.my_signs = a(tr("&My signs…"), w.show_my_signs, "Ctrl+Shift+M",
                          tip=tr("See, rename, record again or delete the signs you taught"))
        self.import_pack = a(tr("&Import pack…"), w.import_pack,
                             tip=tr("Add the signs of a pack (from a teacher, a class)"))
        self.show_recognize = a(tr("&Recognize"), lambda: w.show_view(ViewKind.RECOGNIZE), "Ctrl+1",
                                tip=tr("Recognize signs live: the picture and the recognized sign"))
        self.show_practice = a(tr("P&ractice"), lambda: w.show_view(ViewKind.PRACTICE), "Ctrl+2",
                               tip=tr("Practise signs: pick one, sign it, see whether it was recognized and why"))
        self.show_presenter = a(tr("Pre&senter"), lambda: w.show_view(ViewKind.PRESENTER), "Ctrl+3",
                                tip=tr("The recognized word huge, full screen, for a projector (Esc to go back)"))
        self.export_pack = a(tr("&Export pack…"), w.export_pack, tip=tr("Save your signs as a pack to share"))
        self.show_progress = a(tr("Practice pro&gress…"), lambda: w.practice.show_progress(),
                               tip=tr("Your practice over the days and sign by sign; export it as CSV"))

    def _action(self, text: str, slot: Callable, shortcut: str | QKeySequence.StandardKey = "",
                checkable: bool = False, tip: str = "") -> QAction:
        action = QAction(text, self._window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        tip = tip or text.replace("&", "").rstrip("…")
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        self._window.addAction(action)  # shortcuts keep working in full screen, without the menu bar
        return action


def record_icon(size: int = 32) -> QIcon:
    """A red dot: the usual sign for recording."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ALERT)
    painter.drawEllipse(QRectF(size * 0.18, size * 0.18, size * 0.64, size * 0.64))
    painter.end()
    return QIcon(pixmap)


class MainToolBar(QToolBar):
    """Source and resolution pickers, then the everyday actions."""

    camera_picked = Signal(int)  # a camera index
    resolution_picked = Signal(str)  # "1280x720"
    view_picked = Signal(object)  # ViewKind

    def __init__(self, actions: WindowActions, parent: QWidget | None = None) -> None:
        super().__init__(tr("Main"), parent)
        self.setObjectName("main-toolbar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.source_combo = QComboBox(self)
        self.source_combo.setMinimumContentsLength(16)
        self.source_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source_combo.setToolTip(tr("Camera or video being recognized"))
        self.source_combo.activated.connect(self._source_activated)
        self.resolution_combo = QComboBox(self)
        for w, h in RESOLUTIONS:
            self.resolution_combo.addItem(isolated(f"{w}×{h}"), f"{w}x{h}")
        self.resolution_combo.setToolTip(tr("Camera resolution"))
        self.resolution_combo.activated.connect(
            lambda i: self.resolution_picked.emit(self.resolution_combo.itemData(i)))
        self.view_combo = QComboBox(self)
        for text, kind in ((tr("Recognize"), ViewKind.RECOGNIZE), (tr("Practice"), ViewKind.PRACTICE),
                           (tr("Presenter"), ViewKind.PRESENTER)):
            self.view_combo.addItem(text, kind)
        self.view_combo.setToolTip(tr("Recognize, practise, or present on a projector (Ctrl+1, Ctrl+2, Ctrl+3)"))
        self.view_combo.activated.connect(lambda i: self.view_picked.emit(self.view_combo.itemData(i)))
        for combo in (self.source_combo, self.resolution_combo, self.view_combo):
            combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.addWidget(QLabel(tr(" View "), self))
        self.addWidget(self.view_combo)
        self.addSeparator()
        self.addWidget(QLabel(tr(" Source "), self))
        self.addWidget(self.source_combo)
        self.addWidget(self.resolution_combo)
        for action in (actions.open_video, None, actions.pause, actions.replay, None,
                       actions.mirror, actions.overlay, actions.picture, actions.voice, None, actions.teach):
            self.addAction(action) if action is not None else self.addSeparator()
        for action in self.actions():
            widget = self.widgetForAction(action)
            if widget is not None:
                widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def _source_activated(self, index: int) -> None:
        data = self.source_combo.itemData(index)
        if isinstance(data, int):
            self.camera_picked.emit(data)

    def show_view(self, kind: ViewKind) -> None:
        self.view_combo.setCurrentIndex(max(0, self.view_combo.findData(kind)))

    def show_resolution(self, text: str) -> None:
        index = self.resolution_combo.findData(text)
        self.resolution_combo.setCurrentIndex(index if index >= 0 else 1)

    def show_sources(self, cameras: Sequence[CameraInfo], spec: SourceSpec | None) -> None:
        """List the open video (if any) and the cameras; select what is playing."""
        combo = self.source_combo
        combo.blockSignals(True)
        combo.clear()
        if spec is not None and not spec.live:
            combo.addItem(tr("Video: %1", isolated(spec.label)), "file")
        for camera in cameras:
            combo.addItem(camera.name, camera.index)
        if not cameras:
            combo.addItem(tr(NO_CAMERA_FOUND), None)
            combo.model().item(combo.count() - 1).setEnabled(False)
        combo.setCurrentIndex(max(0, combo.findData(spec.index)) if spec is not None and spec.live else 0)
        combo.blockSignals(False)


_THEME_NAMES = {"system": QT_TR_NOOP("Follow the system"), "light": QT_TR_NOOP("Light"), "dark": QT_TR_NOOP("Dark")}


def _stride_text(k: int) -> str:
    if k == 1:
        return tr("1 frame (smoothest, most CPU)")
    return tr("%1 frames", k)


def _fill(menu: QMenu, actions: Sequence[QAction | None]) -> None:
    """Add actions to a menu; None adds a separator."""
    for action in actions:
        menu.addAction(action) if action is not None else menu.addSeparator()


class MainMenus(QObject):
    """The menu bar; picks from its lists of choices come out as intent-named signals."""

    camera_picked = Signal(object)  # CameraInfo
    model_picked = Signal(str)  # a bundled model's name
    resolution_picked = Signal(str)
    theme_picked = Signal(str)
    stride_picked = Signal(int)
    speed_picked = Signal(float)
    screen_picked = Signal(int)  # index in QGuiApplication.screens(): present there

    def __init__(self, bar: QMenuBar, actions: WindowActions, settings: Settings) -> None:
        super().__init__(bar)
        self._actions = actions
        s = settings
        _fill(bar.addMenu(tr("&File")), (actions.open_video, actions.open_model, None, actions.quit))
        self.source_menu = bar.addMenu(tr("&Source"))
        self.camera_group = QActionGroup(self)
        self._cameras_end = self.source_menu.addSeparator()  # camera entries go above it
        self.resolution_group = self._choices(self.source_menu.addMenu(tr("&Resolution")),
                                              [(isolated(f"{w}×{h}"), f"{w}x{h}") for w, h in RESOLUTIONS],
                                              s.resolution,
                                              self.resolution_picked.emit)
        _fill(self.source_menu, (None, actions.next_camera, actions.refresh, actions.use_camera, actions.open_video))

        view_menu = bar.addMenu(tr("&View"))
        _fill(view_menu, (actions.show_recognize, actions.show_practice, actions.show_presenter, None,
                          actions.show_progress))
        self.present_menu = view_menu.addMenu(tr("Present &on"))
        self.present_menu.setToolTip(tr("Put the presenter view full screen on this screen"))
        view_menu.addSeparator()
        _fill(view_menu, (actions.mirror, actions.overlay, actions.picture, None, actions.zoom_in,
                          actions.zoom_out, actions.zoom_reset, actions.fullscreen))
        self.theme_group = self._choices(
            view_menu.addMenu(tr("&Theme")), [(tr(_THEME_NAMES[t]), t) for t in THEMES],
            s.theme, self.theme_picked.emit)

        rec_menu = bar.addMenu(tr("&Recognition"))
        self.model_menu = rec_menu.addMenu(tr("&Model"))
        self.model_group = QActionGroup(self)
        _fill(rec_menu, (actions.voice, None, actions.stricter, actions.lenient, actions.clear))
        self.stride_group = self._choices(
            rec_menu.addMenu(tr("Recognize &every…")),
            [(_stride_text(k), k) for k in STRIDES],
            s.stride, self.stride_picked.emit)

        _fill(bar.addMenu(tr("Si&gns")), (actions.teach, actions.my_signs, None, actions.import_pack,
                                       actions.export_pack))

        play_menu = bar.addMenu(tr("&Playback"))
        _fill(play_menu, (actions.pause, actions.replay, None, actions.slower, actions.faster))
        self.speed_group = self._choices(play_menu, [(tr("Speed %1×", format(v, "g")), v) for v in SPEEDS], s.speed,
                                         self.speed_picked.emit)
        _fill(play_menu, (None, actions.every_frame))
        _fill(bar.addMenu(tr("&Help")), (actions.help, actions.vocabulary, actions.model_card, None,
                                         actions.welcome, actions.about))

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
    def check(group: QActionGroup, value: object) -> None:
        """Tick the entry of ``group`` whose value is ``value``."""
        for act in group.actions():
            act.setChecked(act.data() == value)

    def show_cameras(self, cameras: Sequence[CameraInfo], spec: SourceSpec | None) -> None:
        for act in self.camera_group.actions():
            self.camera_group.removeAction(act)
            self.source_menu.removeAction(act)
        for camera in list(cameras) or [None]:
            act = QAction(camera.name if camera else tr(NO_CAMERA_FOUND), self.source_menu)
            act.setEnabled(camera is not None)
            act.setCheckable(True)
            act.setChecked(camera is not None and spec is not None and spec.live and spec.index == camera.index)
            if camera is not None:
                act.triggered.connect(lambda _=False, cam=camera: self.camera_picked.emit(cam))
            self.camera_group.addAction(act)
            self.source_menu.insertAction(self._cameras_end, act)

    def show_screens(self, names: Sequence[str]) -> None:
        """List the screens under Present on; offered only when there are two or more."""
        self.present_menu.clear()
        for i, name in enumerate(names):
            act = self.present_menu.addAction(tr("Screen %1: %2 (second screen)", i + 1, name) if i == 1
                                              else tr("Screen %1: %2", i + 1, name))
            act.triggered.connect(lambda _=False, index=i: self.screen_picked.emit(index))
        self.present_menu.menuAction().setVisible(len(names) >= 2)

    def show_models(self, models: Sequence[ModelInfo], current: object) -> None:
        """List the bundled models, ticking the one whose .onnx path is ``current``."""
        self.model_menu.clear()
        for act in self.model_group.actions():
            self.model_group.removeAction(act)
        for info in models:
            act = self.model_menu.addAction(info.name)
            act.setCheckable(True)
            act.setChecked(current is not None and info.onnx == current)
            act.triggered.connect(lambda _=False, name=info.name: self.model_picked.emit(name))
            self.model_group.addAction(act)
        if not self.model_group.actions():
            self.model_menu.addAction(tr("No bundled model installed")).setEnabled(False)
        self.model_menu.addSeparator()
        self.model_menu.addAction(self._actions.open_model)
