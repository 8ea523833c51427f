"""The headless pipeline: live predictions every k frames while signing, one result per attempt."""

from __future__ import annotations

import numpy as np
import pytest

from signdesk.landmarks import (
    LEFT_HAND_ROWS,
    N_CHANNELS,
    N_LANDMARKS,
    RIGHT_HAND_ROWS,
    LandmarkExtractor,
    normalize,
)
from signdesk.pipeline import Pipeline
from signdesk.recognizer import Recognizer
from signdesk.windowing import to_window


def _rest_then_sign(karsl_features: np.ndarray, idle: int = 10) -> np.ndarray:
    rest = np.repeat(karsl_features[:1], idle, axis=0).copy()
    rest[:, RIGHT_HAND_ROWS] = 0
    rest[:, LEFT_HAND_ROWS] = 0
    return np.concatenate([rest, karsl_features, rest])


@pytest.mark.parametrize("stride", [1, 4, 7])
def test_live_predictions_every_k_frames_only_while_signing(fixture_model, karsl_features, stride):
    pipeline = Pipeline(Recognizer(fixture_model), stride=stride)
    stream = _rest_then_sign(karsl_features)
    frames, finals = [], []
    for i, raw in enumerate(stream):
        frame, final = pipeline.process_landmarks(i, i / 30, raw)
        frames.append(frame)
        if final:
            finals.append(final)
    live_at = [f.index for f in frames if f.live is not None]
    assert live_at, "predictions were made while the hand was up"
    assert all(frames[i].signing for i in live_at)
    assert not any(f.live for f in frames[:10]), "nothing is predicted while nobody signs"
    signing = [f.index for f in frames if f.signing]
    # the window counts frames from the attempt's first frame (10); a prediction every `stride` frames
    assert signing[0] == 11, "the attempt opens on the second hand-up frame"
    assert live_at == [i for i in signing if (i - 10 + 1) % stride == 0]
    assert len(finals) == 1
    final = finals[0]
    assert (final.attempt.start_frame, final.attempt.end_frame) == (10, 10 + len(karsl_features) - 1)
    expected = Recognizer(fixture_model).predict(to_window(normalize(karsl_features)))
    assert [l.name for l, _ in final.prediction.top] == [l.name for l, _ in expected.top]
    np.testing.assert_allclose([p for _, p in final.prediction.top], [p for _, p in expected.top], rtol=1e-4)
    assert {"normalize", "window"} <= set(frames[0].timings)


def test_live_window_matches_the_attempt_so_far(fixture_model, karsl_features):
    pipeline = Pipeline(Recognizer(fixture_model), stride=5)
    stream = _rest_then_sign(karsl_features)
    rec = Recognizer(fixture_model)
    for i, raw in enumerate(stream):
        frame, _ = pipeline.process_landmarks(i, i / 30, raw)
        if frame.live is not None:
            so_far = normalize(stream[10 : i + 1])
            want = rec.predict(to_window(so_far))
            assert frame.live.top[0][0] == want.top[0][0]
            assert frame.live.top[0][1] == pytest.approx(want.top[0][1], rel=1e-4)


def test_finish_closes_an_open_attempt_and_reset_forgets_it(fixture_model, karsl_features):
    pipeline = Pipeline(Recognizer(fixture_model))
    for i, raw in enumerate(karsl_features):
        pipeline.process_landmarks(i, i / 30, raw)
    final = pipeline.finish()
    assert final is not None and final.attempt.end_frame == len(karsl_features) - 1
    for i, raw in enumerate(karsl_features):
        pipeline.process_landmarks(i, i / 30, raw)
    pipeline.reset()
    assert pipeline.finish() is None


def test_process_frame_runs_mediapipe(fixture_model, karsl_clip):
    from signdesk.capture import VideoFile

    with LandmarkExtractor() as extractor, VideoFile(karsl_clip) as video:
        pipeline = Pipeline(Recognizer(fixture_model), extractor, stride=3)
        results = [pipeline.process_frame(f.index, f.time, f.image) for f in video]
    frames = [r[0] for r in results]
    assert all("holistic" in f.timings for f in frames)
    assert any(f.live for f in frames)
    assert frames[-1].detection.right_hand and frames[-1].hand_up


def test_pipeline_without_extractor_refuses_images(fixture_model):
    pipeline = Pipeline(Recognizer(fixture_model))
    with pytest.raises(RuntimeError, match="no landmark extractor"):
        pipeline.process_frame(0, 0.0, np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(ValueError, match="stride"):
        Pipeline(Recognizer(fixture_model), stride=0)


def test_without_a_recognizer_landmarks_and_attempts_still_work(karsl_clip):
    """No model installed: the overlay and the hints still get landmarks and signing state."""
    from signdesk.capture import VideoFile

    with LandmarkExtractor() as extractor, VideoFile(karsl_clip) as video:
        pipeline = Pipeline(None, extractor)
        results = [pipeline.process_frame(f.index, f.time, f.image) for f in video]
        assert pipeline.finish() is None
    frames = [frame for frame, _ in results]
    assert all(final is None for _, final in results), "no model, no final prediction"
    assert all(f.live is None and "inference" not in f.timings for f in frames)
    assert all(f.raw.shape == (N_LANDMARKS, N_CHANNELS) for f in frames)
    assert sum(f.detection.right_hand for f in frames) > 0.9 * len(frames), "the raised right hand is found"
    assert np.any(frames[-1].raw[RIGHT_HAND_ROWS] != 0)
    hand_up = [f.hand_up for f in frames]
    assert all(hand_up[1:]), "the signer's hand is up throughout the clip"
    assert [f.signing for f in frames][1:] == [True] * (len(frames) - 1), "the attempt is open while the hand is up"


def test_set_recognizer_drops_an_open_attempt(fixture_model, karsl_features):
    pipeline = Pipeline(None)
    half = len(karsl_features) // 2
    for i, raw in enumerate(karsl_features[:half]):
        frame, final = pipeline.process_landmarks(i, i / 30, raw)
    assert frame.signing and final is None
    pipeline.set_recognizer(Recognizer(fixture_model))
    frame, _ = pipeline.process_landmarks(half, half / 30, karsl_features[half])
    assert not frame.signing, "the attempt the new model never saw is gone; a new one starts"
    for i in range(half + 1, len(karsl_features)):
        frame, _ = pipeline.process_landmarks(i, i / 30, karsl_features[i])
    final = pipeline.finish()
    assert final is not None and final.attempt.start_frame == half, "the new model sees only frames after the swap"
    assert final.prediction.best[0].name in {l.name for l in Recognizer(fixture_model).labels}


def test_the_attempt_is_scored_at_the_first_hand_down_frame_and_confirmed_unchanged(karsl_features):
    """The app shows a sign the moment the hands drop; the end rule then confirms the same result."""
    pipeline = Pipeline(Recognizer("karsl-arabic"), stride=5)
    stream = _rest_then_sign(karsl_features)
    sign_end = 10 + len(karsl_features) - 1
    early, finals = [], []
    for i, raw in enumerate(stream):
        frame, final = pipeline.process_landmarks(i, i / 30, raw)
        if frame.early is not None:
            early.append((i, frame.early))
        if final is not None:
            finals.append((i, final))
    assert [i for i, _ in early] == [sign_end + 1], "scored on the first frame after the sign"
    assert [i for i, _ in finals] == [sign_end + 3], "confirmed by the 3-frame end rule"
    (_, first), (_, final) = early[0], finals[0]
    assert final.prediction is first.prediction, "the confirmed result is the one already shown (scored once)"
    assert (final.attempt.start_frame, final.attempt.end_frame) == (10, sign_end)
    expected = Recognizer("karsl-arabic").predict(to_window(normalize(karsl_features)))
    assert [l.id for l, _ in final.prediction.top] == [l.id for l, _ in expected.top]
