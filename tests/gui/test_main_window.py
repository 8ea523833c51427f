"""The real window, offscreen, on a fake camera, synthetic videos and real KArSL clips.

Tests about the window's behaviour (states, switching sources, pausing, settings, failures)
run on the fakes of tests/fakes.py: a scripted FakeExtractor instead of MediaPipe and a
FakeRecognizer instead of an ONNX model. The end-to-end tests run MediaPipe and the bundled
trained model on a real clip and check the window against the headless pipeline on the same
clip, with the same model (every-frame mode makes the window analyse exactly the frames the
CLI analyses), so they hold for any model, trained or not.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from fakes import FakeExtractor, FakeRecognizer
from gui.conftest import FAKE_VIDEO_FRAMES, real_recognizer
from gui.fakes import FakeCatalog
from signdesk.capture import VideoFile
from signdesk.gui.states import STARTING_TRACKER, VIDEO_ENDED, SourceState
from signdesk.gui.settings import Settings
from signdesk.landmarks import ExtractorError, LandmarkExtractor
from signdesk.pipeline import Pipeline

WAIT_MS = 60000  # generous: CI shares two cores with MediaPipe


def _headless(pipeline: Pipeline, clip: Path) -> list:
    """Every attempt the headless pipeline (as ``signdesk recognize``) finds in ``clip``."""
    attempts = []
    with VideoFile(clip) as video:
        for frame in video:
            _, attempt = pipeline.process_frame(frame.index, frame.time, frame.image)
            if attempt is not None:
                attempts.append(attempt)
    last = pipeline.finish()
    if last is not None:
        attempts.append(last)
    pipeline.extractor.close()
    return attempts


@pytest.fixture(scope="session")
def reference_attempts(real_model, long_clip: Path) -> list:
    """What the headless pipeline makes of ``long_clip`` with MediaPipe and the bundled model."""
    attempts = _headless(Pipeline(real_recognizer(real_model), LandmarkExtractor(), stride=5), long_clip)
    assert attempts, "the reference clip must contain a sign attempt"
    return attempts


def _play_to_end(qtbot, window, clip: Path) -> list:
    shown: list = []
    window.attempt_shown.connect(shown.append)
    with qtbot.waitSignal(window.stream_finished, timeout=WAIT_MS):
        window.open_file(clip)
    return shown


def _same_predictions(got, want) -> None:
    assert [lb.name for lb, _ in got.top] == [lb.name for lb, _ in want.top]
    np.testing.assert_allclose([p for _, p in got.top], [p for _, p in want.top], atol=1e-3)


def test_predictions_reach_the_result_panel(qtbot, make_window, long_clip, reference_attempts, real_model):
    window = make_window(settings=Settings(threshold=0.0, every_frame=True), real=True,
                         graphs=1)  # the headless reference runs one Holistic graph
    shown = _play_to_end(qtbot, window, long_clip)
    assert window.state == SourceState.ENDED
    assert window.session.to_pipeline.dropped == 0  # every frame was analysed
    assert len(shown) == len(reference_attempts)
    got, want = shown[-1].prediction, reference_attempts[-1].prediction
    _same_predictions(got, want)
    best, p = got.best
    panel = window.result
    assert panel.shown_text() == best.name
    assert panel.caption.text() == "Recognized sign"
    assert panel.bar.value == pytest.approx(p)
    assert [row.name.text() for row in panel.rows] == [lb.name for lb, _ in got.top[1:5]]
    rows = panel.history_rows()
    assert len(rows) == len(reference_attempts)
    assert rows[0][1] == best.name and rows[0][3] == f"{p * 100:.0f}%"
    assert window.view.has_image()
    assert window.figures.model.text().startswith(f"Model: {real_model.name}")


def test_the_window_finds_the_attempts_the_headless_pipeline_finds(qtbot, make_window, fake_video):
    """The same comparison on the fakes: the window adds nothing to and loses nothing from the pipeline."""
    want = _headless(Pipeline(FakeRecognizer(), FakeExtractor(), stride=5), fake_video)
    assert len(want) == 1 and (want[0].attempt.start_frame, want[0].attempt.end_frame) == (10, 39)
    window = make_window(settings=Settings(threshold=0.0, every_frame=True))
    shown = _play_to_end(qtbot, window, fake_video)
    assert window.session.frames_analysed == FAKE_VIDEO_FRAMES and window.session.frames_skipped == 0
    assert [(a.attempt.start_frame, a.attempt.end_frame) for a in shown] == [(10, 39)]
    np.testing.assert_allclose(shown[0].attempt.frames, want[0].attempt.frames)
    _same_predictions(shown[0].prediction, want[0].prediction)
    assert window.result.shown_text() == want[0].prediction.best[0].name
    assert window.figures.model.text() == "Model: fixture-fake (6 signs)"


def test_the_threshold_hides_low_confidence_results(qtbot, make_window, fake_video):
    window = make_window(settings=Settings(threshold=0.0, every_frame=True))
    shown = _play_to_end(qtbot, window, fake_video)
    best, p = shown[-1].prediction.best
    assert window.result.shown_text() == best.name
    if p >= 0.99:
        pytest.skip("this model is certain of the clip; no threshold can hide it")
    above = int(p * 100) + 1
    window.result.slider.setValue(above)  # the user drags the slider past the confidence
    assert window.settings.threshold == pytest.approx(above / 100)
    assert window.result.shown_text() == "Not sure"
    assert best.name not in window.result.shown_text()
    assert window.result.rows[0].name.text() == best.name  # listed as the closest sign, not as the answer
    history = len(window.result.history_rows())
    _play_to_end(qtbot, window, fake_video)  # the same clip again, now below the threshold
    assert window.result.shown_text() == "Not sure"
    assert len(window.result.history_rows()) == history  # unsure results never enter the history
    window.nudge_threshold(-1.0)
    assert window.result.shown_text() == best.name


def test_a_video_plays_at_its_own_speed_in_the_window(qtbot, make_window, fake_video):
    window = make_window(settings=Settings(threshold=0.0, every_frame=False))
    with VideoFile(fake_video) as video:
        duration = video.frame_count / video.fps
    qtbot.waitUntil(lambda: window.session.is_analysing, timeout=WAIT_MS)  # (ready may have fired already)
    t0 = time.monotonic()
    with qtbot.waitSignal(window.stream_finished, timeout=WAIT_MS):
        window.open_file(fake_video)
    elapsed = time.monotonic() - t0
    assert 0.9 * duration <= elapsed < duration + 5.0
    assert window.state == SourceState.ENDED
    assert "Video ended" in window.view.badge


def _drop(window, path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


def test_switching_sources(qtbot, make_window, fake_video, fake_short_video, camera_device):
    window = make_window(catalog=FakeCatalog(camera_device))
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        window.start(None)  # the fake camera
    assert window.state == SourceState.PLAYING and window.spec.live
    assert window.toolbar.source_combo.currentText() == camera_device.name
    with qtbot.waitSignal(window.stream_finished, timeout=WAIT_MS):
        _drop(window, fake_short_video)  # switch while the camera runs: drag a video onto the window
        assert window.toolbar.source_combo.currentText() == f"Video: {fake_short_video.name}"
    assert window.spec.path == fake_short_video
    qtbot.waitUntil(lambda: camera_device.closed == camera_device.opened, timeout=5000)  # camera released
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        window.toolbar._source_activated(window.toolbar.source_combo.findData(camera_device.index))  # back to the camera
    assert window.state == SourceState.PLAYING and window.spec.live
    window.open_file(fake_video)
    window.open_file(fake_short_video)  # switch again before the first file even started
    with qtbot.waitSignal(window.stream_finished, timeout=WAIT_MS):
        pass
    assert window.spec.path == fake_short_video
    old = [t for t, w in window.session._captures if w.serial != window.session._serial]
    qtbot.waitUntil(lambda: all(t.isFinished() for t in old), timeout=5000)  # old capture threads ended


def test_no_camera_state_offers_a_video_and_picks_up_a_new_camera(qtbot, make_window, camera_device):
    camera_device.unplug()
    catalog = FakeCatalog(camera_device)
    window = make_window(catalog=catalog)
    window.start(None)
    assert window.state == SourceState.NO_CAMERA
    assert window.recognition.left.currentWidget() is window.state_panel
    assert window.state_panel.title.text() == "No camera found"
    assert window.state_panel.button_texts()[0] == "Open video…"
    assert window.toolbar.source_combo.currentText() == "No camera found"
    assert window.isVisible()
    camera_device.plug()  # the user plugs a webcam in
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        window.session._poll_cameras()
    assert window.state == SourceState.PLAYING and window.recognition.left.currentWidget() is window.view


def test_camera_unplugged_mid_run_then_back(qtbot, make_window, camera_device):
    window = make_window(catalog=FakeCatalog(camera_device))
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        window.start(None)
    camera_device.unplug()
    qtbot.waitUntil(lambda: window.state == SourceState.CAMERA_LOST, timeout=10000)
    assert window.isVisible()
    assert window.state_panel.title.text() == "The camera was disconnected"
    assert "stopped sending frames" in window.state_panel.detail.text()
    camera_device.plug()
    qtbot.waitUntil(lambda: window.state == SourceState.PLAYING, timeout=10000)
    assert window.recognition.left.currentWidget() is window.view
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        pass  # frames flow again


def test_busy_camera_is_a_state_and_is_retried(qtbot, make_window, camera_device):
    camera_device.busy = True
    window = make_window(catalog=FakeCatalog(camera_device))
    window.start(None)
    qtbot.waitUntil(lambda: window.state == SourceState.CAMERA_FAILED, timeout=10000)
    assert "in use by another program" in window.state_panel.detail.text()
    camera_device.busy = False
    qtbot.waitUntil(lambda: window.state == SourceState.PLAYING, timeout=10000)


def test_unreadable_video_is_a_state_naming_the_file(qtbot, make_window, tmp_path):
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(b"this is not a video")
    window = make_window()
    with qtbot.waitSignal(window.source_failed, timeout=WAIT_MS) as failed:
        window.open_file(bad)
    assert str(bad) in failed.args[0]
    assert window.state == SourceState.FILE_FAILED
    assert window.state_panel.title.text() == "This video cannot be played"
    assert str(bad) in window.state_panel.detail.text()


def test_missing_or_corrupt_model_gets_a_dialog_naming_the_file(qtbot, make_window, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    window = make_window()
    good = window.recognizer
    corrupt = tmp_path / "corrupt.onnx"
    corrupt.write_bytes(b"\x00garbage")
    (tmp_path / "labels.json").write_text('{"labels": ["a", "b"]}', encoding="utf-8")
    for path in (corrupt, tmp_path / "missing.onnx"):
        assert window.load_model(path) is False
        box = window._dialog
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert str(path) in box.text()
        box.close()
        assert window.recognizer is good  # the working model stays


def test_no_model_still_shows_the_picture_and_says_so(qtbot, make_window, camera_device):
    window = make_window(catalog=FakeCatalog(camera_device), model=None)
    assert window.result.notice.isVisible()
    assert window.result.notice_title.text() == "No sign model loaded"
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        window.start(None)
    qtbot.waitUntil(lambda: window.view._raw is not None, timeout=WAIT_MS)  # landmarks still drawn


def test_a_model_failing_mid_sign_is_dropped_with_a_dialog_and_landmarks_keep_coming(qtbot, make_window,
                                                                                     camera_device):
    from PySide6.QtWidgets import QMessageBox

    # Live guesses come every 5 frames of a 30-frame sign: the 3rd call of the model is mid-sign.
    model = FakeRecognizer(fail_after=3)
    window = make_window(catalog=FakeCatalog(camera_device), model=model)
    live, after = [], []
    window.session.live_prediction.connect(live.append)
    with qtbot.waitSignal(window.session.model_failed, timeout=WAIT_MS) as failed:
        window.start(None)
    assert len(live) == 2 and model.calls == 3  # two guesses were shown, then the model broke
    message = failed.args[0]
    assert "the model failed while recognizing" in message and "recognition is off" in message
    box = window._dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowTitle() == "The sign model failed" and box.text() == message
    assert window.recognizer is None
    assert window.figures.model.text() == "No model" and window.figures.model.toolTip() == message
    assert window.result.notice.isVisible() and window.result.notice_text.text() == message
    window.session.frame_processed.connect(after.append)
    # The picture and landmarks go on, and so does sign segmentation (the next loop of the script signs).
    qtbot.waitUntil(lambda: len(after) >= 20 and any(i.frame.signing for i in after), timeout=WAIT_MS)
    assert window.view._raw is after[-1].frame.raw and window.view.has_image()
    assert window.state == SourceState.PLAYING
    assert model.calls == 3 and len(live) == 2  # dropped, not retried on every frame
    box.close()


def test_a_frame_that_cannot_be_analysed_is_reported_and_the_next_is_analysed(qtbot, make_window, fake_video):
    extractor = FakeExtractor(errors={7: RuntimeError("synthetic glitch")})
    window = make_window(settings=Settings(threshold=0.0, every_frame=True), extractor=extractor)
    errors, failed = [], []
    window.session.frame_error.connect(errors.append)
    window.session.model_failed.connect(failed.append)
    shown = _play_to_end(qtbot, window, fake_video)
    assert len(errors) == 1 and errors[0].startswith("analysis failed on ")
    assert errors[0].endswith(": RuntimeError: synthetic glitch")
    message = window.statusBar().currentMessage()
    assert message == errors[0] and "model failed" not in message
    assert failed == [] and window.recognizer is not None  # a glitch is not the model's fault
    assert extractor.calls >= FAKE_VIDEO_FRAMES  # every frame reached the extractor ...
    assert window.session.frames_analysed == FAKE_VIDEO_FRAMES - 1  # ... and all but frame 7 were analysed
    assert [(a.attempt.start_frame, a.attempt.end_frame) for a in shown] == [(10, 39)]  # later frames recognized


def test_the_message_about_a_frame_that_cannot_be_analysed_names_the_frame(qtbot, make_window, fake_video):
    extractor = FakeExtractor(errors={7: RuntimeError("synthetic glitch")})
    window = make_window(settings=Settings(threshold=0.0, every_frame=True), extractor=extractor)
    _play_to_end(qtbot, window, fake_video)
    assert window.statusBar().currentMessage() == "analysis failed on frame 7: RuntimeError: synthetic glitch"


def _no_mediapipe():
    raise ExtractorError("MediaPipe is not installed: No module named 'mediapipe'")


def test_a_landmark_detector_that_cannot_start_gets_a_dialog_and_the_camera_still_shows(qtbot, make_window,
                                                                                       camera_device):
    from PySide6.QtWidgets import QMessageBox

    window = make_window(catalog=FakeCatalog(camera_device), extractor_factory=_no_mediapipe)
    qtbot.waitUntil(lambda: isinstance(window._dialog, QMessageBox), timeout=WAIT_MS)
    box = window._dialog
    assert box.windowTitle() == "The landmark detector could not start"
    assert "could not start MediaPipe" in box.text() and "MediaPipe is not installed" in box.text()
    assert window.result.notice_title.text() == "Recognition is off" and window.result.notice.isVisible()
    box.close()
    with qtbot.waitSignal(window.session.picture, timeout=WAIT_MS):
        window.start(None)
    qtbot.waitUntil(lambda: window.state == SourceState.PLAYING, timeout=WAIT_MS)
    assert window.view.has_image() and window.view.hint != STARTING_TRACKER  # not waiting for what never comes
    assert window.session.frames_analysed == 0


def test_a_video_still_ends_when_the_landmark_detector_cannot_start(qtbot, make_window, fake_video):
    window = make_window(extractor_factory=_no_mediapipe)
    qtbot.waitUntil(lambda: window.session.is_analysing, timeout=WAIT_MS)  # (it failed: nothing to wait for)
    window.open_file(fake_video)  # 1.7 s long
    qtbot.waitUntil(lambda: window.state == SourceState.ENDED, timeout=5000)
    assert window.view.badge == VIDEO_ENDED


def python_threads() -> set[str]:
    """Threads started by Python. A QThread that ran Python code leaves a "dummy" entry in
    ``threading`` for good (``threading.current_thread()`` made it); QThreads are checked apart."""
    return {t.name for t in threading.enumerate() if not isinstance(t, threading._DummyThread)}


def test_closing_releases_the_camera_and_joins_every_thread_within_a_second(qtbot, make_window, camera_device,
                                                                            qtlog):
    before = python_threads()
    window = make_window(catalog=FakeCatalog(camera_device))
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        window.start(None)
    assert all(t.isRunning() for t in window.threads())
    t0 = time.monotonic()
    window.close()
    assert time.monotonic() - t0 < 1.0
    assert [t.objectName() for t in window.threads() if not t.isFinished()] == []
    assert camera_device.closed == camera_device.opened == 1
    assert python_threads() <= before
    assert not [r for r in qtlog.records if "Destroyed while thread" in r.message]


def test_mirror_overlay_and_picture_toggles_and_shortcuts(qtbot, make_window):
    window = make_window()
    assert window.view.mirror is True and window.view.overlay is True
    window.acts.mirror.trigger()
    window.acts.overlay.trigger()
    window.acts.picture.trigger()
    assert (window.view.mirror, window.settings.mirror) == (False, False)
    assert (window.view.overlay, window.settings.overlay) == (False, False)
    assert (window.view.picture, window.settings.picture) == (False, False)
    keys = {a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()}
    assert {"Space", "M", "L", "P", "V", "R", "Ctrl+O", "Ctrl+M", "F11", "F1", "Ctrl+F", "F5", "Ctrl+Up"} <= keys
    assert len(keys) == len([a for a in window.actions() if not a.shortcut().isEmpty()])  # no clashes


def test_pause_and_resume_a_video(qtbot, make_window, fake_video):
    window = make_window(settings=Settings(threshold=0.0, speed=0.5))
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        window.open_file(fake_video)
    window.acts.pause.trigger()
    assert window.view.badge == "Paused"
    time.sleep(0.3)
    qtbot.wait(50)
    frozen = window.figures.camera_rate._samples[-1][1]
    qtbot.wait(500)
    assert window.figures.camera_rate._samples[-1][1] == frozen  # no new frames while paused
    assert window.state == SourceState.PLAYING
    with qtbot.waitSignal(window.stream_finished, timeout=WAIT_MS):
        window.acts.pause.trigger()
    assert window.state == SourceState.ENDED


def test_settings_persist_between_runs(qtbot, make_window):
    from signdesk.gui.settings import open_settings

    window = make_window(settings=Settings(), store=open_settings())
    window.result.slider.setValue(72)
    window.acts.mirror.trigger()
    window.set_stride(2)
    window.set_resolution("640x480")
    window.zoom_text(1.15)
    window.close()
    again = Settings.load(open_settings())
    assert (again.threshold, again.mirror, again.stride, again.resolution) == (0.72, False, 2, "640x480")
    assert again.text_zoom == pytest.approx(1.15)
    second = make_window(settings=again)
    assert second.result.slider.value() == 72 and not second.view.mirror
    assert second.menus.stride_group.checkedAction().data() == 2


def test_layout_fits_a_laptop_and_grows_on_a_projector(qtbot, make_window):
    window = make_window()
    sizes = {}
    for w, h in ((1280, 720), (1920, 1080)):
        window.resize(w, h)
        qtbot.waitUntil(lambda: window.width() == w)
        qtbot.wait(50)
        panel = window.result
        assert panel.minimumSizeHint().height() <= panel.height()  # nothing squeezed or cut off
        assert window.view.width() > panel.width()  # the picture stays the larger part
        sizes[w] = panel.sign.font().pointSizeF()
    assert sizes[1920] > 1.3 * sizes[1280]  # big, readable type on a projector


def test_two_holistic_graphs_on_alternate_frames_give_the_same_sign(qtbot, make_window, fake_video):
    window = make_window(settings=Settings(threshold=0.0, every_frame=True), graphs=2)
    shown = _play_to_end(qtbot, window, fake_video)
    assert window.session.processing.graphs == 2
    assert window.state == SourceState.ENDED
    assert len(shown) == 1 and window.session.frames_analysed == FAKE_VIDEO_FRAMES


def test_a_camera_sending_odd_pictures_keeps_the_window_running(qtbot, make_window):
    """Grey, BGRA and 16-bit pictures are converted; an empty one is skipped and said so."""
    from gui.fakes import FakeCameraDevice

    frames = [np.zeros((48, 64), np.uint8), np.zeros((48, 64, 4), np.uint8),
              np.full((48, 64, 3), 30000, np.uint16), np.zeros((0, 0, 3), np.uint8),
              np.zeros((37, 51, 3), np.uint8)]
    device = FakeCameraDevice(frames=frames)
    window = make_window(catalog=FakeCatalog(device))
    messages: list[str] = []
    window.session.frame_error.connect(messages.append)
    window.start(None)
    qtbot.waitUntil(lambda: window.session.frames_analysed >= 12, timeout=20000)
    assert window.state == SourceState.PLAYING
    assert window.view.has_image()
    assert any("skipped" in m and "expected a picture" in m for m in messages), messages
