"""The test doubles of tests/fakes.py keep the promises the GUI tests rely on."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from conftest import FIXTURE_LABELS
from fakes import (
    DEFAULT_SCRIPT,
    EMBEDDING_DIM,
    NOBODY,
    REST,
    SIGN,
    FakeExtractor,
    FakeRecognizer,
    signer_landmarks,
    synthetic_frames,
    write_video,
)
from signdesk.capture import VideoFile
from signdesk.landmarks import FEATURE_DIM, N_CHANNELS, N_LANDMARKS, WINDOW_LENGTH, ExtractorError, normalize
from signdesk.pipeline import Pipeline
from signdesk.recognizer import InferenceError, Label, ModelInfo, Prediction
from signdesk.windowing import SigningDetector, to_window

IMAGE = np.zeros((48, 64, 3), np.uint8)


def test_sign_frames_are_hand_up_and_rest_frames_are_not():
    extractor = FakeExtractor(DEFAULT_SCRIPT, loop=False)
    detector = SigningDetector()
    ups = {REST: set(), SIGN: set(), NOBODY: set()}
    for step in range(len(extractor)):
        raw = extractor.process(IMAGE)
        ups[extractor.step_at(step)[0]].add(detector.hand_up(raw))
    assert ups == {REST: {False}, SIGN: {True}, NOBODY: set()}
    assert detector.hand_up(signer_landmarks(NOBODY)) is False
    rest = signer_landmarks(REST)
    assert rest[142:163, 3].all()  # the resting hand is detected: it is down, not missing


def test_the_signer_has_a_body_a_face_and_a_moving_hand():
    frames = np.stack([signer_landmarks(SIGN, k, 30) for k in range(30)])
    assert frames.shape == (30, N_LANDMARKS, N_CHANNELS) and frames.dtype == np.float32
    norm = normalize(frames)
    assert np.isfinite(norm).all()
    assert np.abs(norm[:, 6:142, :2]).max() > 1  # the face has a real scale (eyes apart)
    assert (norm[:, 142:163, :2] != 0).any(axis=(1, 2)).all()  # the hand survives normalization
    wrists = frames[:, 142, :2]
    assert len({tuple(np.round(w, 4)) for w in wrists}) >= 28  # the hand moves from frame to frame
    assert not np.allclose(to_window(norm[:15]), to_window(norm[15:]))  # different windows differ
    assert ((0 <= frames[..., :2]) & (frames[..., :2] <= 1)).all()  # inside the picture


def test_the_script_loops_or_holds_and_reset_restarts_it():
    looped = FakeExtractor([(REST, 2), (SIGN, 3)], loop=True)
    phases = [looped.step_at(i)[0] for i in range(7)]
    assert phases == [REST, REST, SIGN, SIGN, SIGN, REST, REST]
    held = FakeExtractor([(REST, 2), (SIGN, 3)], loop=False)
    assert [held.step_at(i)[0] for i in range(7)] == [REST, REST, SIGN, SIGN, SIGN, SIGN, SIGN]
    first = [looped.process(IMAGE).copy() for _ in range(4)]
    looped.reset()
    again = looped.process(IMAGE)
    np.testing.assert_array_equal(again, first[0])
    assert (looped.calls, looped.resets, looped.phase) == (5, 1, REST)
    out = np.full((N_LANDMARKS, N_CHANNELS), 7.0, np.float32)
    assert looped.process(IMAGE, out=out) is out and (out != 7.0).all(axis=1).any()  # written in place
    with pytest.raises(ValueError, match="unknown phase"):
        FakeExtractor([("dance", 3)])
    with pytest.raises(ValueError, match="at least one frame"):
        FakeExtractor([(SIGN, 0)])


@pytest.mark.parametrize("image", [None, np.zeros((48, 64, 2), np.uint8), np.zeros((0, 5, 3), np.uint8), "frame"])
def test_the_extractor_refuses_what_is_not_a_picture(image):
    extractor = FakeExtractor()
    with pytest.raises(ExtractorError, match="expected a picture|colour channels"):
        extractor.process(image)
    assert extractor.calls == 0


def test_a_closed_extractor_and_injected_errors_raise():
    extractor = FakeExtractor(errors={1: RuntimeError("boom")})
    extractor.process(IMAGE)
    with pytest.raises(RuntimeError, match="boom"):
        extractor.process(IMAGE)
    extractor.process(IMAGE)  # the next frame is fine
    with extractor:
        pass
    assert extractor.closed
    with pytest.raises(ExtractorError, match="closed"):
        extractor.process(IMAGE)


def test_graphs_on_alternate_frames_play_the_script_in_frame_order():
    """As the app runs it: n graphs from one factory, frame k on graph k mod n, in parallel threads."""
    for n in (1, 2, 3):
        fake = FakeExtractor()
        graphs = [fake() for _ in range(n)]
        pools = [ThreadPoolExecutor(1) for _ in range(n)]
        try:
            for graph, pool in zip(graphs, pools):  # warm up, then a clip boundary
                pool.submit(graph.process, IMAGE).result()
                pool.submit(graph.reset).result()
            futures = [pools[k % n].submit(graphs[k % n].process, IMAGE) for k in range(2 * len(fake))]
            for k, future in enumerate(futures):
                np.testing.assert_array_equal(future.result(), fake.landmarks_at(k), err_msg=f"{n} graphs, frame {k}")
        finally:
            for pool in pools:
                pool.shutdown()
        assert not fake.closed
        for graph in graphs:
            graph.close()
        assert fake.closed and fake.calls == n + 2 * len(fake)


def test_with_the_real_pipeline_each_loop_of_the_script_is_one_attempt():
    pipeline = Pipeline(FakeRecognizer(), FakeExtractor(), stride=5)
    attempts, live = [], 0
    for i in range(2 * 55):
        frame, attempt = pipeline.process_frame(i, i / 30, IMAGE)
        live += frame.live is not None
        if attempt is not None:
            attempts.append(attempt)
    assert [(a.attempt.start_frame, a.attempt.end_frame) for a in attempts] == [(10, 39), (65, 94)]
    assert live == 12  # every 5 frames of each 30-frame sign
    np.testing.assert_allclose(attempts[0].prediction.embedding, attempts[1].prediction.embedding, atol=1e-6)


def test_the_fake_model_looks_like_a_recognizer():
    model = FakeRecognizer()
    assert model.labels == [Label(e["name"], e["gloss"], e["id"]) for e in FIXTURE_LABELS]
    assert isinstance(model.info, ModelInfo) and model.info.card is None
    assert not model.info.onnx.exists() and model.info.labels.name == "labels.json"
    assert model.name == "fixture-fake" == model.meta["model"] and model.meta["language"] == "test"
    assert model.embedding_dim == EMBEDDING_DIM == 384


def test_the_fake_model_is_deterministic_and_tells_windows_apart():
    frames = normalize(np.stack([signer_landmarks(SIGN, k, 30) for k in range(30)]))
    a, b = to_window(frames[:10]), to_window(frames[20:])
    probs, embeddings = FakeRecognizer().run(np.stack([a, b]))
    assert probs.shape == (2, 6) and embeddings.shape == (2, EMBEDDING_DIM)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert not np.allclose(probs[0], probs[1]) and not np.allclose(embeddings[0], embeddings[1])
    again, _ = FakeRecognizer().run(a)  # a new instance, same seed: the same answer
    np.testing.assert_allclose(again[0], probs[0], rtol=1e-6)
    other, _ = FakeRecognizer(seed=1).run(a)
    assert not np.allclose(other[0], probs[0])
    prediction = FakeRecognizer().predict(a, top_k=3)
    assert isinstance(prediction, Prediction) and len(prediction.top) == 3
    assert [p for _, p in prediction.top] == sorted((p for _, p in prediction.top), reverse=True)
    assert prediction.best[1] == pytest.approx(probs[0].max()) and 0.2 < prediction.best[1] < 0.99
    assert len(FakeRecognizer().predict(a, top_k=50).top) == 6
    with pytest.raises(ValueError, match="expected windows of shape"):
        FakeRecognizer().run(np.zeros((2, WINDOW_LENGTH, FEATURE_DIM - 1), np.float32))


def test_the_fake_model_can_fail_like_a_broken_onnx_session():
    model = FakeRecognizer(fail_after=2)
    window = np.zeros((WINDOW_LENGTH, FEATURE_DIM), np.float32)
    model.predict(window)
    with pytest.raises(InferenceError, match="the model failed while recognizing"):
        model.predict(window)
    with pytest.raises(InferenceError):
        model.run(window)  # a broken model stays broken
    assert model.calls == 3


def test_synthetic_videos_play_back(tmp_path):
    frames = synthetic_frames(12, (160, 120))
    assert len({f.tobytes() for f in frames}) == 12  # every frame differs
    path = write_video(tmp_path / "clip.avi", frames, fps=24.0)
    with VideoFile(path) as video:
        decoded = [f.image for f in video]
        assert video.fps == pytest.approx(24.0)
    assert len(decoded) == 12 and decoded[0].shape == (120, 160, 3)
