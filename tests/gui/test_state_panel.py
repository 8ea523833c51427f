"""The panel shown instead of the picture for a problem state (signdesk.gui.state_panel)."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QPushButton

from signdesk.gui.state_panel import StatePanel
from signdesk.gui.states import SourceState, problem_text


def _panel(qtbot) -> StatePanel:
    panel = StatePanel()
    qtbot.addWidget(panel)
    panel.resize(600, 400)
    panel.show()
    return panel


def _buttons(panel: StatePanel) -> list[QPushButton]:
    """The buttons in the panel's button row, in order."""
    row = panel._buttons
    return [row.itemAt(i).widget() for i in range(row.count()) if isinstance(row.itemAt(i).widget(), QPushButton)]


def test_show_state_shows_title_detail_and_a_button_per_action(qtbot):
    panel = _panel(qtbot)
    open_video, refresh = QAction("&Open video…", panel), QAction("&Look for cameras again", panel)
    title, text = problem_text(SourceState.NO_CAMERA)
    panel.show_state(SourceState.NO_CAMERA, title, text, [open_video, refresh])
    assert panel.state == SourceState.NO_CAMERA
    assert (panel.title.text(), panel.detail.text()) == (title, text)
    assert panel.button_texts() == ["Open video…", "Look for cameras again"]  # mnemonics removed
    first, second = _buttons(panel)
    assert first.isDefault() and not second.isDefault()
    with qtbot.waitSignal(refresh.triggered, timeout=1000):
        second.click()  # a button does what the menu entry does
    with qtbot.waitSignal(open_video.triggered, timeout=1000):
        first.click()


def test_the_same_state_again_keeps_its_buttons_and_a_new_one_replaces_them(qtbot):
    panel = _panel(qtbot)
    a, b = QAction("&Open video…", panel), QAction("&Next camera", panel)
    title, text = problem_text(SourceState.CAMERA_LOST, "Fake USB camera stopped sending frames")
    panel.show_state(SourceState.CAMERA_LOST, title, text, [a, b])
    before = _buttons(panel)
    panel.show_state(SourceState.CAMERA_LOST, title, text, [a, b])  # e.g. the camera list was read again
    QApplication.processEvents()
    assert _buttons(panel) == before  # the very same widgets, not rebuilt under the user's pointer
    assert panel.button_texts() == ["Open video…", "Next camera"]

    refresh = QAction("&Look for cameras again", panel)
    panel.show_state(SourceState.CAMERA_LOST, title, text, [a, refresh])  # one camera left: other ways forward
    assert panel.button_texts() == ["Open video…", "Look for cameras again"]
    qtbot.waitUntil(lambda: not any(w in panel.findChildren(QPushButton) for w in before))  # old ones deleted
    title2, text2 = problem_text(SourceState.FILE_FAILED, "/videos/broken.mp4: not a readable video")
    panel.show_state(SourceState.FILE_FAILED, title2, text2, [a])
    assert (panel.state, panel.title.text(), panel.button_texts()) == (SourceState.FILE_FAILED, title2, ["Open video…"])
    assert "/videos/broken.mp4" in panel.detail.text()


def test_zoom_scales_title_detail_and_buttons(qtbot):
    panel = _panel(qtbot)
    panel.show_state(SourceState.NO_CAMERA, *problem_text(SourceState.NO_CAMERA), [QAction("&Open video…", panel)])
    title, detail = panel.title.font().pointSizeF(), panel.detail.font().pointSizeF()
    assert title > detail  # the title stands out
    panel.set_zoom(1.5)
    assert panel.title.font().pointSizeF() > title and panel.detail.font().pointSizeF() > detail
    assert _buttons(panel)[0].font().pointSizeF() == panel.detail.font().pointSizeF()
