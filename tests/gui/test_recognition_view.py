"""The recognition view (signdesk.gui.recognition_view) in the real window, on the fakes.

The fake extractor's script decides what the person in front of the camera does, so each
hint and each step from a live guess to a final result can be checked frame by frame.
"""

from __future__ import annotations

import re
import threading

from fakes import NOBODY, REST, SIGN, FakeExtractor
from gui.fakes import FakeCatalog
from signdesk.gui.settings import Settings
from signdesk.gui.states import NO_PICTURE, NO_SIGN_IN_VIDEO, RAISE_HANDS, STARTING_TRACKER, VIDEO_ENDED, SourceState

WAIT_MS = 30000


def test_the_hint_follows_the_person(qtbot, make_window, camera_device):
    extractor = FakeExtractor([(NOBODY, 12), (REST, 12), (SIGN, 20), (REST, 12)])
    window = make_window(catalog=FakeCatalog(camera_device), extractor=extractor)
    seen: list[tuple[bool, bool, bool, str, bool]] = []  # person, hand up, signing; the view's hint and flag
    window.session.frame_processed.connect(lambda item: seen.append(
        (item.frame.detection.person, item.frame.hand_up, item.frame.signing, window.view.hint, window.view.signing)))
    window.start(None)
    qtbot.waitUntil(lambda: len(seen) >= 70, timeout=WAIT_MS)  # more than one pass of the script
    nobody = {(hint, flag) for person, _, _, hint, flag in seen if not person}
    resting = {(hint, flag) for person, up, signing, hint, flag in seen if person and not up and not signing}
    signing = {(hint, flag) for _, _, s, hint, flag in seen if s}
    assert nobody == {("No one in view — step in front of the camera", False)}
    assert resting == {(RAISE_HANDS, False)}
    assert signing == {("", True)}


def test_a_live_guess_then_the_final_result_with_the_time_of_day(qtbot, make_window, camera_device):
    window = make_window(catalog=FakeCatalog(camera_device), settings=Settings(threshold=0.0))
    captions: list[str] = []
    window.session.live_prediction.connect(lambda prediction: captions.append(window.result.caption.text()))
    with qtbot.waitSignal(window.attempt_shown, timeout=WAIT_MS) as shown:
        window.start(None)
    assert captions and set(captions) == {"Signing… best guess so far"}  # live guesses came first
    result = shown.args[0]
    best, p = result.prediction.best
    assert window.result.caption.text() == "Recognized sign" and window.result.shown_text() == best.name
    when, name, gloss, confidence = window.result.history_rows()[0]
    assert re.fullmatch(r"\d\d:\d\d:\d\d", when)  # a camera: the time of day
    assert (name, gloss, confidence) == (best.name, best.gloss, f"{p * 100:.0f}%")


def test_a_video_result_is_stamped_with_its_position_and_the_end_is_shown(qtbot, make_window, fake_video):
    window = make_window(settings=Settings(threshold=0.0, every_frame=True))
    with qtbot.waitSignal(window.stream_finished, timeout=WAIT_MS):
        window.open_file(fake_video)
    when = window.result.history_rows()[0][0]
    assert when == "0:00.3"  # the sign starts at frame 10 of a 30 fps video
    assert window.state == SourceState.ENDED
    assert (window.view.badge, window.view.hint, window.view.signing) == (VIDEO_ENDED, "", False)
    assert window.acts.replay.isEnabled() and not window.acts.pause.isEnabled()


def test_a_sign_cut_off_by_the_end_of_a_video_is_not_a_result(qtbot, make_window, fake_short_video):
    # 15 frames: hands up from frame 10, a live guess at frame 14, then the video ends (too short an attempt).
    window = make_window(settings=Settings(threshold=0.0, every_frame=True))
    live, shown = [], []
    window.session.live_prediction.connect(live.append)
    window.attempt_shown.connect(shown.append)
    with qtbot.waitSignal(window.stream_finished, timeout=WAIT_MS):
        window.open_file(fake_short_video)
    assert len(live) == 1 and shown == []
    assert not window.result.has_result() and window.result.shown_text() == ""
    assert window.result.gloss.text() == NO_SIGN_IN_VIDEO
    assert window.result.history_rows() == []


def test_pictures_say_the_tracker_is_starting_until_it_runs(qtbot, make_window, camera_device):
    release = threading.Event()
    extractor = FakeExtractor([(REST, 10)])

    def slow_start():  # MediaPipe loading its models, on a slow machine
        release.wait(10)
        return extractor()

    window = make_window(catalog=FakeCatalog(camera_device), extractor_factory=slow_start)
    try:
        with qtbot.waitSignal(window.session.picture, timeout=WAIT_MS):
            window.start(None)
        assert not window.session.is_analysing
        assert window.view.hint == STARTING_TRACKER and window.view.has_image()
    finally:
        release.set()
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        pass
    qtbot.waitUntil(lambda: window.view.hint == RAISE_HANDS, timeout=WAIT_MS)


def test_losing_the_camera_mid_sign_drops_the_guess_and_the_landmarks(qtbot, make_window, camera_device):
    extractor = FakeExtractor([(REST, 3), (SIGN, 600)])  # a very long sign: the camera goes first
    window = make_window(catalog=FakeCatalog(camera_device), extractor=extractor)
    at_loss: list[tuple] = []
    window.session.state_changed.connect(lambda state, detail: at_loss.append(
        (window.view._raw, window.result.has_result(), window.result.gloss.text(),
         window.recognition.left.currentWidget() is window.state_panel)) if state is SourceState.CAMERA_LOST else None)
    with qtbot.waitSignal(window.session.live_prediction, timeout=WAIT_MS):
        window.start(None)
    assert window.result.caption.text().startswith("Signing") and window.view._raw is not None
    camera_device.unplug()
    qtbot.waitUntil(lambda: bool(at_loss), timeout=10000)
    assert at_loss[0] == (None, False, NO_PICTURE, True)  # no stale hand, no half-made guess


def test_the_no_model_notice_offers_to_open_one(qtbot, make_window, monkeypatch, real_model):
    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []

    def pick(parent, caption, folder, filters):  # the user picks the bundled model's file
        asked.append(caption)
        return str(real_model.onnx), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    window = make_window(model=None)
    assert window.result.notice.isVisible() and window.result.notice_button.text() == "Open model…"
    assert window.figures.model.text() == "No model"
    window.result.notice_button.click()
    assert asked == ["Open a sign model"]
    assert window.recognizer is not None and window.recognizer.info.onnx == real_model.onnx
    assert not window.result.notice.isVisible()
    assert window.figures.model.text().startswith(f"Model: {real_model.name} (")
    assert [a.text() for a in window.menus.model_group.actions() if a.isChecked()] == [real_model.name]
