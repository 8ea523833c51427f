"""Joining two embedder graphs (signdesk.train.onnx_join) gives the ensemble of all their members."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from signdesk.landmarks import FEATURE_DIM, WINDOW_LENGTH
from signdesk.recognizer import EMBEDDING, INPUT_NAME, LOGITS
from signdesk.train.onnx_join import join_onnx


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _ensemble_graph(path, weights: list[np.ndarray]) -> None:
    """An embedder of len(weights) linear members, joined as EmbedderEnsemble joins them."""
    nodes = [helper.make_node("ReduceMean", [INPUT_NAME], ["pooled"], axes=[1], keepdims=0)]
    inits, units, raws = [], [], []
    for i, w in enumerate(weights):
        inits.append(numpy_helper.from_array(w.astype(np.float32), f"w{i}"))
        nodes += [helper.make_node("MatMul", ["pooled", f"w{i}"], [f"raw{i}"]),
                  helper.make_node("LpNormalization", [f"raw{i}"], [f"unit{i}"], axis=-1, p=2)]
        units.append(f"unit{i}")
        raws.append(f"raw{i}")
    nodes += [helper.make_node("Concat", units, ["both"], axis=-1),
              helper.make_node("LpNormalization", ["both"], [EMBEDDING], axis=-1, p=2),
              helper.make_node("Concat", raws, [LOGITS], axis=-1)]
    graph = helper.make_graph(
        nodes, "ensemble",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["batch", WINDOW_LENGTH, FEATURE_DIM])],
        [helper.make_tensor_value_info(LOGITS, TensorProto.FLOAT, ["batch", None]),
         helper.make_tensor_value_info(EMBEDDING, TensorProto.FLOAT, ["batch", None])],
        initializer=inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def test_joined_graph_is_the_ensemble_of_every_member(tmp_path):
    rng = np.random.default_rng(0)
    w = [rng.normal(size=(FEATURE_DIM, d)) for d in (8, 8, 5)]
    _ensemble_graph(tmp_path / "a.onnx", w[:2])
    _ensemble_graph(tmp_path / "b.onnx", w[2:])
    out = join_onnx(tmp_path / "a.onnx", 2, tmp_path / "b.onnx", 1, tmp_path / "joined.onnx")
    x = rng.normal(size=(3, WINDOW_LENGTH, FEATURE_DIM)).astype(np.float32)
    logits, embedding = ort.InferenceSession(str(out)).run([LOGITS, EMBEDDING], {INPUT_NAME: x})
    pooled = x.mean(axis=1)
    expected = _unit(np.concatenate([_unit(pooled @ wi) for wi in w], axis=1))
    assert embedding.shape == (3, 21)
    np.testing.assert_allclose(embedding, expected, atol=1e-5)
    np.testing.assert_allclose(logits, np.concatenate([pooled @ wi for wi in w], axis=1), rtol=1e-4, atol=1e-4)
    # a plain concatenation of the two outputs would weigh b's one member as much as a's two
    wrong = _unit(np.concatenate([_unit(np.concatenate([_unit(pooled @ wi) for wi in w[:2]], 1)),
                                  _unit(pooled @ w[2])], axis=1))
    assert np.abs(embedding - wrong).max() > 1e-2


def test_a_graph_without_an_embedding_is_refused(tmp_path):
    graph = helper.make_graph(
        [helper.make_node("Identity", [INPUT_NAME], ["other"])], "not-an-embedder",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["batch", WINDOW_LENGTH, FEATURE_DIM])],
        [helper.make_tensor_value_info("other", TensorProto.FLOAT, ["batch", WINDOW_LENGTH, FEATURE_DIM])])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(tmp_path / "x.onnx"))
    _ensemble_graph(tmp_path / "a.onnx", [np.ones((FEATURE_DIM, 2))])
    with pytest.raises(ValueError, match="not an embedder"):
        join_onnx(tmp_path / "a.onnx", 1, tmp_path / "x.onnx", 1, tmp_path / "joined.onnx")
    assert not (tmp_path / "joined.onnx").exists()
