"""The PyTorch model as designed, its ONNX export, and agreement with the feature layout."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="model tests need the 'train' extra (torch)")

from signdesk.landmarks import FEATURE_DIM, N_CHANNELS, PARTS, WINDOW_LENGTH, normalize  # noqa: E402
from signdesk.train.model import HIDDEN, PART_EMBED_DIMS, SignModel  # noqa: E402
from signdesk.windowing import to_window  # noqa: E402


def test_model_structure_is_as_designed():
    model = SignModel(num_classes=11)
    embed = model.embed
    assert [p.in_features for p in embed.proj] == [(s.stop - s.start) * N_CHANNELS for s in PARTS.values()]
    assert [p.out_features for p in embed.proj] == [40, 88, 128, 128] == list(PART_EMBED_DIMS.values())
    assert sum(p.in_features for p in embed.proj) == FEATURE_DIM
    assert embed.norm.num_features == HIDDEN == 384
    assert len(model.blocks) == 4
    for block in model.blocks:
        assert block.lstm.bidirectional and block.lstm.hidden_size == HIDDEN // 2
    assert model.attention.num_heads == 8 and model.attention.embed_dim == HIDDEN
    assert model.classifier.in_features == HIDDEN and model.classifier.out_features == 11
    assert model.dropout.p == 0.5


def test_forward_gives_logits_and_embedding():
    model = SignModel(num_classes=5).eval()
    x = torch.randn(3, WINDOW_LENGTH, FEATURE_DIM)
    logits, embedding = model(x)
    assert logits.shape == (3, 5) and embedding.shape == (3, HIDDEN)
    # the embedding is what the classifier sees (dropout is off in eval mode)
    torch.testing.assert_close(model.classifier(embedding), logits)


def test_onnx_export_matches_torch_on_real_features(fixture_model, fixture_torch_model, karsl_features):
    from signdesk.tools.export import parity

    window = to_window(normalize(karsl_features))
    batch = np.stack([window, window[::-1].copy(), to_window(normalize(karsl_features[:5]))])
    assert parity(fixture_torch_model, fixture_model, batch) < 1e-4
    assert parity(fixture_torch_model, fixture_model, batch[:1]) < 1e-4  # dynamic batch: 1 works too


def test_layout_model_and_onnx_input_agree(fixture_model):
    """The one feature layout, the torch model's input and the ONNX graph's input agree."""
    import onnxruntime as ort

    from signdesk.recognizer import EMBEDDING, INPUT_NAME, LOGITS

    session = ort.InferenceSession(str(fixture_model), providers=["CPUExecutionProvider"])
    (inp,) = session.get_inputs()
    assert inp.name == INPUT_NAME
    assert inp.shape[1:] == [WINDOW_LENGTH, FEATURE_DIM]
    assert isinstance(inp.shape[0], str), "the batch axis is dynamic"
    outputs = {o.name: o.shape for o in session.get_outputs()}
    assert outputs[LOGITS][1] == 6 and outputs[EMBEDDING][1] == HIDDEN
    model = SignModel(num_classes=6)
    assert sum(p.in_features for p in model.embed.proj) == inp.shape[2]
    opset = __import__("onnx").load(str(fixture_model)).opset_import
    assert max(o.version for o in opset if o.domain in ("", "ai.onnx")) >= 17


def test_export_refuses_a_batch_of_one(tmp_path):
    from signdesk.tools.export import export_onnx

    with pytest.raises(ValueError, match="B >= 2"):
        export_onnx(SignModel(3), tmp_path / "m.onnx", np.zeros((1, WINDOW_LENGTH, FEATURE_DIM), np.float32))
    assert not list(tmp_path.iterdir())
