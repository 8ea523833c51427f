"""Loading models with ONNX Runtime: predictions, and one clear line for every bad model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from signdesk.landmarks import FEATURE_DIM, WINDOW_LENGTH, normalize
from signdesk.recognizer import Label, ModelError, Recognizer, bundled_models, load_labels, resolve_model
from signdesk.windowing import to_window


def _copy_model(fixture_model: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(fixture_model, folder / "model.onnx")
    shutil.copy(fixture_model.parent / "labels.json", folder / "labels.json")
    return folder / "model.onnx"


def test_predict_returns_sorted_top_k_and_the_embedding(fixture_model, fixture_labels, karsl_features):
    rec = Recognizer(fixture_model)
    assert rec.name == "fixture-untrained"
    assert [label.name for label in rec.labels] == [e["name"] for e in fixture_labels]
    pred = rec.predict(to_window(normalize(karsl_features)), top_k=4)
    probs = [p for _, p in pred.top]
    assert len(pred.top) == 4 and probs == sorted(probs, reverse=True)
    assert all(0 <= p <= 1 for p in probs)
    assert pred.embedding.shape == (rec.embedding_dim,) == (384,)
    full, _ = rec.run(to_window(normalize(karsl_features))[None])
    assert full.shape == (1, len(fixture_labels)) and full.sum() == pytest.approx(1, abs=1e-5)
    assert pred.best == (rec.labels[int(full[0].argmax())], pytest.approx(float(full[0].max())))
    assert len(rec.predict(to_window(normalize(karsl_features)), top_k=99).top) == len(fixture_labels)


def test_run_checks_window_shape(fixture_model, fixture_labels):
    rec = Recognizer(fixture_model)
    with pytest.raises(ValueError, match="50, 736"):
        rec.run(np.zeros((1, 20, FEATURE_DIM), np.float32))
    probs, emb = rec.run(np.zeros((3, WINDOW_LENGTH, FEATURE_DIM), np.float32))
    assert probs.shape == (3, len(fixture_labels)) and emb.shape == (3, 384)


def test_labels_file_formats(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"labels": [{"name": "كبد", "gloss": "liver", "id": "0082"}], "language": "ar"}), encoding="utf-8")
    labels, meta = load_labels(tmp_path / "a.json")
    assert labels == [Label("كبد", "liver", "0082")] and meta == {"language": "ar"}
    assert labels[0].display == "كبد (liver)"
    (tmp_path / "b.json").write_text(json.dumps(["hello", "yes"]))
    assert [l.name for l in load_labels(tmp_path / "b.json")[0]] == ["hello", "yes"]
    (tmp_path / "c.txt").write_text("hello\n\nno\n")
    assert [l.name for l in load_labels(tmp_path / "c.txt")[0]] == ["hello", "no"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON"),
        ('{"labels": []}', "lists no labels"),
        ('{"names": ["a"]}', 'no "labels" list'),
        ('{"labels": [3]}', "label 0 is not a name"),
    ],
)
def test_bad_labels_files_get_one_clear_line(tmp_path, content, message):
    path = tmp_path / "labels.json"
    path.write_text(content)
    with pytest.raises(ModelError, match=message) as err:
        load_labels(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_missing_model_file(tmp_path):
    with pytest.raises(ModelError, match="model file not found") as err:
        Recognizer(tmp_path / "nope.onnx")
    assert "nope.onnx" in str(err.value)


def test_unknown_model_name_lists_the_bundled_ones():
    with pytest.raises(ModelError, match="no bundled model of that name"):
        resolve_model("klingon-sign")


def test_corrupt_model_file(tmp_path, fixture_model):
    path = _copy_model(fixture_model, tmp_path / "m")
    path.write_bytes(path.read_bytes()[:5000])  # truncated download
    with pytest.raises(ModelError, match="not a valid ONNX model") as err:
        Recognizer(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_model_without_labels_beside_it(tmp_path, fixture_model):
    path = tmp_path / "lonely.onnx"
    shutil.copy(fixture_model, path)
    with pytest.raises(ModelError, match="no labels file beside it"):
        Recognizer(path)


def test_labels_count_must_match_the_model(tmp_path, fixture_model):
    path = _copy_model(fixture_model, tmp_path / "m")
    (path.parent / "labels.json").write_text(json.dumps({"labels": ["a", "b", "c"]}))
    with pytest.raises(ModelError, match="6 classes but labels.json lists 3 labels"):
        Recognizer(path)


def test_a_model_for_another_feature_layout_is_refused(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    def tiny(features: int, frames: int | str = "T") -> Path:
        x = helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", frames, features])
        logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", features])
        emb = helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", features])
        graph = helper.make_graph(
            [helper.make_node("ReduceMean", ["features"], ["logits"], keepdims=0, axes=[1]),
             helper.make_node("Identity", ["logits"], ["embedding"])],
            "tiny", [x], [logits, emb],
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        folder = tmp_path / f"tiny{features}-{frames}"
        folder.mkdir()
        onnx.save(model, folder / "model.onnx")
        (folder / "labels.json").write_text(json.dumps({"labels": [str(i) for i in range(features)]}))
        return folder / "model.onnx"

    with pytest.raises(ModelError, match="expects 543 features per frame, the layout gives 736"):
        Recognizer(tiny(543))
    with pytest.raises(ModelError, match="expects 30-frame windows"):
        Recognizer(tiny(FEATURE_DIM, 30))


def test_bundled_models_and_resolution(tmp_path, fixture_model, monkeypatch):
    root = tmp_path / "models"
    _copy_model(fixture_model, root / "zz-second")
    _copy_model(fixture_model, root / "aa-first")
    (root / "not-a-model").mkdir()
    infos = bundled_models(root)
    assert [i.name for i in infos] == ["aa-first", "zz-second"]
    monkeypatch.setattr("signdesk.recognizer.models_dir", lambda: root)
    assert resolve_model(None).name == "aa-first"
    assert resolve_model("zz-second").onnx == root / "zz-second" / "model.onnx"
    assert resolve_model(str(root / "zz-second")).name == "zz-second"
    monkeypatch.setenv("SIGNDESK_MODEL", "zz-second")
    assert resolve_model(None).name == "zz-second"


def test_no_bundled_model_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("signdesk.recognizer.models_dir", lambda: tmp_path)
    monkeypatch.delenv("SIGNDESK_MODEL", raising=False)
    with pytest.raises(ModelError, match="no bundled model found"):
        resolve_model(None)


def test_unknown_provider_falls_back_to_cpu(fixture_model, caplog):
    rec = Recognizer(fixture_model, providers=["cuda"])
    assert rec.run(np.zeros((1, WINDOW_LENGTH, FEATURE_DIM), np.float32))[0].shape == (1, 6)


def test_the_exported_model_uses_the_recognizers_tensor_names(fixture_model):
    """Export takes its tensor names from signdesk.recognizer: the graph matches them in order."""
    import onnxruntime as ort

    from signdesk.recognizer import EMBEDDING, INPUT_NAME, LOGITS, OUTPUT_NAMES
    from signdesk.tools import export

    session = ort.InferenceSession(str(fixture_model), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == [INPUT_NAME]
    assert tuple(o.name for o in session.get_outputs()) == OUTPUT_NAMES == (LOGITS, EMBEDDING)
    assert (export.INPUT_NAME, export.OUTPUT_NAMES) == (INPUT_NAME, OUTPUT_NAMES)
