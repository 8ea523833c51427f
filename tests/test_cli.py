"""The headless ``signdesk`` command on real clips: outputs, exit codes and messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest


def signdesk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "signdesk", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("signdesk: error: ")
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture(scope="module")
def two_sign_video(tmp_path_factory, karsl_train_clips) -> tuple[Path, float]:
    """A video made at test time from two real clips with empty frames around them.

    Returns the path and its frame rate. Written to a temporary folder, never to the repo.
    """
    import cv2

    from signdesk.capture import VideoFile

    clips = [p for p in karsl_train_clips if "_0041_" in p.name or "_0052_" in p.name]
    assert len(clips) == 2
    out = tmp_path_factory.mktemp("video") / "two_signs.avi"
    fps = 25.0
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"MJPG"), fps, (256, 256))
    blank = np.full((256, 256, 3), 40, np.uint8)
    for clip in clips:
        for _ in range(15):
            writer.write(blank)
        with VideoFile(clip) as video:
            for frame in video:
                writer.write(frame.image)
    for _ in range(15):
        writer.write(blank)
    writer.release()
    return out, fps


def test_help_lists_the_commands():
    proc = signdesk("--help")
    assert proc.returncode == 0
    for command in ("recognize", "extract", "models"):
        assert command in proc.stdout


def test_extract_writes_landmarks_and_detection_flags(tmp_path, karsl_clip):
    out = tmp_path / "feats.npz"
    proc = signdesk("extract", str(karsl_clip), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    with np.load(out) as data:
        lm, det = data["landmarks"], data["detected"]
        assert lm.dtype == np.float32 and lm.shape[1:] == (184, 4) and len(lm) >= 10
        assert det.shape == (len(lm), 4) and list(data["detected_parts"]) == ["pose", "face", "right_hand", "left_hand"]
        assert det[:, 2].mean() > 0.9, "the raised right hand is found"
        assert np.all(lm[~det[:, 3]][:, 163:184] == 0), "missing left hand is zeros"
        assert data["times"].shape == (len(lm),)
    assert f"{len(lm)} frames" in proc.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["feats.npz"], "no temporary files left behind"


def test_extract_missing_video(tmp_path):
    proc = signdesk("extract", str(tmp_path / "missing.mp4"), "-o", str(tmp_path / "x.npz"))
    assert_one_line_error(proc, "missing.mp4", "no such file")
    assert not (tmp_path / "x.npz").exists()


def test_extract_unreadable_video(tmp_path):
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is not a video")
    proc = signdesk("extract", str(fake), "-o", str(tmp_path / "x.npz"))
    assert_one_line_error(proc, "notes.mp4")
    assert "video" in proc.stderr


def test_extract_unwritable_output(tmp_path, karsl_clip):
    proc = signdesk("extract", str(karsl_clip), "-o", str(tmp_path / "no" / "such" / "dir" / "x.npz"))
    assert_one_line_error(proc, "cannot write")
    if os.geteuid() != 0:  # root ignores folder permissions
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        proc = signdesk("extract", str(karsl_clip), "-o", str(locked / "x.npz"))
        assert_one_line_error(proc, "cannot write")
        assert not list(locked.iterdir())


def test_extract_refuses_a_non_npz_output(tmp_path, karsl_clip):
    proc = signdesk("extract", str(karsl_clip), "-o", str(tmp_path / "x.csv"))
    assert_one_line_error(proc, ".npz")


def test_recognize_finds_each_attempt_in_a_real_video(two_sign_video, fixture_model):
    video, fps = two_sign_video
    proc = signdesk("recognize", str(video), "--model", str(fixture_model), "--json", "--top-k", "3")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 2, proc.stdout
    first, second = records
    # clip 1 occupies frames 15..(15+n1-1); the blank frames around each clip are not signing
    assert first["start_frame"] == pytest.approx(15, abs=2)
    assert second["start_frame"] > first["end_frame"] + 10
    assert first["start"] == pytest.approx(first["start_frame"] / fps, abs=1e-3)
    for rec in records:
        assert len(rec["top"]) == 3
        probs = [c["probability"] for c in rec["top"]]
        assert probs == sorted(probs, reverse=True)
        assert {"name", "gloss", "id"} <= set(rec["top"][0])


def test_recognize_text_output_and_verbose_costs(two_sign_video, fixture_model):
    video, _ = two_sign_video
    proc = signdesk("recognize", str(video), "--model", str(fixture_model), "--verbose")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("[") and "%" in line for line in lines)
    for stage in ("decode", "holistic", "normalize", "window", "inference", "total"):
        assert any(line.startswith(stage) for line in proc.stderr.splitlines()), stage
    assert "per-frame cost:" in proc.stderr


def test_recognize_whole_clip(karsl_clip, fixture_model):
    proc = signdesk("recognize", str(karsl_clip), "--model", str(fixture_model), "--json", "--whole-clip")
    assert proc.returncode == 0, proc.stderr
    (rec,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert rec["start_frame"] == 0 and len(rec["top"]) == 5


def test_recognize_a_video_without_signing(tmp_path, fixture_model):
    import cv2

    path = tmp_path / "empty_room.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, (160, 120))
    for _ in range(20):
        writer.write(np.full((120, 160, 3), 128, np.uint8))
    writer.release()
    proc = signdesk("recognize", str(path), "--model", str(fixture_model))
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert "no sign attempt found" in proc.stderr


def test_recognize_errors(tmp_path, karsl_clip, fixture_model):
    assert_one_line_error(signdesk("recognize", str(tmp_path / "gone.mp4"), "--model", str(fixture_model)), "gone.mp4")
    assert_one_line_error(signdesk("recognize", str(karsl_clip), "--model", str(tmp_path / "gone.onnx")),
                          "gone.onnx", "not found")
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"\x00garbage")
    (tmp_path / "broken.labels.json").write_text('{"labels": ["a"]}')
    assert_one_line_error(signdesk("recognize", str(karsl_clip), "--model", str(broken)), "broken.onnx", "not a valid ONNX")
    assert_one_line_error(signdesk("recognize", str(karsl_clip), "--model", str(fixture_model), "--top-k", "0"), "--top-k")


def test_models_command_lists_bundled_models():
    proc = signdesk("models", "--json")
    assert proc.returncode == 0
    from signdesk.recognizer import bundled_models

    assert [m["name"] for m in json.loads(proc.stdout)] == [m.name for m in bundled_models()]


def test_train_without_torch_is_one_clear_line(tmp_path):
    """The training extra is optional: without torch, ``signdesk train`` says how to get it."""
    folder = tmp_path / "karsl"
    folder.mkdir()
    (folder / "01_01_0002_(10_11_16_16_25_04)_c.mp4").write_bytes(b"")  # named like KArSL; never read
    code = ("import sys\nsys.modules['torch'] = None  # as if the train extra were not installed\n"
            "from signdesk.cli import main\n"
            f"raise SystemExit(main(['train', {str(folder)!r}, '--name', 'x', '--out', {str(tmp_path / 'run')!r}]))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert_one_line_error(proc, "signdesk train needs PyTorch", ".[train]")
    assert proc.returncode == 1
    assert not (tmp_path / "run").exists(), "nothing is written before the check"


def test_help_of_one_command_shows_its_own_arguments():
    proc = signdesk("evaluate", "--help")
    assert proc.returncode == 0
    assert "DATASET_DIR" in proc.stdout and "--include-training" in proc.stdout
