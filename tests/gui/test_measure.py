"""``signdesk bench --ui``: the real window measured on a real-time video of real clips."""

from __future__ import annotations

from gui.conftest import real_recognizer
from signdesk.gui.measure import measure_window
from signdesk.tools.bench import load_frames, signing_stream, write_video


def test_measure_window_reports_rates_and_on_screen_delay(qtbot, tmp_path, real_model, karsl_train_clips):
    clips, _ = load_frames(karsl_train_clips[:2], (320, 240))
    frames, ends = signing_stream(clips, rest_frames=15)
    video = write_video(frames, tmp_path / "two_signs.avi", fps=10.0)  # slow enough to survive a busy CI machine
    report = measure_window(video, real_recognizer(real_model), stride=5, size=(1280, 720))
    assert report["frames_analysed"] + report["frames_skipped"] == len(frames)
    assert 0 < report["fps_analysed"] <= 31
    assert report["attempts_shown"] == len(ends)
    delays = report["hands_down_to_screen_ms"]
    assert len(delays) == 2 and all(0 < d < 5000 for d in delays)
    assert report["paints"] > 0 and 0 < report["paint_interval_p95_ms"] < 5000
    assert report["holistic_graphs"] >= 1


def test_the_window_run_measures_the_app_in_a_process_of_its_own(tmp_path, karsl_train_clips):
    """``bench --ui`` runs ``python -m signdesk.gui.measure`` so the peak memory is the app's alone."""
    from signdesk.tools.realtime import window_run

    clips, _ = load_frames(karsl_train_clips[:1], (320, 240))
    frames, ends = signing_stream(clips, rest_frames=10)
    video = write_video(frames, tmp_path / "one_sign.avi", fps=10.0)
    report = window_run(video, "karsl-arabic", stride=5, threads=1, graphs=1)
    assert report["holistic_graphs"] == 1
    assert report["attempts_shown"] == len(ends)
    assert 100 < report["peak_rss_mb"] < 4000, "VmHWM of the measured process, in MB"
    assert report["frames_analysed"] + report["frames_skipped"] == len(frames)
