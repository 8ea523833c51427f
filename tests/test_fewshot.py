"""Few-shot matching: custom signs ranked with the model's signs, calibration, embedding cache."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from signdesk.custom import CustomSign, Take, is_custom
from signdesk.fewshot import Calibration, CustomRecognizer, EmbeddingCache, combine, enrol, unit_rows
from signdesk.landmarks import FEATURE_DIM, N_CHANNELS, N_LANDMARKS, WINDOW_LENGTH
from signdesk.recognizer import Label
from signdesk.tools.calibration import expected_calibration_error
from signdesk.tools.fewshot_eval import episodes, run_episodes
from tests.fakes import FakeRecognizer

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


class CountingEmbedder:
    """Mean landmark value per feature over time, first ``dim`` features, unit length."""

    def __init__(self, key: str = "test-embedder", dim: int = 64) -> None:
        self.key = key
        self.dim = dim
        self.calls = 0

    def embed(self, windows: np.ndarray) -> np.ndarray:
        self.calls += 1
        x = np.asarray(windows, np.float32)
        x = x if x.ndim == 3 else x[None]
        return unit_rows(x.mean(axis=1)[:, : self.dim] + 1e-3)


def take_of(pattern: int, rng: np.random.Generator, frames: int = 20) -> Take:
    """Raw landmarks, different per ``pattern``: a distinct take for the cache tests."""
    raw = np.zeros((frames, N_LANDMARKS, N_CHANNELS), np.float32)
    raw[..., 3] = 1.0
    raw[..., :3] = rng.normal(0, 0.01, (frames, N_LANDMARKS, 3))
    raw[:, pattern % N_LANDMARKS, :3] += 1.0 + pattern
    return Take(raw)


def window_pointing(direction: int, noise: float, rng: np.random.Generator) -> np.ndarray:
    w = rng.normal(0, noise, (WINDOW_LENGTH, FEATURE_DIM)).astype(np.float32)
    w[:, direction] += 1.0
    return w


def test_a_custom_sign_is_ranked_with_the_models_signs_and_wins_on_its_own_takes(monkeypatch):
    rng = np.random.default_rng(0)
    recognizer = FakeRecognizer(["a", "b", "c"], sharpness=1.0)
    embedder = CountingEmbedder()
    windows = {0: window_pointing(3, 0.05, rng), 1: window_pointing(7, 0.05, rng)}
    takes = {0: [Take(np.full((6, N_LANDMARKS, N_CHANNELS), i, np.float32)) for i in (1, 2, 3)],
             1: [Take(np.full((6, N_LANDMARKS, N_CHANNELS), i, np.float32)) for i in (4, 5, 6)]}
    lookup = {t.digest: windows[j] for j, ts in takes.items() for t in ts}
    monkeypatch.setattr("signdesk.fewshot.window_of", lambda raw: lookup[Take(raw).digest])
    signs = [CustomSign("بيت", takes[0], gloss="house"), CustomSign("wave", takes[1])]
    custom = CustomRecognizer(recognizer, signs, embedder, Calibration(30.0, -15.0))
    assert [lb.name for lb in custom.labels] == ["a", "b", "c", "بيت", "wave"]
    assert all(is_custom(lb) for lb in custom.labels[3:]) and not any(is_custom(lb) for lb in custom.labels[:3])
    pred = custom.predict(window_pointing(3, 0.05, rng), top_k=5)
    assert pred.best[0].name == "بيت" and pred.best[1] > 0.9
    assert pred.embedding.shape == (embedder.dim,)
    assert sum(p for _, p in custom.predict(window_pointing(7, 0.05, rng), top_k=5).top) == pytest.approx(1, abs=1e-5)
    assert custom.predict(window_pointing(7, 0.05, rng)).best[0].name == "wave"
    # a window like neither: the model's own signs keep their order and most of the mass
    far = window_pointing(40, 0.05, rng)
    model_best = recognizer.predict(far).best[0]
    assert custom.predict(far).best[0] == model_best


def test_a_custom_sign_named_like_a_model_sign_counts_as_that_sign():
    labels = [Label("hello", "hello", "hello"), Label("thank you", "thank you", "thankyou")]
    probs = np.array([[0.9, 0.1]], np.float32)
    emb = unit_rows(np.array([[1.0, 0.0]]))
    matcher, versions = enrol([("Thank  You", ""), ("new sign", "")], unit_rows(np.array([[1.0, 0.0], [0.0, 1.0]])),
                              np.array([0, 1]), labels)
    assert versions == [1, None]
    joint = combine(probs, emb, matcher, Calibration(20.0, -10.0), n_labels=3)
    assert joint.shape == (1, 3)
    assert joint.sum() == pytest.approx(1.0, abs=1e-6)
    assert joint[0].argmax() == 1  # the user's own "thank you" lifted the model's thank you
    assert joint[0, 2] < 0.01  # the unrelated custom sign got almost nothing


def test_the_calibration_maps_similarity_monotonically_and_the_method_matters():
    labels = [Label("x")]
    probs = np.array([[1.0]] * 3, np.float32)
    takes = unit_rows(np.array([[1.0, 0.0], [0.6, 0.8]]))
    matcher, _ = enrol([("s", "")], takes, np.array([0, 0]), labels)
    queries = unit_rows(np.array([[1.0, 0.0], [0.9, 0.44], [0.0, 1.0]]))
    proto = combine(probs, queries, matcher, Calibration(20.0, -10.0, "prototype"), 2)[:, 1]
    nearest = combine(probs, queries, matcher, Calibration(20.0, -10.0, "nearest"), 2)[:, 1]
    assert proto[1] > proto[0] > proto[2]  # closest to the mean take first
    assert nearest[0] > nearest[2]
    assert nearest[0] > proto[0]  # an exact take is a perfect nearest match


def test_embeddings_are_cached_per_model_and_never_shared_across_models(tmp_path):
    rng = np.random.default_rng(1)
    signs = [CustomSign("one", [take_of(i, rng) for i in range(3)])]
    embedder = CountingEmbedder()
    CustomRecognizer(FakeRecognizer(name="model-a"), signs, embedder, cache_dir=tmp_path)
    assert embedder.calls == 1
    CustomRecognizer(FakeRecognizer(name="model-a"), signs, embedder, cache_dir=tmp_path)
    assert embedder.calls == 1  # every take came from the cache
    CustomRecognizer(FakeRecognizer(name="model-b"), signs, embedder, cache_dir=tmp_path)
    assert embedder.calls == 2  # another model: embedded again
    assert len(list(tmp_path.glob("*.npz"))) == 2


def test_a_damaged_embedding_cache_is_rebuilt(tmp_path):
    path = tmp_path / "k.npz"
    path.write_bytes(b"not a zip")
    cache = EmbeddingCache(tmp_path, "k")
    assert cache.get("anything") is None
    cache.put("d", np.ones(3))
    cache.flush()
    assert EmbeddingCache(tmp_path, "k").get("d") is not None


def test_set_signs_switches_the_labels_at_once():
    rng = np.random.default_rng(2)
    custom = CustomRecognizer(FakeRecognizer(["a"]), [], CountingEmbedder())
    assert [lb.name for lb in custom.labels] == ["a"]
    custom.set_signs([CustomSign("new", [take_of(5, rng)])])
    assert [lb.name for lb in custom.labels] == ["a", "new"]
    assert custom.predict(np.zeros((WINDOW_LENGTH, FEATURE_DIM), np.float32)).top
    custom.set_signs([])
    assert [lb.name for lb in custom.labels] == ["a"]


# --- the evaluation's episodes ---------------------------------------------------------------


def test_leave_one_person_out_never_enrols_the_test_person():
    labels = ["s1"] * 6 + ["s2"] * 6
    signers = ["p1", "p2", "p3"] * 4
    for ep in episodes(labels, signers, 1, False, np.random.default_rng(0)):
        assert all(signers[i] != ep.person for v in ep.enrolled.values() for i in v)
        assert all(signers[i] == ep.person for i in ep.test)
    for ep in episodes(labels, signers, 1, True, np.random.default_rng(0)):
        used = {i for v in ep.enrolled.values() for i in v}
        assert all(signers[i] == ep.person for i in used) and not used & set(ep.test)


def test_clustered_embeddings_score_perfectly_and_known_signs_are_split_out():
    rng = np.random.default_rng(3)
    centers = unit_rows(rng.normal(size=(4, 16)))
    labels = [f"s{j}" for j in range(4) for _ in range(9)]
    signers = [f"p{i % 3}" for i in range(36)]
    emb = unit_rows(np.stack([centers[int(lab[1])] + rng.normal(0, 0.05, 16) for lab in labels]))
    model_labels = [Label("s0", "s0", "s0"), Label("other")]
    probs = np.tile(np.array([[0.5, 0.5]], np.float32), (36, 1))
    report = run_episodes(probs, emb, labels, signers, model_labels, 2, False, Calibration(30.0, -20.0), rounds=2)
    doc = report.to_json()
    assert doc["top1"] == 1.0 and doc["n"] > 0
    assert doc["known"]["n"] == labels.count("s0") * 2  # s0 is the model's own sign
    assert doc["novel"]["n"] == doc["n"] - doc["known"]["n"]
    shuffled = run_episodes(probs, rng.permutation(emb), labels, signers, model_labels, 2, False,
                            Calibration(30.0, -20.0), rounds=2)
    assert shuffled.to_json()["top1"] < 0.6  # random embeddings: chance, not a fixed answer


def test_expected_calibration_error():
    assert expected_calibration_error([0.9] * 10, [True] * 9 + [False], bins=10) == pytest.approx(0.0)
    assert expected_calibration_error([0.9] * 10, [False] * 10, bins=10) == pytest.approx(0.9)


@pytest.mark.skipif(not (SHARED / "gislr-asl-signs-hello-thankyou-21signers").is_dir(),
                    reason="../shared/data/gislr-asl-signs-hello-thankyou-21signers is absent")
@pytest.mark.parametrize("model, part", [("asl-basics", "known"), ("karsl-arabic", "novel")])
def test_evaluate_few_shot_on_real_people(model, part, capsys):
    from signdesk.cli import main

    folder = SHARED / "gislr-asl-signs-hello-thankyou-21signers"
    assert main(["evaluate", str(folder), "--few-shot", "3", "--model", model, "--json", "--rounds", "1"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"top1", "top5", "n", "k", "known", "novel"} <= set(doc)
    assert doc["k"] == 3 and doc["n"] == doc[part]["n"] > 0
    assert 0.0 <= doc["top1"] <= doc["top5"] <= 1.0
    # floors well below docs/custom-signs.md (89.4 % known on asl-basics' 3 unseen GISLR people,
    # 96.0 % novel on karsl-arabic, with 3 rounds), so that a broken embedder, calibration or
    # ranking fails (chance is 1 in 16 or 1 in 82)
    assert doc[part]["top1"] >= (0.75 if part == "known" else 0.8)
