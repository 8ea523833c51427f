"""Bad pictures and bad landmarks: no crash, and nothing non-finite ever reaches the model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from signdesk.landmarks import (
    FEATURE_DIM,
    N_CHANNELS,
    N_LANDMARKS,
    PARTS,
    RIGHT_HAND_ROWS,
    WINDOW_LENGTH,
    ExtractorError,
    LandmarkExtractor,
    as_bgr,
    normalize,
)
from signdesk.pipeline import Pipeline
from signdesk.recognizer import Recognizer
from signdesk.windowing import AttemptSegmenter, SlidingWindow, to_window

ODD_VALUES = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=32),
                       st.sampled_from([0.0, 0.5, float(np.float32(-1e30)), float(np.float32(3e38)), float("nan"), float("inf")]))


@pytest.mark.parametrize("frame", [
    np.zeros((48, 64), np.uint8),  # grey
    np.zeros((48, 64, 1), np.uint8),
    np.zeros((48, 64, 4), np.uint8),  # BGRA
    np.full((48, 64, 3), 40000, np.uint16),  # 16-bit
    np.full((48, 64, 3), 0.5, np.float32),
    np.zeros((1, 1, 3), np.uint8),
    np.zeros((37, 111, 3), np.uint8),  # odd size
], ids=["grey", "grey1", "bgra", "16bit", "float", "1x1", "odd"])
def test_any_camera_picture_becomes_bgr(frame):
    out = as_bgr(frame)
    assert out.dtype == np.uint8 and out.ndim == 3 and out.shape[2] == 3 and out.shape[:2] == frame.shape[:2]


@pytest.mark.parametrize("frame, words", [
    (None, "expected a picture"),
    (np.zeros((0, 0, 3), np.uint8), "expected a picture"),
    (np.zeros((4, 4, 2), np.uint8), "colour channels"),
    (np.zeros((4, 4, 3), np.int32), "8-bit, 16-bit or float"),
    (np.zeros((2, 2, 2, 3), np.uint8), "expected a picture"),
])
def test_a_picture_that_cannot_be_read_is_a_clear_error(frame, words):
    with pytest.raises(ExtractorError, match=words):
        as_bgr(frame)


def test_mediapipe_takes_odd_pictures_and_a_size_that_changes_mid_stream():
    frames = [np.zeros((1, 1, 3), np.uint8), np.zeros((480, 640), np.uint8), np.zeros((479, 641, 4), np.uint8),
              np.full((240, 320, 3), 30000, np.uint16), np.zeros((720, 1280, 3), np.uint8),
              np.zeros((1000, 7, 3), np.uint8)]
    with LandmarkExtractor() as extractor:
        for frame in frames:
            raw = extractor.process(frame)
            assert raw.shape == (N_LANDMARKS, N_CHANNELS) and np.isfinite(raw).all()
        with pytest.raises(ExtractorError):
            extractor.process(np.zeros((0, 5, 3), np.uint8))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrays(np.float32, (3, N_LANDMARKS, N_CHANNELS), elements=ODD_VALUES))
def test_normalize_never_returns_a_non_finite_value(frames):
    out = normalize(frames)
    assert out.shape == frames.shape and np.isfinite(out).all()
    for rows in PARTS.values():  # a part that held NaN or infinity is treated as not detected
        broken = ~np.isfinite(frames[:, rows]).all(axis=(1, 2))
        assert not out[broken][:, rows].any()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 400), st.integers(1, WINDOW_LENGTH * 2))
def test_to_window_and_the_sliding_window_always_give_the_model_shape(n, length):
    frames = np.random.default_rng(n).normal(size=(n, N_LANDMARKS, N_CHANNELS)).astype(np.float32)
    assert to_window(frames, length).shape == (length, FEATURE_DIM)
    window = SlidingWindow(length)
    for f in frames[: length + 3]:
        window.push(f)
    assert window.model_input().shape == (1, length, FEATURE_DIM)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), max_size=300), st.integers(1, 4), st.integers(1, 5), st.integers(1, 12),
       st.integers(6, 60))
def test_attempts_are_ordered_disjoint_and_within_bounds(ups, start, end, min_frames, max_frames):
    segmenter = AttemptSegmenter(start_frames=start, end_frames=end, min_frames=min_frames, max_frames=max_frames)
    frame = np.zeros((N_LANDMARKS, N_CHANNELS), np.float32)
    attempts = []
    for i, up in enumerate(ups):
        early = segmenter.closing()
        attempt = segmenter.push(i, i / 30, frame, up)
        assert early is None or early.end_frame < i
        if attempt is not None:
            attempts.append(attempt)
    last = segmenter.finish()
    attempts += [last] if last else []
    for a in attempts:
        assert min_frames <= len(a.frames) <= max_frames and a.start_frame <= a.end_frame
        assert ups[a.end_frame], "an attempt ends on a hand-up frame"
    for a, b in zip(attempts, attempts[1:]):
        assert a.end_frame < b.start_frame


def test_nan_landmarks_never_reach_the_model(karsl_features):
    """MediaPipe handing back NaN or infinity for a hand: the sign is still recognized, no crash."""
    pipeline = Pipeline(Recognizer("karsl-arabic"), stride=1)
    stream = karsl_features.copy()
    stream[5, RIGHT_HAND_ROWS, 0] = np.nan
    stream[9, RIGHT_HAND_ROWS, 1] = np.inf
    stream[12, 0, 0] = -np.inf  # a shoulder
    lives = []
    for i, raw in enumerate(stream):
        frame, _ = pipeline.process_landmarks(i, i / 30, raw)
        if frame.live is not None:
            lives.append(frame.live)
    final = pipeline.finish()
    assert lives and final is not None
    assert all(np.isfinite([p for _, p in pred.top]).all() for pred in lives + [final.prediction])


def test_the_recognizer_refuses_a_non_finite_window():
    window = np.zeros((WINDOW_LENGTH, FEATURE_DIM), np.float32)
    window[3, 7] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        Recognizer("karsl-arabic").run(window)
