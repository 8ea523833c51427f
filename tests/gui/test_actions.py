"""The window's chrome (signdesk.gui.actions): actions, toolbar and menus, on the fakes."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from gui.fakes import FakeCameraDevice, FakeCatalog
from signdesk.capture import CameraInfo
from signdesk.gui.actions import MainMenus, MainToolBar
from signdesk.gui.sources import CAMERA, SourceSpec, file_spec
from signdesk.recognizer import bundled_models


def _actions(window) -> dict[str, QAction]:
    return {name: value for name, value in vars(window.acts).items() if isinstance(value, QAction)}


def test_every_action_has_a_tooltip_naming_its_shortcut(qtbot, make_window):
    window = make_window()
    actions = _actions(window)
    assert len(actions) >= 25 and {"pause", "open_video", "mirror", "vocabulary"} <= set(actions)
    for name, action in actions.items():
        assert action.toolTip().strip() and action.statusTip().strip(), name
        assert "&" not in action.toolTip(), name
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            assert action.toolTip().endswith(f"({keys})"), name
        assert action in window.actions(), name  # shortcuts work without the menu bar (full screen)


def test_shortcuts_are_unique(qtbot, make_window):
    window = make_window()
    keys = [a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()]
    assert len(keys) >= 20
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []


def test_the_toolbar_lists_sources_and_reports_the_camera_picked(qtbot, make_window):
    window = make_window()
    toolbar = MainToolBar(window.acts)  # a second toolbar, not wired to the window
    qtbot.addWidget(toolbar)
    cameras = [CameraInfo(0, "Integrated Camera"), CameraInfo(3, "Logitech C920")]
    toolbar.show_sources(cameras, file_spec("/videos/hello.mp4"))
    combo = toolbar.source_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Video: hello.mp4", "Integrated Camera",
                                                                 "Logitech C920"]
    assert combo.currentIndex() == 0  # the video playing
    picked: list[int] = []
    toolbar.camera_picked.connect(picked.append)
    with qtbot.waitSignal(toolbar.camera_picked, timeout=1000) as blocker:
        combo.activated.emit(2)  # the user picks the second camera
    assert blocker.args == [3] and picked == [3]  # the camera's index, not its row
    combo.activated.emit(0)  # the video entry is not a camera
    assert picked == [3]
    toolbar.show_sources(cameras, SourceSpec(CAMERA, "Logitech C920", index=3))
    assert combo.currentText() == "Logitech C920" and combo.count() == 2
    toolbar.show_sources([], None)
    assert combo.currentText() == "No camera found" and not combo.model().item(0).isEnabled()
    with qtbot.waitSignal(toolbar.resolution_picked, timeout=1000) as blocker:
        toolbar.resolution_combo.activated.emit(0)
    assert blocker.args == ["640x480"]


def test_picking_a_camera_in_the_toolbar_opens_it(qtbot, make_window):
    first, second = FakeCameraDevice(name="Integrated Camera", index=0), FakeCameraDevice(name="USB camera", index=2)
    window = make_window(catalog=FakeCatalog(first, second))
    with qtbot.waitSignal(window.session.frame_processed, timeout=30000):
        window.start(None)
    assert window.spec.index == 0
    combo = window.toolbar.source_combo
    with qtbot.waitSignal(window.session.source_opened, timeout=30000) as opened:
        combo.activated.emit(combo.findData(2))
    assert opened.args[0].name == "USB camera" and window.spec.index == 2 and window.settings.camera == 2
    assert combo.currentText() == "USB camera"
    assert [a.text() for a in window.menus.camera_group.actions() if a.isChecked()] == ["USB camera"]
    qtbot.waitUntil(lambda: first.closed == first.opened == 1, timeout=5000)  # the first camera was released


def test_menus_report_choices_and_tick_the_current_one(qtbot, make_window):
    window = make_window()
    menus: MainMenus = window.menus
    strides: list[int] = []
    menus.stride_picked.connect(strides.append)
    two = next(a for a in menus.stride_group.actions() if a.data() == 2)
    two.trigger()
    assert strides == [2] and window.settings.stride == 2 and menus.stride_group.checkedAction() is two
    MainMenus.check(menus.speed_group, 0.5)
    assert menus.speed_group.checkedAction().data() == 0.5
    names = [a.text() for a in menus.model_group.actions()]
    assert names and names == [m.name for m in bundled_models()]  # the bundled models
    assert menus.model_group.checkedAction() is None  # the fake model is none of them

