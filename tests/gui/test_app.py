"""``signdesk`` as a user starts it: screenshot mode, Ctrl+C, model errors at start-up."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gui.conftest import REAL_MODEL
from signdesk.gui.app import load_recognizer, run_app
from signdesk.recognizer import ModelError, bundled_models


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"), **extra)
    env.pop("SIGNDESK_MODEL", None)
    return env


def _signdesk(*args: str, env: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "signdesk", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_screenshot_of_the_real_window_on_a_video(tmp_path, long_clip):
    from PySide6.QtGui import QImage

    out = tmp_path / "window.png"
    proc = _signdesk("--model", REAL_MODEL, "--source", str(long_clip), "--screenshot", str(out),
                     env=_env(tmp_path, SIGNDESK_GEOMETRY="1280x720"))
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)
    assert "saved 1280×720 screenshot" in proc.stderr
    assert "QThread: Destroyed" not in proc.stderr
    assert not list(tmp_path.glob(".window.png.*"))  # no temporary file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # an ordinary file, not a private temp file


def test_screenshot_of_an_unreadable_video_fails_with_one_line(tmp_path):
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(b"not a video")
    out = tmp_path / "window.png"
    proc = _signdesk("--model", REAL_MODEL, "--source", str(bad), "--screenshot", str(out),
                     env=_env(tmp_path))
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("signdesk: error:")]
    assert len(errors) == 1 and str(bad) in errors[0]
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_ctrl_c_closes_the_window_cleanly(tmp_path, long_clip):
    proc = subprocess.Popen([sys.executable, "-m", "signdesk", "--model", REAL_MODEL, "--source",
                             str(long_clip)], env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        time.sleep(6)  # window up, MediaPipe started, video playing or ended
        assert proc.poll() is None, proc.communicate()[1]
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=20)
        elapsed = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert "signdesk: interrupted" in stderr
    assert "Traceback" not in stderr and "QThread: Destroyed" not in stderr
    assert elapsed < 5.0  # threads joined within a second; the rest is interpreter shutdown


def _args(tmp_path: Path, **kw) -> argparse.Namespace:
    base = dict(source=None, screenshot=None, model=None, provider="cpu", verbose=False)
    base.update(kw)
    return argparse.Namespace(**base)


@pytest.mark.parametrize("name, message", [
    ("shot.jpg", "must be a .png file"),
    ("missing-folder/shot.png", "does not exist"),
])
def test_bad_screenshot_path_is_one_line_and_exit_2(tmp_path, capsys, name, message):
    code = run_app(_args(tmp_path, screenshot=tmp_path / name))
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and message in err[0]


def test_model_errors_at_start_up(tmp_path, real_model):
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"garbage")
    (tmp_path / "labels.json").write_text('{"labels": ["a"]}', encoding="utf-8")
    recognizer, notice, error = load_recognizer(str(broken), "", "cpu", strict=False)
    assert recognizer is None and str(broken) in error and notice == error  # a dialog names the file
    with pytest.raises(ModelError, match="broken.onnx"):
        load_recognizer(str(broken), "", "cpu", strict=True)  # screenshot mode: one line, exit 1
    # A model remembered from last time that is gone falls back to the default without a dialog.
    recognizer, notice, error = load_recognizer(None, str(tmp_path / "gone.onnx"), "cpu", strict=False)
    assert error == "" and notice == ""
    assert (recognizer is None) == (not bundled_models())
    recognizer, _, error = load_recognizer(str(real_model.onnx), "", "cpu", strict=True)  # a model by its path
    assert recognizer is not None and error == ""


def test_qt_uses_its_own_plugins_and_says_when_there_is_no_screen(monkeypatch):
    """Importing OpenCV points Qt at OpenCV's Qt 5 plugins; without a display the app says so."""
    import cv2

    from signdesk.gui.app import AppError, prepare_qt_environment

    cv2_plugins = str(Path(cv2.__file__).parent / "qt" / "plugins")
    monkeypatch.setenv("QT_QPA_PLATFORM_PLUGIN_PATH", cv2_plugins)
    monkeypatch.setenv("QT_QPA_FONTDIR", str(Path(cv2.__file__).parent / "qt" / "fonts"))
    for var in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    if sys.platform.startswith("linux"):
        with pytest.raises(AppError, match="no display found"):
            prepare_qt_environment()
        prepare_qt_environment(headless_ok=True)
        assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    else:
        prepare_qt_environment()
    assert "QT_QPA_PLATFORM_PLUGIN_PATH" not in os.environ and "QT_QPA_FONTDIR" not in os.environ
    monkeypatch.setenv("QT_QPA_PLATFORM_PLUGIN_PATH", "/opt/my-qt/plugins")  # a user's own setting stays
    monkeypatch.setenv("DISPLAY", ":0")
    prepare_qt_environment()
    assert os.environ["QT_QPA_PLATFORM_PLUGIN_PATH"] == "/opt/my-qt/plugins"


def test_the_app_without_a_display_fails_with_one_line(tmp_path):
    env = _env(tmp_path)
    for var in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(var, None)
    if not sys.platform.startswith("linux"):
        pytest.skip("the display check is for Linux desktops")
    proc = _signdesk(env=env, timeout=60)
    assert proc.returncode != 0 and "no display found" in proc.stderr and "Traceback" not in proc.stderr
