"""Clips → landmarks, attempts and takes: ``.npz`` checked as untrusted input, cut as the app cuts.

The ``.npz`` clips here are synthetic (the scripted signer of ``fakes.py``), written to
``tmp_path`` at test time; nothing is added to the repository.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import KARSL_WALEAD, need
from fakes import (
    FakeExtractor,
    FakeRecognizer,
    signer_landmarks,
    synthetic_frames,
    write_video,
)

from signdesk.clips import (
    ClipError,
    cut_attempts,
    read_clip,
    read_landmarks,
    take_from_clip,
)
from signdesk.landmarks import RIGHT_HAND_ROWS
from signdesk.pipeline import Pipeline


def sign_stream(*signs: int, rest: int = 10, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    """Raw (T, 184, 4) landmarks: rest, then for each length in ``signs`` a sign and a rest.

    The right hand rises above the hands-up line for each sign and rests in the lap between
    them; ``noise`` jitters the signing frames so that takes of one sign differ.
    """
    rng = np.random.default_rng(seed)
    frames = [signer_landmarks("rest") for _ in range(rest)]
    for length in signs:
        for k in range(length):
            frame = signer_landmarks("sign", k, length)
            if noise:
                frame[RIGHT_HAND_ROWS, :2] += rng.normal(0, noise, (21, 2)).astype(np.float32)
            frames.append(frame)
        frames.extend(signer_landmarks("rest") for _ in range(rest))
    return np.stack(frames)


def write_clip(path: Path, raw: np.ndarray, fps: float = 25.0, **extra: np.ndarray) -> Path:
    """An ``.npz`` as ``signdesk extract`` writes it (landmarks, times, fps, extractor_version)."""
    from signdesk.landmarks import EXTRACTOR_VERSION

    arrays = {"landmarks": raw.astype(np.float32), "times": np.arange(len(raw)) / fps, "fps": np.float64(fps),
              "extractor_version": np.array(EXTRACTOR_VERSION)}
    arrays.update(extra)
    np.savez(path, **arrays)
    return path


# --- reading ---------------------------------------------------------------------------------


def test_an_extract_npz_is_read_without_mediapipe(tmp_path):
    raw = sign_stream(30)
    path = write_clip(tmp_path / "a.npz", raw, fps=25.0)
    landmarks, fps = read_landmarks(path)
    np.testing.assert_array_equal(landmarks, raw)
    assert landmarks.dtype == np.float32 and fps == 25.0
    clip = read_clip(path)
    assert clip.kind == "npz" and clip.source == "npz:a.npz" and clip.frames == len(raw)
    np.testing.assert_allclose(clip.times, np.arange(len(raw)) / 25.0)


def test_fps_and_times_are_optional(tmp_path):
    raw = sign_stream(20)
    path = tmp_path / "bare.npz"
    np.savez(path, landmarks=raw)
    clip = read_clip(path)
    assert clip.fps == 30.0
    np.testing.assert_allclose(clip.times, np.arange(len(raw)) / 30.0)


def test_a_part_holding_nan_counts_as_not_detected(tmp_path):
    raw = sign_stream(30)
    raw[15, RIGHT_HAND_ROWS.start + 3, 0] = np.nan
    raw[16, 0, 1] = np.inf  # a pose point
    landmarks, _ = read_landmarks(write_clip(tmp_path / "nan.npz", raw))
    assert np.isfinite(landmarks).all()
    assert not landmarks[15, RIGHT_HAND_ROWS].any(), "the broken hand is zeroed, as normalize treats it"
    assert not landmarks[16, :6].any() and landmarks[16, RIGHT_HAND_ROWS].any()


@pytest.mark.parametrize(("make", "needle"), [
    (lambda p: np.savez(p, points=np.zeros((5, 184, 4))), "not written by signdesk extract (no 'landmarks' array)"),
    (lambda p: np.savez(p, landmarks=np.zeros((5, 184, 3))), "shape (5, 184, 3)"),
    (lambda p: np.savez(p, landmarks=np.zeros((0, 184, 4))), "no frames"),
    (lambda p: np.savez(p, landmarks=np.full((5, 184, 4), "x")), "not numbers"),
    (lambda p: np.savez(p, landmarks=np.array([{"a": 1}], dtype=object)), "cannot read"),
    (lambda p: np.savez(p, landmarks=np.zeros((5, 184, 4)), fps=np.float64(0)), "frame rate"),
    (lambda p: np.savez(p, landmarks=np.zeros((5, 184, 4)), fps=np.zeros(3)), "'fps' is not one number"),
    (lambda p: np.savez(p, landmarks=np.zeros((5, 184, 4)), times=np.zeros(4)), "'times' has shape"),
    (lambda p: np.savez(p, landmarks=np.zeros((3, 184, 4)), times=np.array([0.0, 1.0, 0.5])), "increasing"),
    (lambda p: p.write_text("hello, not numpy"), "cannot read as an .npz"),
    (lambda p: p.write_bytes(b"PK\x03\x04 truncated zip"), "cannot read as an .npz"),
], ids=["no-landmarks", "shape", "empty", "strings", "pickled", "fps-zero", "fps-array", "times-shape",
        "times-order", "text", "truncated"])
def test_a_bad_npz_is_one_clear_error(tmp_path, make, needle):
    path = tmp_path / "x.npz"
    make(path)
    with pytest.raises(ClipError, match="^x.npz: ") as info:
        read_clip(path)
    assert needle in str(info.value)


def test_a_renamed_npy_is_refused(tmp_path):
    path = tmp_path / "one.npz"
    with open(path, "wb") as fh:
        np.save(fh, np.zeros((5, 184, 4), np.float32))
    with pytest.raises(ClipError, match="not an .npz archive"):
        read_clip(path)


def test_missing_file_folder_and_unreadable_video(tmp_path):
    with pytest.raises(ClipError, match="gone.npz: no such file"):
        read_clip(tmp_path / "gone.npz")
    with pytest.raises(ClipError, match="is a folder"):
        read_clip(tmp_path)
    fake = tmp_path / "notes.mp4"
    fake.write_text("not a video")
    with pytest.raises(ClipError, match="notes.mp4"):
        read_clip(fake, extractor=FakeExtractor())


# --- attempts --------------------------------------------------------------------------------


def test_attempts_are_cut_exactly_as_the_live_pipeline_cuts_them():
    raw = sign_stream(30, 12, 25)
    attempts = cut_attempts(raw, fps=25.0)
    pipeline, live = Pipeline(FakeRecognizer()), []
    for i, frame in enumerate(raw):
        _, result = pipeline.process_landmarks(i, i / 25.0, frame)
        if result is not None:
            live.append(result.attempt)
    if (last := pipeline.finish()) is not None:
        live.append(last.attempt)
    assert len(attempts) == 3
    assert [(a.start_frame, a.end_frame, a.start_time) for a in attempts] == [
        (a.start_frame, a.end_frame, a.start_time) for a in live]
    for a in attempts:
        np.testing.assert_array_equal(a.raw, raw[a.start_frame:a.end_frame + 1])


def test_no_attempt_while_the_hands_stay_down():
    rest = np.stack([signer_landmarks("rest")] * 40 + [signer_landmarks("nobody")] * 10)
    assert cut_attempts(rest) == []


def test_an_attempt_open_at_the_end_of_the_clip_is_kept():
    raw = sign_stream(30, rest=0)  # hands up from the first frame to the last
    (attempt,) = cut_attempts(raw)
    assert (attempt.start_frame, attempt.end_frame) == (0, len(raw) - 1)


# --- takes -----------------------------------------------------------------------------------


def test_a_take_is_the_longest_attempt_of_the_clip(tmp_path):
    raw = sign_stream(12, 40, 20)
    take = take_from_clip(write_clip(tmp_path / "three.npz", raw, fps=25.0))
    assert take.frames == 40 and take.fps == 25.0 and take.source == "npz:three.npz"
    start = 10 + 12 + 10
    np.testing.assert_array_equal(take.landmarks, raw[start:start + 40])


def test_a_clip_without_a_raised_hand_gives_no_take(tmp_path):
    rest = np.stack([signer_landmarks("rest")] * 30)
    with pytest.raises(ClipError, match="still.npz: no sign found"):
        take_from_clip(write_clip(tmp_path / "still.npz", rest))


def test_a_take_from_a_video_with_the_given_extractor(tmp_path):
    """The video path, with a scripted extractor in place of MediaPipe (reset first: a new clip)."""
    video = write_video(tmp_path / "clip.avi", synthetic_frames(50), fps=25.0)
    extractor = FakeExtractor([("rest", 10), ("sign", 30), ("rest", 10)], loop=False)
    extractor.process(synthetic_frames(1)[0])  # tracking state from an earlier clip
    take = take_from_clip(video, extractor)
    assert extractor.resets == 1 and not extractor.closed, "reused, not closed: the caller owns it"
    assert take.source == "video:clip.avi" and take.fps == 25.0 and take.frames == 30


def test_a_take_from_a_real_video():
    clip = min(need(KARSL_WALEAD / "01-test-mp4s").glob("*_0071_*.mp4"))
    take = take_from_clip(clip)
    assert take.source == f"video:{clip.name}"
    assert take.landmarks.shape[1:] == (184, 4) and take.frames >= 6
    assert np.isfinite(take.landmarks).all()
