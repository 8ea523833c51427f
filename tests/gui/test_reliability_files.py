"""Bad files in the window: a video that breaks off mid-way, a damaged settings file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from signdesk.gui.settings import Settings, open_settings
from signdesk.gui.states import SourceState

WAIT_MS = 20000


def test_a_video_that_breaks_off_mid_way_is_a_state_naming_the_file(qtbot, make_window, tmp_path):
    import cv2

    whole = tmp_path / "lesson.avi"
    writer = cv2.VideoWriter(str(whole), cv2.VideoWriter_fourcc(*"MJPG"), 25, (160, 120))
    for i in range(40):
        writer.write(np.full((120, 160, 3), i * 5, np.uint8))
    writer.release()
    data = whole.read_bytes()
    broken = tmp_path / "broken-lesson.avi"
    broken.write_bytes(data[: len(data) // 2])
    window = make_window()
    with qtbot.waitSignal(window.source_failed, timeout=WAIT_MS) as failed:
        window.open_file(broken)
    assert str(broken) in failed.args[0] and "breaks off after frame" in failed.args[0]
    assert window.state == SourceState.FILE_FAILED
    assert "breaks off after frame" in window.state_panel.detail.text()


def test_a_settings_file_of_garbage_gives_safe_values_and_keeps_what_was_readable(isolated_settings):
    """signdesk.ini overwritten with noise after a valid start: the app starts on safe values,
    says in the log what it reset, keeps the readable values and saves normally again."""
    path = Path(open_settings().fileName())
    assert path.is_relative_to(isolated_settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(15)
    with open(path, "wb") as fh:
        fh.write(b"[General]\nmodel=my-class.onnx\nthreshold=nan\ntext_zoom=inf\ncamera=100000000000000000000\n"
                 b"stride=@Variant(\\0\\0\\0\\x7f\\0garbage)\n" + rng.integers(0, 256, 2000, dtype=np.uint8).tobytes())
    s = Settings.load(open_settings())
    assert (s.threshold, s.text_zoom, s.camera, s.stride) == (0.5, 1.0, 0, 5)
    assert s.model == "my-class.onnx", "a readable value is kept"
    assert s.problems[0].startswith("the file is damaged")
    assert {p.split(":")[0] for p in s.problems[1:]} >= {"threshold", "text_zoom", "camera", "stride"}
    s.threshold = 0.8
    s.save(open_settings())
    again = Settings.load(open_settings())
    assert again.model == "my-class.onnx" and abs(again.threshold - 0.8) < 1e-6 and again.problems == []


def test_the_window_says_which_settings_were_reset(qtbot, make_window):
    from signdesk.gui.app import report_settings_problems

    settings = Settings(problems=["the file is damaged; what could be read is kept",
                                  "threshold: nan is not possible, default used"])
    window = make_window(settings=settings)
    box = report_settings_problems(window, settings, "/home/me/.config/signdesk/signdesk.ini")
    assert box is not None and box.isVisible()
    assert "signdesk.ini" in box.text() and "threshold: nan" in box.text() and "defaults" in box.text()
    box.close()
    assert report_settings_problems(window, Settings(), "x.ini") is None
