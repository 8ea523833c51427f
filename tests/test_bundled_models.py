"""The models in ``models/``: consistent with the feature layout, documented, and really trained.

The accuracy checks are sanity floors on a few held-out real clips (far above chance, far below
the cards' figures), so that a placeholder or a mix-up of labels fails; the figures themselves
come from ``signdesk evaluate`` (see each MODEL_CARD.md).
"""

from __future__ import annotations

import numpy as np
import pytest

from signdesk.tools.evaluate import score, training_clip_keys
from signdesk.landmarks import FEATURE_DIM, WINDOW_LENGTH
from signdesk.recognizer import MIRRORED_KEY, PRECISION_KEY, Recognizer, bundled_models
from tests.conftest import GISLR, KARSL_WALEAD, need

MODELS = {m.name: m for m in bundled_models()}


def test_the_promised_models_are_bundled():
    assert {"karsl-arabic", "asl-basics"} <= set(MODELS)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_bundled_model_matches_the_layout_and_has_its_card(name):
    info = MODELS[name]
    rec = Recognizer(name)
    import onnxruntime as ort

    session = ort.InferenceSession(str(info.onnx), providers=["CPUExecutionProvider"])
    assert session.get_inputs()[0].shape[1:] == [WINDOW_LENGTH, FEATURE_DIM]
    shapes = {o.name: o.shape for o in session.get_outputs()}
    assert shapes["logits"][1] == len(rec.labels) and shapes["embedding"][1] == rec.embedding_dim == 384
    assert rec.meta[PRECISION_KEY] in ("int8", "fp32") and isinstance(rec.meta[MIRRORED_KEY], bool)
    assert info.onnx.stat().st_size < 25 * 2**20
    assert all(label.name and label.id for label in rec.labels)
    assert len({label.id for label in rec.labels}) == len(rec.labels)
    card = (info.onnx.parent / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"signdesk train --recipe {name}" in card and "signdesk evaluate" in card
    assert training_clip_keys(info), "training_clips.json lists the clips evaluate must skip"


def _held_out(dataset_dir, info, family: str, per_label: int):
    from signdesk.tools.datasets import open_dataset

    ds = open_dataset(dataset_dir)
    trained = training_clip_keys(info)
    picked, count = [], {}
    for c in ds.clips():
        if f"{family}:{c.clip_id}" not in trained and count.get(c.label, 0) < per_label:
            picked.append(c)
            count[c.label] = count.get(c.label, 0) + 1
    return ds.load(picked, progress=False).examples


def test_the_arabic_model_recognizes_held_out_real_videos(tmp_path):
    """One test-split clip of each KArSL health sign, through MediaPipe and the bundled model."""
    info = MODELS["karsl-arabic"]
    examples = _held_out(need(KARSL_WALEAD), info, "karsl", per_label=1)
    examples = [e for e in examples if e.ref.split == "test"]
    report = score(Recognizer("karsl-arabic"), examples, "karsl", training_clip_keys(info))
    assert len(report.truth) >= 10
    assert report.topk(1) >= 0.7  # the card reports 100 % on all 124; chance is 1/82


def test_the_asl_model_recognizes_people_it_never_saw():
    info = MODELS["asl-basics"]
    examples = _held_out(need(GISLR), info, "gislr", per_label=15)
    report = score(Recognizer("asl-basics"), examples, "gislr", training_clip_keys(info))
    assert len(report.truth) == 30
    assert report.topk(1) >= 0.8  # the card reports 90.7 % on 107 clips; chance is 1/16 (2 signs here)
    assert np.unique(report.truth).size == 2


def test_the_shared_embedder_is_bundled_calibrated_for_every_model_and_documented():
    from signdesk.fewshot import OnnxEmbedder, default_embedder

    embedder = OnnxEmbedder()
    assert embedder.path.parent.name == "embedder"
    for name in MODELS:
        cal = embedder.calibration(name)
        assert cal is not None and cal.scale > 0, f"no calibration fitted for {name}"
        assert isinstance(default_embedder(Recognizer(name)), OnnxEmbedder)
    vectors = embedder.embed(np.random.default_rng(0).normal(size=(3, WINDOW_LENGTH, FEATURE_DIM)).astype(np.float32))
    assert vectors.shape == (3, embedder.meta["dim"]) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    card = (embedder.path.parent / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "signdesk.train.embedder" in card and "karsl502-signs0071-0082-walead" in card
    assert embedder.meta["held_out"] == ["karsl502-signs0071-0082-walead"]
