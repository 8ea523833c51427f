"""One training run end to end: clips → split → train → ONNX fp32 + int8 → test figures.

The test figures are computed by :func:`signdesk.tools.evaluate.score` on the exported ONNX files
through :class:`~signdesk.recognizer.Recognizer`, i.e. by the same code as
``signdesk evaluate``; the clips used for training and validation are written to
``training_clips.json`` so that ``signdesk evaluate`` never scores them by accident.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import shutil
from pathlib import Path
from typing import Sequence

import numpy as np

from signdesk.tools.datasets import ClipRef, Dataset, Example
from signdesk.files import atomic_path, write_json
from signdesk.tools.quantize import quantize_int8
from signdesk.recognizer import MIRRORED_KEY, PRECISION_KEY
from signdesk.train.data import Split
from signdesk.train.loop import TrainConfig

_REPO = Path(__file__).resolve().parents[2]


def gather_clips(datasets: Sequence[Dataset], log: logging.Logger) -> tuple[list[ClipRef], dict[str, Dataset]]:
    """Every clip of the datasets once (a clip in two folders of one family counts once)."""
    owner: dict[str, Dataset] = {}
    clips: list[ClipRef] = []
    for ds in datasets:
        for c in ds.clips():
            key = f"{ds.family}:{c.clip_id}"
            if key in owner:
                continue
            owner[key] = ds
            clips.append(c)
        log.info("%s", ds.describe())
    return clips, owner


def load_examples(datasets: Sequence[Dataset], owner: dict[str, Dataset], refs: Sequence[ClipRef],
                  args: argparse.Namespace, log: logging.Logger) -> dict[str, tuple[Dataset, Example]]:
    """Landmarks of ``refs``, each loaded by the dataset that owns it; unreadable clips are logged."""
    wanted = {c.clip_id for c in refs}
    examples: dict[str, tuple[Dataset, Example]] = {}
    for ds in datasets:
        mine = [c for c in ds.clips() if c.clip_id in wanted and owner[f"{ds.family}:{c.clip_id}"] is ds]
        if not mine:
            continue
        loaded = ds.load(mine, cache_dir=args.cache, workers=args.workers, progress=True)
        for clip_id, why in loaded.skipped.items():
            log.warning("skipped %s: %s", clip_id, why)
        for e in loaded.examples:
            examples[e.ref.clip_id] = (ds, e)
    return examples


def load_split(
    datasets: Sequence[Dataset], recipe, seed: int, args: argparse.Namespace, log: logging.Logger
) -> tuple[Split, dict[str, tuple[Dataset, Example]]]:
    """Split the datasets' clips (``seed`` picks the people) and load every clip in the split."""
    clips, owner = gather_clips(datasets, log)
    split = recipe.trainable(recipe.split(recipe.clips_of(clips), seed))
    if getattr(args, "limit", None):
        split = _limit(split, args.limit)
    examples = load_examples(datasets, owner, split.train + split.val + split.test, args, log)
    log.info("split: %s", split.describe())
    return split, examples


def _limit(split: Split, n: int) -> Split:
    """At most ``n`` clips per sign in each part (fast smoke runs)."""

    def cut(refs: list[ClipRef]) -> list[ClipRef]:
        seen: dict[str, int] = {}
        out = []
        for r in refs:
            if seen.get(r.label, 0) < n:
                seen[r.label] = seen.get(r.label, 0) + 1
                out.append(r)
        return out

    return Split(cut(split.train), cut(split.val), cut(split.test))


def label_entries(labels: Sequence[str], datasets: Sequence[Dataset], language: str = "") -> list[dict]:
    """labels.json entries: the first dataset that names a sign better than by its id wins;
    each with its category for the practice picker, where one is known."""
    from signdesk.practice.categories import CATEGORY_KEY, category_for

    out = []
    for label in labels:
        infos = [ds.label_info(label) for ds in datasets]
        named = [i for i in infos if i["name"] != label or i["gloss"]]
        entry = dict((named or infos)[0])
        category = category_for(language, str(entry.get("id", label)))
        if category:
            entry[CATEGORY_KEY] = category
        out.append(entry)
    return out


def _copy_atomic(src: Path, dst: Path) -> None:
    with atomic_path(dst) as tmp:
        shutil.copyfile(src, tmp)



def measure(onnx: Path, test: list[tuple[Dataset, Example]], exclude: set[str]) -> dict:
    """Test figures of one exported model, overall and per dataset family."""
    from signdesk.tools.evaluate import score
    from signdesk.recognizer import Recognizer

    recognizer = Recognizer(onnx)
    reports = {}
    for family in sorted({ds.family for ds, _ in test}):
        reports[family] = score(recognizer, [e for ds, e in test if ds.family == family], family, exclude)
    out = {"size_mb": round(onnx.stat().st_size / 2**20, 2)}
    for family, r in reports.items():
        d = r.to_json()
        out[family] = {"n": d["n"], "top1": d["top1"], "top5": d["top5"], "skipped": d["skipped"]["count"]}
    lat = np.concatenate([r.latency_ms for r in reports.values()]) if reports else np.zeros(1)
    out["latency_ms_median"] = float(np.median(lat))
    return out


def export_variants(result, out: Path, name: str, recipe, datasets: Sequence[Dataset], labels: list[str],
                    cfg: TrainConfig, probe_examples: Sequence[Example], log: logging.Logger) -> tuple[Path, Path]:
    """The trained model as ``model.onnx`` (fp32, checked against torch) and ``model.int8.onnx``,
    each with its labels file."""
    from signdesk.tools.export import export_onnx, parity, write_labels
    from signdesk.train.data import windows_of

    onnx = out / "model.onnx"
    export_onnx(result.model, onnx)
    probe = windows_of(list(probe_examples)[:8])
    if len(probe) < 2:
        probe = np.concatenate([probe, probe])
    diff = parity(result.model, onnx, probe)
    log.info("ONNX parity: max |logit difference| %.2e", diff)
    if diff > 1e-3:
        raise RuntimeError(f"ONNX export differs from torch by {diff:.2e}")
    meta = {"model": name, "language": recipe.language or (datasets[0].language if datasets else ""),
            "recipe": recipe.name, "trained": dt.date.today().isoformat(), "classes": len(labels),
            MIRRORED_KEY: cfg.mirror_average}
    entries = label_entries(labels, list(datasets), meta["language"])
    write_labels(out / "labels.json", entries, {**meta, PRECISION_KEY: "fp32"})
    int8 = quantize_int8(onnx, out / "model.int8.onnx")
    write_labels(out / "model.int8.labels.json", entries, {**meta, PRECISION_KEY: "int8"})
    return onnx, int8


def run_recipe(recipe, datasets: Sequence[Dataset], cfg: TrainConfig, out: Path, name: str,
               args: argparse.Namespace, log: logging.Logger, split_seed: int | None = None) -> dict:
    from signdesk.train.loop import train

    split_seed = cfg.seed if split_seed is None else split_seed
    split, examples = load_split(datasets, recipe, split_seed, args, log)

    def ex(refs: list[ClipRef]) -> list[tuple[Dataset, Example]]:
        return [examples[r.clip_id] for r in refs if r.clip_id in examples]

    train_ex, val_ex, test_ex = ex(split.train), ex(split.val), ex(split.test)
    labels = sorted({e.ref.label for _, e in train_ex})
    val_ex = [(d, e) for d, e in val_ex if e.ref.label in labels]
    if not train_ex:
        raise ValueError("no training clips after the split")
    log.info("%d signs; config %s", len(labels), json.dumps(cfg.to_json()))
    result = train([e for _, e in train_ex], [e for _, e in val_ex], labels, cfg, out, resume=args.resume)
    onnx, int8 = export_variants(result, out, name, recipe, datasets, labels, cfg,
                                 [e for _, e in (val_ex or train_ex)], log)
    used = sorted(f"{d.family}:{e.ref.clip_id}" for d, e in train_ex + val_ex)
    write_json(out / "training_clips.json", {"model": name, "clips": used})

    exclude = set(used)
    figures = {"fp32": measure(onnx, test_ex, exclude), "int8": measure(int8, test_ex, exclude)}
    report = {
        "model": name, "recipe": recipe.name, "split": split.describe(), "split_seed": split_seed,
        "signers": {part: sorted({r.signer for r in refs})
                    for part, refs in (("train", split.train), ("val", split.val), ("test", split.test))},
        "best_epoch": result.best_epoch, "best_val_acc": result.best_val_acc, "stopped": result.stopped,
        "train_minutes": round(result.seconds / 60, 1), "config": cfg.to_json(), "test": figures,
    }
    write_json(out / "report.json", report)
    for variant, f in figures.items():
        parts = "; ".join(f"{fam} top-1 {v['top1'] * 100:.1f}% top-5 {v['top5'] * 100:.1f}% (n={v['n']})"
                          for fam, v in f.items() if isinstance(v, dict))
        log.info("test %s: %s; %.1f MB; %.2f ms/window", variant, parts, f["size_mb"], f["latency_ms_median"])
    if args.install:
        target = _REPO / "models" / (recipe.install_as or name)
        target.mkdir(parents=True, exist_ok=True)
        ship = int8 if recipe.ship == "int8" else onnx
        _copy_atomic(ship, target / "model.onnx")
        labels_of = {onnx: out / "labels.json", int8: out / "model.int8.labels.json"}
        _copy_atomic(labels_of[ship], target / "labels.json")
        _copy_atomic(out / "training_clips.json", target / "training_clips.json")
        log.info("installed %s as %s", ship.name, target)
    return report
