"""Dynamic int8 quantization of an exported model (onnxruntime only; no torch needed).

The bundled models ship as int8: as accurate as fp32 on every test set here, about twice as
fast with one ONNX thread and a quarter of the size (``docs/training.md``). The labels file
of a model says which it is (:data:`signdesk.recognizer.PRECISION_KEY`).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from signdesk.files import atomic_path


def quantize_int8(src: str | Path, dst: str | Path, symbolic_shapes: bool = True) -> Path:
    """Weights to int8, activations quantized at run time; ``dst`` is written atomically.

    The exporter builds each LSTM's weights from the torch tensors with Slice/Concat nodes;
    onnxruntime's pre-processing folds them into constants first, otherwise the quantizer
    cannot see (and skips) the LSTM weights, which are most of the model. Its symbolic shape
    inference fails on the shared embedder's graph (an ``Expand`` of the face mask): pass
    ``symbolic_shapes=False`` there; the folding does not need it.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    dst = Path(dst)
    quiet = logging.getLogger()
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # the quantizer logs advice at WARNING
    try:
        with tempfile.TemporaryDirectory(dir=dst.parent) as work, atomic_path(dst, ".onnx") as out:
            folded = Path(work) / "folded.onnx"
            quant_pre_process(str(src), str(folded), skip_symbolic_shape=not symbolic_shapes)
            quantize_dynamic(str(folded), str(out), weight_type=QuantType.QInt8)
    finally:
        quiet.setLevel(level)
    return dst
