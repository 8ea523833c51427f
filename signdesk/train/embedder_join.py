"""Join trained embedders into the one shared embedder the app ships.

``python -m signdesk.train.embedder_join RUN_DIR... [--base DIR] [--out DIR] [--install]``

Each RUN_DIR is the output of :mod:`signdesk.train.embedder` (``embedder.pt``). The joined
model (:class:`~signdesk.train.model.EmbedderEnsemble`, every member mirror-averaged) is
validated on the same held-out signs as its members and written as ``embedder.onnx`` and
``embedder.json``; ``--install`` copies them into ``models/embedder/``, keeping the
calibrations already fitted there only if the file is unchanged (a new embedder needs new ones).

``--base models/embedder`` adds the runs as further members of an embedder already joined,
at the ONNX level (:mod:`signdesk.train.onnx_join`), for when its members' checkpoints are
not at hand.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
from datetime import date
from pathlib import Path
from typing import Sequence

import numpy as np

log = logging.getLogger("signdesk.train")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m signdesk.train.embedder_join", description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", type=Path, help="folders written by signdesk.train.embedder")
    parser.add_argument("--out", type=Path, default=Path("runs/embedder-joint"))
    parser.add_argument("--data", type=Path, help="the shared data folder (for validation)")
    parser.add_argument("--cache", type=Path, help="landmark cache folder")
    parser.add_argument("--base", type=Path, help="a joined embedder's folder (embedder.onnx, embedder.json) "
                        "that the runs join as further members")
    parser.add_argument("--int8", action="store_true", help="quantize the joined embedder's weights to int8")
    parser.add_argument("--install", action="store_true", help="copy the result into models/embedder/")
    args = parser.parse_args(argv)

    import torch

    from signdesk.fewshot import EMBEDDER_FILE, EMBEDDER_META, OnnxEmbedder
    from signdesk.files import file_hash, write_json
    from signdesk.resources import models_dir
    from signdesk.tools.export import export_onnx
    from signdesk.tools.quantize import quantize_int8
    from signdesk.train.data import windows_of
    from signdesk.train.embedder import DATA, TRAIN_FOLDERS, VAL_SIGNS, class_of, fewshot_accuracy, load
    from signdesk.train.model import EmbedderEnsemble, SignEmbedder
    from signdesk.train.onnx_join import join_onnx
    from signdesk.train.symmetric import MirrorAveraged

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    members, metas = [], []
    for run in args.runs:
        saved = torch.load(run / "embedder.pt", map_location="cpu", weights_only=True)
        model = SignEmbedder(**saved["config"])
        model.load_state_dict(saved["state"])
        members.append(MirrorAveraged(model.eval()))
        metas.append(json.loads((run / EMBEDDER_META).read_text(encoding="utf-8")))
    base_meta = json.loads((args.base / EMBEDDER_META).read_text(encoding="utf-8")) if args.base else None
    compared = metas + ([base_meta] if base_meta else [])
    if len({tuple(m["validation_signs"]) for m in compared}) != 1 or len({tuple(m["held_out"]) for m in compared}) != 1:
        parser.error("the runs were validated or tested on different signs: they cannot be compared")
    joint = EmbedderEnsemble(members).eval()

    args.out.mkdir(parents=True, exist_ok=True)
    val_keys = {class_of("asl", s) for s in VAL_SIGNS}
    val = [(key, e) for key, e in load(args.data or DATA, TRAIN_FOLDERS, args.cache) if key in val_keys]
    windows = windows_of([e for _, e in val])
    onnx_path = args.out / EMBEDDER_FILE
    member_info = [{k: m[k] for k in ("config", "best_epoch", "epochs", "validation_fewshot_top1", "trained")}
                   for m in metas]
    if base_meta is not None:
        joined = export_onnx(joint, args.out / "added-members.onnx", windows[:2])
        join_onnx(args.base / EMBEDDER_FILE, len(base_meta["members"]), joined, len(members), onnx_path)
        member_info = base_meta["members"] + member_info
    else:
        export_onnx(joint, onnx_path, windows[:2])
    if args.int8:
        fp32 = onnx_path.with_name("embedder-fp32.onnx")
        onnx_path.replace(fp32)
        quantize_int8(fp32, onnx_path, symbolic_shapes=False)
    embedder = OnnxEmbedder(onnx_path)
    emb = np.concatenate([embedder.embed(windows[i:i + 256]) for i in range(0, len(windows), 256)])
    accuracy = fewshot_accuracy(emb, [k for k, _ in val], [e.ref.signer for _, e in val])
    log.info("joined %d embedders: validation few-shot K=3 top-1 %.3f (members: %s)", len(member_info), accuracy,
             ", ".join(f"{m['validation_fewshot_top1']:.3f}" for m in member_info))
    meta = {
        "name": "signdesk embedder", "trained": date.today().isoformat(),
        "dim": int(emb.shape[1]), "precision": "int8" if args.int8 else "fp32", "members": member_info,
        "validation_fewshot_top1": accuracy, "validation_signs": metas[0]["validation_signs"],
        "trained_on": metas[0]["trained_on"], "held_out": metas[0]["held_out"],
        "train_signs": metas[0].get("train_signs"),
    }
    write_json(args.out / EMBEDDER_META, meta)
    log.info("wrote %s", onnx_path)
    if args.install:
        target = models_dir() / "embedder"
        target.mkdir(parents=True, exist_ok=True)
        installed = target / EMBEDDER_FILE
        same = installed.is_file() and file_hash(installed) == file_hash(onnx_path)
        if same and (target / EMBEDDER_META).is_file():
            meta["calibration"] = json.loads((target / EMBEDDER_META).read_text(encoding="utf-8")).get("calibration", {})
        shutil.copy2(onnx_path, installed)
        write_json(target / EMBEDDER_META, meta)
        log.info("installed into %s%s", target, "" if same else " (fit the calibrations again)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
