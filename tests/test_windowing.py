"""The 50-frame window, the signing detector and attempt segmentation."""

from __future__ import annotations

import numpy as np
import pytest

from signdesk.landmarks import (
    FEATURE_DIM,
    LEFT_HAND_ROWS,
    N_CHANNELS,
    N_LANDMARKS,
    PARTS,
    RIGHT_HAND_ROWS,
    WINDOW_LENGTH,
    normalize,
)
from signdesk.windowing import Attempt, AttemptSegmenter, SigningDetector, SlidingWindow, to_window


def _frames(n: int) -> np.ndarray:
    """n distinguishable normalized frames: frame i is filled with the value i + 1."""
    return np.stack([np.full((184, 4), i + 1, np.float32) for i in range(n)])


def test_to_window_pads_by_repeating_the_last_frame():
    w = to_window(_frames(7))
    assert w.shape == (WINDOW_LENGTH, FEATURE_DIM) and w.dtype == np.float32
    assert list(w[:, 0]) == [1, 2, 3, 4, 5, 6, 7] + [7] * (WINDOW_LENGTH - 7)


def test_to_window_samples_a_long_clip_evenly():
    w = to_window(_frames(200))
    firsts = w[:, 0]
    assert firsts[0] == 1 and firsts[-1] == 200
    assert np.all(np.diff(firsts) > 0)
    assert np.ptp(np.diff(firsts)) <= 1


def test_to_window_rejects_empty_and_wrong_shapes():
    with pytest.raises(ValueError, match="empty"):
        to_window(np.zeros((0, 184, 4), np.float32))
    with pytest.raises(ValueError, match="184, 4"):
        to_window(np.zeros((5, 736), np.float32))


def test_sliding_window_pads_then_slides_in_time_order():
    win = SlidingWindow()
    frames = _frames(WINDOW_LENGTH + 23)
    win.push(frames[0])
    np.testing.assert_array_equal(win.model_input()[0, :, 0], np.ones(WINDOW_LENGTH))
    for f in frames[1:10]:
        win.push(f)
    x = win.model_input()
    assert x.shape == (1, WINDOW_LENGTH, FEATURE_DIM)
    np.testing.assert_array_equal(x[0], to_window(frames[:10]))
    for f in frames[10:]:
        win.push(f)
    np.testing.assert_array_equal(win.model_input()[0], to_window(frames[-WINDOW_LENGTH:]))
    assert len(win) == WINDOW_LENGTH and win.count == len(frames)


def test_sliding_window_reuses_its_buffers_and_resets():
    win = SlidingWindow()
    win.push(_frames(1)[0])
    first = win.model_input()
    win.push(_frames(2)[1])
    assert win.model_input() is first, "no per-frame allocation of the model input"
    win.reset()
    assert len(win) == 0
    with pytest.raises(ValueError, match="empty"):
        win.model_input()


def test_detector_sees_raised_hands_on_a_real_clip(karsl_features):
    detector = SigningDetector()
    assert all(detector.hand_up(f) for f in karsl_features)


def test_detector_ignores_a_person_with_no_hand_in_view(karsl_features):
    idle = karsl_features.copy()
    idle[:, RIGHT_HAND_ROWS] = 0
    idle[:, LEFT_HAND_ROWS] = 0
    assert not any(SigningDetector().hand_up(f) for f in idle)


def test_detector_ignores_a_hand_resting_low(karsl_features):
    frame = karsl_features[0].copy()
    pose = frame[PARTS["pose"]]
    width = np.hypot(*(pose[0, :2] - pose[1, :2]))
    shoulder_y = (pose[0, 1] + pose[1, 1]) / 2
    frame[LEFT_HAND_ROWS] = 0
    frame[RIGHT_HAND_ROWS, 1] = shoulder_y + 2.5 * width  # in the lap
    assert not SigningDetector().hand_up(frame)


def _stream(karsl_features: np.ndarray, idle: int = 12) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Sitting still (hands out of view), sign, rest, sign again, rest: real frames."""
    rest = np.repeat(karsl_features[:1], idle, axis=0).copy()
    rest[:, RIGHT_HAND_ROWS] = 0
    rest[:, LEFT_HAND_ROWS] = 0
    parts, spans, at = [], [], 0
    for chunk, signing in ((rest, False), (karsl_features, True), (rest, False), (karsl_features[::-1], True), (rest, False)):
        parts.append(chunk)
        if signing:
            spans.append((at, at + len(chunk) - 1))
        at += len(chunk)
    return np.concatenate(parts), spans


def _segment(stream: np.ndarray, segmenter: AttemptSegmenter) -> list:
    detector, attempts = SigningDetector(), []
    norm = normalize(stream)
    for i, (raw, n) in enumerate(zip(stream, norm)):
        attempt = segmenter.push(i, i / 30, n, detector.hand_up(raw))
        if attempt:
            attempts.append(attempt)
    last = segmenter.finish()
    return attempts + ([last] if last else [])


def test_segmenter_finds_each_sign_attempt_in_a_real_stream(karsl_features):
    stream, spans = _stream(karsl_features)
    attempts = _segment(stream, AttemptSegmenter())
    assert [(a.start_frame, a.end_frame) for a in attempts] == spans
    for a, (start, end) in zip(attempts, spans):
        assert a.frames.shape == (end - start + 1, 184, 4)
        np.testing.assert_array_equal(a.frames, normalize(stream[start:end + 1]))
        assert a.start_time == pytest.approx(start / 30) and a.end_time == pytest.approx(end / 30)


def test_segmenter_gives_nothing_while_nobody_signs(karsl_features):
    stream, _ = _stream(karsl_features)
    rest = stream[:12]
    assert _segment(np.concatenate([rest] * 10), AttemptSegmenter()) == []


def test_segmenter_bridges_a_short_detection_dropout(karsl_features):
    stream, spans = _stream(karsl_features)
    start, end = spans[0]
    stream[start + 5, RIGHT_HAND_ROWS] = 0  # MediaPipe lost the hand for one frame
    attempts = _segment(stream, AttemptSegmenter(end_frames=3))
    assert (attempts[0].start_frame, attempts[0].end_frame) == spans[0]
    assert len(attempts) == 2


def test_segmenter_drops_flicker_and_caps_memory(karsl_features):
    stream, _ = _stream(karsl_features)
    rest = stream[:12]
    blip = np.concatenate([rest, karsl_features[:3], rest])
    assert _segment(blip, AttemptSegmenter(min_frames=6)) == []
    long = np.concatenate([karsl_features] * 30)
    attempts = _segment(long, AttemptSegmenter(max_frames=100))
    assert len(attempts) == 1 and len(attempts[0].frames) == 100
    assert attempts[0].end_frame == len(long) - 1


def test_closing_offers_the_attempt_at_its_first_hand_down_frame(karsl_features):
    """The attempt can be scored as soon as the hands drop: the end rule returns the same frames."""
    stream, spans = _stream(karsl_features)
    detector, segmenter = SigningDetector(), AttemptSegmenter(end_frames=3)
    norm = normalize(stream)
    offered, closed = [], []
    for i, (raw, n) in enumerate(zip(stream, norm)):
        attempt = segmenter.push(i, i / 30, n, detector.hand_up(raw))
        early = segmenter.closing()
        if early is not None:
            offered.append((i, early))
        if attempt is not None:
            closed.append((i, attempt))
    assert [i for i, _ in offered] == [end + 1 for _, end in spans], "offered on the first hand-down frame"
    assert [i for i, _ in closed] == [end + 3 for _, end in spans], "confirmed by the 3-frame end rule"
    for (_, early), (_, final) in zip(offered, closed):
        assert (early.start_frame, early.end_frame) == (final.start_frame, final.end_frame)
        np.testing.assert_array_equal(early.frames, final.frames)


def test_closing_is_withdrawn_when_a_hand_comes_back(karsl_features):
    stream, spans = _stream(karsl_features)
    start, end = spans[0]
    stream[start + 10, RIGHT_HAND_ROWS] = 0  # one hand-down frame in the middle of the sign
    detector, segmenter = SigningDetector(), AttemptSegmenter(end_frames=3)
    norm = normalize(stream)
    offers, attempts = [], []
    for i in range(end + 4):
        attempt = segmenter.push(i, i / 30, norm[i], detector.hand_up(stream[i]))
        if segmenter.closing() is not None:
            offers.append(segmenter.closing())
        if attempt is not None:
            attempts.append(attempt)
    assert offers[0].end_frame == start + 9  # scored when the hand dropped out ...
    assert [(a.start_frame, a.end_frame) for a in attempts] == [spans[0]]  # ... but the sign went on
    assert offers[-1].end_frame == end  # and was scored again when it really ended


def test_an_attempts_rate_comes_from_its_frames_and_times():
    frames = np.zeros((31, N_LANDMARKS, N_CHANNELS), np.float32)
    assert Attempt(0, 30, 2.0, 3.0, frames).fps() == pytest.approx(30.0)
    assert Attempt(0, 30, 2.0, 2.5, frames).fps() == pytest.approx(60.0)
    assert Attempt(0, 0, 2.0, 2.0, frames[:1]).fps(25.0) == 25.0  # one frame: cannot tell
    assert Attempt(0, 30, 2.0, 2.0, frames).fps(float("nan")) == 30.0  # no span, no usable fallback
    assert Attempt(0, 30, 0.0, 1e-6, frames).fps() == 240.0  # clamped: never a replay faster than that
