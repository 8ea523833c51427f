"""Property-based tests of what stands between MediaPipe and the model: normalization, the window,
the hand-up rule and attempt segmentation, and the recognizer's input checks.

tests/test_bad_input.py already shows that ``normalize`` never returns a non-finite value, that
``to_window``/``SlidingWindow`` give the model's shape and that attempts are ordered; here the
properties go further: the live window equals the offline one, normalization ignores where and
how big the signer is, odd landmarks never break the hand-up rule or the pipeline, and the
recognizer either answers with probabilities or refuses with a ValueError, for any input.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from fakes import signer_landmarks
from signdesk.landmarks import (
    FEATURE_DIM,
    LEFT_HAND_ROWS,
    N_CHANNELS,
    N_LANDMARKS,
    RIGHT_HAND_ROWS,
    VIS,
    WINDOW_LENGTH,
    normalize,
)
from signdesk.pipeline import Pipeline
from signdesk.recognizer import Recognizer
from signdesk.windowing import AttemptSegmenter, SigningDetector, SlidingWindow, to_window

ODD = st.one_of(st.floats(width=32), st.sampled_from([0.0, 0.5, 1.0, -1.0, float("nan"), float("inf"),
                                                      float("-inf"), float(np.float32(3e38)),
                                                      float(np.float32(-3e38)), float(np.float32(1e-30))]))
FRAME = arrays(np.float32, (N_LANDMARKS, N_CHANNELS), elements=ODD)


def signer(k: int, n: int) -> np.ndarray:
    """The synthetic signer mid-sign (step k of n): pose, face and a right hand present."""
    return signer_landmarks("sign", k % n, n)


@pytest.fixture(scope="module")
def model() -> Recognizer:
    return Recognizer("karsl-arabic", threads=1)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3 * WINDOW_LENGTH), st.integers(2, WINDOW_LENGTH + 5), st.integers(0, 2**31))
def test_the_live_window_equals_the_offline_window_of_its_last_frames(n, length, seed):
    """What the model sees live (ring buffer) is what it saw in training (to_window), for any count."""
    frames = np.random.default_rng(seed).normal(size=(n, N_LANDMARKS, N_CHANNELS)).astype(np.float32)
    window = SlidingWindow(length)
    for f in frames:
        window.push(f)
    np.testing.assert_array_equal(window.model_input()[0], to_window(frames[-length:], length))
    window.reset()
    with pytest.raises(ValueError, match="empty"):
        window.model_input()


@settings(max_examples=40, deadline=None)
@given(st.floats(-5, 5), st.floats(-5, 5), st.floats(0.05, 20), st.integers(0, 29))
def test_normalization_ignores_where_the_signer_stands_and_how_big_they_look(dx, dy, scale, step):
    raw = signer(step, 30)
    moved = raw.copy()
    present = raw[:, VIS] > 0
    moved[present, 0] = raw[present, 0] * scale + dx
    moved[present, 1] = raw[present, 1] * scale + dy
    moved[present, 2] = raw[present, 2] * scale
    np.testing.assert_allclose(normalize(moved), normalize(raw), atol=2e-3, rtol=1e-3)


@pytest.mark.filterwarnings("error")  # no overflow or invalid-value warnings either
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FRAME)
def test_the_hand_up_rule_answers_a_plain_bool_for_any_landmarks(raw):
    up = SigningDetector().hand_up(raw)
    assert up is True or up is False
    hands_broken = [not np.isfinite(raw[rows, :2]).all() or not (raw[rows, VIS] > 0).any()
                    for rows in (RIGHT_HAND_ROWS, LEFT_HAND_ROWS)]
    if all(hands_broken):
        assert up is False, "a hand holding NaN or infinity is no hand"


@settings(max_examples=20, deadline=None)
@given(st.sampled_from([np.nan, np.inf, -np.inf]), st.integers(0, 20))
def test_a_hand_with_a_broken_point_is_not_up_even_without_shoulders(value, point):
    raw = signer(10, 30)
    assert SigningDetector().hand_up(raw)
    raw[:6] = 0  # no shoulders: any detected hand would count
    raw[RIGHT_HAND_ROWS.start + point, 0] = value
    assert not SigningDetector().hand_up(raw)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.booleans(), st.sampled_from(["signer", "nan", "inf", "huge", "zeros"])),
                min_size=1, max_size=120))
def test_attempts_cut_from_odd_landmarks_hold_only_finite_frames(steps):
    segmenter = AttemptSegmenter()
    attempts = []
    for i, (up, kind) in enumerate(steps):
        raw = signer(i, 30)
        if kind == "nan":
            raw[N_LANDMARKS // 2:, 0] = np.nan
        elif kind == "inf":
            raw[:5, 1] = np.inf
        elif kind == "huge":
            raw[:, :3] *= np.float32(1e37)
        elif kind == "zeros":
            raw[:] = 0
        attempt = segmenter.push(i, i / 30, normalize(raw), up)
        attempts += [attempt] if attempt is not None else []
    last = segmenter.finish()
    for attempt in attempts + ([last] if last else []):
        assert np.isfinite(attempt.frames).all() and attempt.frames.shape[1:] == (N_LANDMARKS, N_CHANNELS)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.lists(st.one_of(FRAME.map(lambda f: ("odd", f)), st.integers(0, 29).map(lambda k: ("signer", k))),
                min_size=1, max_size=60))
def test_the_pipeline_survives_any_landmarks_and_answers_only_finite_probabilities(model, frames):
    """MediaPipe handing back anything at all: no exception, and every prediction is a distribution."""
    pipeline = Pipeline(model, stride=3)
    predictions = []
    for i, (kind, value) in enumerate(frames):
        raw = value if kind == "odd" else signer(value, 30)
        frame, attempt = pipeline.process_landmarks(i, i / 30, raw)
        predictions += [p for p in (frame.live, attempt.prediction if attempt else None) if p is not None]
    final = pipeline.finish()
    if final is not None:
        predictions.append(final.prediction)
    for prediction in predictions:
        probs = np.array([p for _, p in prediction.top])
        assert np.isfinite(probs).all() and (probs >= 0).all() and probs.sum() <= 1 + 1e-5
        assert np.isfinite(prediction.embedding).all()


SHAPES = st.one_of(
    array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
    st.sampled_from([(WINDOW_LENGTH, FEATURE_DIM), (1, WINDOW_LENGTH, FEATURE_DIM), (2, WINDOW_LENGTH, FEATURE_DIM),
                     (WINDOW_LENGTH - 1, FEATURE_DIM), (1, WINDOW_LENGTH, FEATURE_DIM + 1), (0, WINDOW_LENGTH,
                                                                                            FEATURE_DIM)]))
DTYPES = st.sampled_from([np.float32, np.float64, np.float16, np.int64, np.uint8, np.bool_])


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.data(), SHAPES, DTYPES)
def test_the_recognizer_answers_or_refuses_with_a_value_error_for_any_input(model, data, shape, dtype):
    if np.dtype(dtype).kind == "f":
        elements = st.one_of(st.floats(width=16), st.sampled_from([0.0, 1.0, float("nan"), float("inf")]))
    else:
        elements = None
    windows = data.draw(arrays(dtype, shape, elements=elements))
    try:
        probs, embedding = model.run(windows)
    except ValueError as exc:
        assert "expected windows of shape" in str(exc) or "NaN or infinite" in str(exc)
        return
    assume(probs.size)
    assert probs.shape == (max(1, windows.shape[0]) if windows.ndim == 3 else 1, len(model.labels))
    assert np.isfinite(probs).all() and np.allclose(probs.sum(axis=1), 1, atol=1e-4)
    assert np.isfinite(embedding).all()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(-5, 10_000))
def test_any_top_k_gives_between_one_and_all_labels(model, top_k):
    prediction = model.predict(np.zeros((WINDOW_LENGTH, FEATURE_DIM), np.float32), top_k=top_k)
    assert 1 <= len(prediction.top) <= len(model.labels)
    assert len(prediction.top) == max(1, min(top_k, len(model.labels)))


@pytest.mark.parametrize("junk", [None, "a window", [[1.0, 2.0], [3.0]], {"x": 1}, object()],
                         ids=["none", "text", "ragged", "dict", "object"])
def test_the_recognizer_refuses_what_is_not_an_array(model, junk):
    with pytest.raises((ValueError, TypeError)):
        model.run(junk)


def test_a_float32_near_its_limit_is_dropped_with_its_part_and_never_reaches_the_model(model):
    """Found by the fuzzer above: a finite 3e38 in a hand made every probability NaN inside the model."""
    from signdesk.landmarks import MAX_ABS_VALUE

    odd = np.ones((N_LANDMARKS, N_CHANNELS), np.float32)
    odd[LEFT_HAND_ROWS.start + 12, 2] = np.float32(3e38)
    out = normalize(odd)
    assert np.isfinite(out).all() and np.abs(out).max() <= MAX_ABS_VALUE
    assert not out[LEFT_HAND_ROWS].any(), "the part holding the absurd value counts as not detected"
    pipeline = Pipeline(model, stride=3)
    predictions = []
    for i, raw in enumerate([signer(0, 30), signer(0, 30), odd]):
        frame, attempt = pipeline.process_landmarks(i, i / 30, raw)
        predictions += [p for p in (frame.live, attempt.prediction if attempt else None) if p is not None]
    final = pipeline.finish()
    predictions += [final.prediction] if final is not None else []
    assert predictions
    assert all(np.isfinite([p for _, p in pr.top]).all() for pr in predictions)
