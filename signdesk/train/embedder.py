"""Train the shared sign embedder that custom signs are matched on.

``python -m signdesk.train.embedder [--minutes M] [--install]``

The bundled classifiers' embeddings separate the signs they were trained on and little else
(``docs/custom-signs.md``). This trains one encoder on every dataset and both languages with
a margin objective (CosFace, :class:`~signdesk.train.model.SignEmbedder`), so that signs it
never saw still fall into tight clusters of their own.

Held out of its training, so that what it is measured on is new to it:

- **test**: the whole ``karsl502-signs0071-0082-walead`` folder (12 Arabic health signs,
  2 people): ``signdesk evaluate … --few-shot K`` on it measures signs the embedder never saw;
- **validation** (picks the epoch): ten ASL signs (:data:`VAL_SIGNS`), scored as few-shot
  signs enrolled from other people.

It trains on everything else: KArSL signs 0001-0070 (signer 01) and every other ASL sign of
the MP_Data and GISLR folders. Writes ``runs/embedder/`` (``embedder.onnx``, mirror-averaged,
``embedder.json``, ``train.log``); ``--install`` copies both into ``models/embedder/``.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Sequence

import numpy as np

log = logging.getLogger("signdesk.train")

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
TRAIN_FOLDERS = ("karsl502-signer01-sample", "mpdata-holistic-multisigner", "mpdata-holistic-multisigner-2",
                 "mpdata-noface-multisigner", "gislr-asl-signs-hello-thankyou-21signers")
TEST_FOLDERS = ("karsl502-signs0071-0082-walead",)
VAL_SIGNS = ("food", "fine", "father", "sorry", "sad", "peace", "mother", "more", "cat", "seeyoulater")
#: labels that are not a sign (an MP_Data author's placeholder) or another name of one
DROP = {"_______"}
MERGE = {"bye": "goodbye"}


def class_of(language: str, label: str) -> str | None:
    label = MERGE.get(label, label)
    if label in DROP:
        return None
    return f"{language}:{label}"


def load(data: Path, folders: Sequence[str], cache: Path | None):
    from signdesk.tools.datasets import open_dataset

    examples = []
    for name in folders:
        ds = open_dataset(data / name)
        loaded = ds.load(cache_dir=cache, progress=False)
        for e in loaded.examples:
            key = class_of(ds.language, e.ref.label)
            if key is not None:
                examples.append((key, e))
        log.info("%s: %d clips", name, len(loaded.examples))
    return examples


def fewshot_accuracy(embeddings: np.ndarray, labels: Sequence[str], signers: Sequence[str], k: int = 3,
                     rounds: int = 3) -> float:
    """Nearest-prototype top-1 among the enrolled signs, people left out one at a time."""
    from signdesk.fewshot import unit_rows
    from signdesk.tools.fewshot_eval import episodes

    rng = np.random.default_rng(0)
    hits = []
    for _ in range(rounds):
        for ep in episodes(labels, signers, k, False, rng):
            signs = list(ep.enrolled)
            protos = unit_rows(np.stack([embeddings[ep.enrolled[s]].mean(0) for s in signs]))
            pred = np.argmax(embeddings[ep.test] @ protos.T, axis=1)
            hits += [signs[p] == labels[i] for p, i in zip(pred, ep.test)]
    return float(np.mean(hits)) if hits else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m signdesk.train.embedder", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=Path("runs/embedder"))
    parser.add_argument("--cache", type=Path, help="landmark cache folder")
    parser.add_argument("--minutes", type=float, default=25.0, help="time budget")
    parser.add_argument("--steps", type=int, default=60, help="steps per epoch")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--margin", type=float, default=0.2)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--blocks", type=int, default=2)
    parser.add_argument("--dim", type=int, default=256)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-face", action="store_true", help="the embedder ignores the face rows")
    parser.add_argument("--install", action="store_true", help="copy the result into models/embedder/")
    args = parser.parse_args(argv)

    import torch
    from torch import nn

    from signdesk.fewshot import EMBEDDER_FILE, EMBEDDER_META, unit_rows
    from signdesk.resources import models_dir
    from signdesk.tools.export import export_onnx
    from signdesk.train.augment import AugmentConfig
    from signdesk.train.data import Batcher, windows_of
    from signdesk.train.model import SignEmbedder
    from signdesk.train.symmetric import MirrorAveraged

    args.out.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s",
                        handlers=[logging.StreamHandler(), logging.FileHandler(args.out / "train.log", "w")])
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    everything = load(args.data, TRAIN_FOLDERS, args.cache)
    val_keys = {class_of("asl", s) for s in VAL_SIGNS}
    train = [e for key, e in everything if key not in val_keys]
    val = [(key, e) for key, e in everything if key in val_keys]
    train_keys = sorted({key for key, e in everything if key not in val_keys})
    index = {key: i for i, key in enumerate(train_keys)}
    for key, e in everything:  # the Batcher groups by ref.label: make it the class key
        object.__setattr__(e.ref, "label", key)
    log.info("train: %d clips, %d signs, %d people; validation: %d clips of %d signs", len(train), len(index),
             len({e.ref.signer for e in train}), len(val), len(val_keys))
    batcher = Batcher(train, index, AugmentConfig(), args.seed)
    val_windows = torch.as_tensor(windows_of([e for _, e in val]))
    val_labels = [k for k, _ in val]
    val_signers = [e.ref.signer for _, e in val]

    model = SignEmbedder(len(index), args.hidden, args.blocks, dim=args.dim, face=not args.no_face)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    loss_fn = nn.CrossEntropyLoss()
    t0 = time.monotonic()
    best, best_state, epoch, history = -1.0, None, 0, []
    while (time.monotonic() - t0) / 60 < args.minutes:
        epoch += 1
        model.train()
        losses = []
        for x, y in batcher.batches(args.steps, args.batch):
            x, y = torch.as_tensor(x), torch.as_tensor(y)
            logits, _ = model(x)
            margin = torch.zeros_like(logits).scatter_(1, y[:, None], args.margin * model.scale)
            loss = loss_fn(logits - margin, y)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            losses.append(loss.item())
        model.eval()
        with torch.no_grad():
            emb = torch.cat([MirrorAveraged(model)(val_windows[i:i + 256])[1]
                             for i in range(0, len(val_windows), 256)]).numpy()
        acc = fewshot_accuracy(unit_rows(emb), val_labels, val_signers)
        history.append({"epoch": epoch, "loss": float(np.mean(losses)), "val_fewshot_top1": acc,
                        "minutes": (time.monotonic() - t0) / 60})
        log.info("epoch %3d loss %.3f  validation few-shot K=3 top-1 %.3f  %.1f min", epoch, np.mean(losses), acc,
                 history[-1]["minutes"])
        if acc >= best:
            best, best_state = acc, {k: v.clone() for k, v in model.state_dict().items()}
            best_epoch = epoch
    model.load_state_dict(best_state)
    model.eval()
    onnx_path = export_onnx(MirrorAveraged(model), args.out / EMBEDDER_FILE, val_windows[:2].numpy())
    meta = {
        "name": "signdesk embedder", "trained": date.today().isoformat(), "dim": args.dim,
        "config": model.config, "margin": args.margin, "best_epoch": best_epoch, "epochs": epoch,
        "validation_fewshot_top1": best, "validation_signs": list(VAL_SIGNS),
        "trained_on": list(TRAIN_FOLDERS), "held_out": list(TEST_FOLDERS), "train_signs": len(index),
        "history": history,
    }
    (args.out / EMBEDDER_META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    torch.save({"state": best_state, "config": model.config, "classes": train_keys}, args.out / "embedder.pt")
    log.info("best epoch %d (validation %.3f); wrote %s", best_epoch, best, onnx_path)
    if args.install:
        target = models_dir() / "embedder"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(onnx_path, target / EMBEDDER_FILE)
        existing = target / EMBEDDER_META
        if existing.is_file():  # keep the calibration fitted for the installed models
            meta["calibration"] = json.loads(existing.read_text(encoding="utf-8")).get("calibration", {})
        (target / EMBEDDER_META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        log.info("installed into %s", target)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
