"""Join two embedder ONNX graphs into one: the members of both, side by side.

A joined embedder (:class:`~signdesk.train.model.EmbedderEnsemble`) outputs the unit vectors
of its ``n`` members concatenated and renormalized, i.e. ``concat(u_1..u_n) / sqrt(n)``. Two
such graphs with ``n_a`` and ``n_b`` members therefore join exactly, at the ONNX level, into
the ensemble of all ``n_a + n_b`` members: ``normalize(concat(sqrt(n_a) * E_a, sqrt(n_b) * E_b))``.
This lets a new member be added to the shipped embedder when the shipped members' training
checkpoints are not at hand (they are run outputs, not part of the repository).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from signdesk.files import atomic_path
from signdesk.recognizer import EMBEDDING, INPUT_NAME, LOGITS


def join_onnx(a: Path, n_a: int, b: Path, n_b: int, out: Path) -> Path:
    """Write the ensemble of the embedders ``a`` (``n_a`` members) and ``b`` (``n_b``) to ``out``."""
    import onnx
    from onnx import TensorProto, compose, helper, numpy_helper

    source = onnx.load(str(a))
    ga = compose.add_prefix(source, "a/").graph  # a prefixed copy; source keeps a's own names
    gb = compose.add_prefix(onnx.load(str(b)), "b/").graph
    for side, g, path in (("a", ga, a), ("b", gb, b)):
        if {f"{side}/{n}" for n in (LOGITS, EMBEDDING)} - {o.name for o in g.output}:
            raise ValueError(f"{path}: not an embedder (it needs the outputs {LOGITS!r} and {EMBEDDING!r})")
    constants = [numpy_helper.from_array(np.array(math.sqrt(n), np.float32), f"join/sqrt_{side}")
                 for side, n in (("a", n_a), ("b", n_b))]
    nodes = [
        helper.make_node("Identity", [INPUT_NAME], [f"a/{INPUT_NAME}"]),
        helper.make_node("Identity", [INPUT_NAME], [f"b/{INPUT_NAME}"]),
        *ga.node, *gb.node,
        helper.make_node("Mul", [f"a/{EMBEDDING}", "join/sqrt_a"], ["join/a"]),
        helper.make_node("Mul", [f"b/{EMBEDDING}", "join/sqrt_b"], ["join/b"]),
        helper.make_node("Concat", ["join/a", "join/b"], ["join/both"], axis=-1),
        helper.make_node("LpNormalization", ["join/both"], [EMBEDDING], axis=-1, p=2),
        helper.make_node("Concat", [f"a/{LOGITS}", f"b/{LOGITS}"], [LOGITS], axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "joined_embedder", [source.graph.input[0]],
        [helper.make_tensor_value_info(LOGITS, TensorProto.FLOAT, ["batch", None]),
         helper.make_tensor_value_info(EMBEDDING, TensorProto.FLOAT, ["batch", None])],
        initializer=[*ga.initializer, *gb.initializer, *constants],
        value_info=[*ga.value_info, *gb.value_info],
    )
    model = helper.make_model(graph, opset_imports=source.opset_import, ir_version=source.ir_version,
                              producer_name="signdesk.train.onnx_join")
    onnx.checker.check_model(model)
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out, ".onnx") as tmp:
        onnx.save(model, str(tmp))
    return out
