"""Export a trained :class:`~signdesk.train.model.SignModel` to ONNX and check parity with torch.

The ONNX graph has one input ``features`` (batch, 50, 736) and two outputs: ``logits``
(batch, classes) and ``embedding`` (batch, hidden); the names come from
:mod:`signdesk.recognizer`, which checks them when it loads a model. The batch axis is
dynamic. torch's exporter fixes the batch size to the example's when the example has
batch 1, so the example batch is always 2 or more.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np
import torch

from signdesk.files import atomic_path, write_json
from signdesk.landmarks import FEATURE_DIM, WINDOW_LENGTH
from signdesk.recognizer import INPUT_NAME, LOGITS, OUTPUT_NAMES

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.train.model import SignModel

OPSET = 18


def export_onnx(model: SignModel, path: str | Path, example: NDArray | None = None) -> Path:
    """Write ``model`` as ONNX to ``path`` (atomically) and return the path."""
    path = Path(path)
    model = model.eval()
    if example is None:
        example = np.zeros((2, WINDOW_LENGTH, FEATURE_DIM), dtype=np.float32)
    example_t = torch.as_tensor(np.asarray(example, dtype=np.float32))
    if example_t.ndim != 3 or example_t.shape[0] < 2:
        raise ValueError(f"the export example must have shape (B >= 2, T, {FEATURE_DIM})")
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path, ".onnx") as tmp:
        batch = torch.export.Dim("batch", min=1, max=1024)
        with warnings.catch_warnings():
            # torch.export is chatty about LSTM flat weights and deprecations; none affect the graph.
            warnings.simplefilter("ignore")
            program = _export(model, example_t, batch)
        program.save(str(tmp))
    return path


def _export(model: SignModel, example: torch.Tensor, batch: torch.export.Dim):
    return torch.onnx.export(
        model,
        (example,),
        input_names=[INPUT_NAME],
        output_names=list(OUTPUT_NAMES),
        dynamic_shapes=({0: batch},),
        opset_version=OPSET,
        dynamo=True,
        external_data=False,
        optimize=True,
        verbose=False,
    )


def parity(model: SignModel, onnx_path: str | Path, features: NDArray) -> float:
    """Max abs difference of logits between torch and ONNX Runtime on ``features`` (B, T, 736)."""
    import onnxruntime as ort

    model = model.eval()
    x = np.asarray(features, dtype=np.float32)
    with torch.no_grad():
        expected = model(torch.as_tensor(x))[0].numpy()
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    got = session.run([LOGITS], {INPUT_NAME: x})[0]
    return float(np.max(np.abs(expected - got)))


def write_labels(path: str | Path, labels: Sequence[dict], meta: dict | None = None) -> Path:
    """Write a labels file: ``{"labels": [{"name", "gloss", "id"}, ...], ...meta}`` atomically."""
    path = Path(path)
    doc = dict(meta or {})
    doc["labels"] = list(labels)
    return write_json(path, doc)
