"""Person-level cross-validation: K person-disjoint folds, each a full run scored on people it never saw.

A single held-out split of a few people swings by 20 points with who is held out (the old
asl-basics card: 63-83 %), so recipes are compared on K folds instead. The folds come from a
split seed of their own (``--split-seed``), separate from the weight seed, so two recipes run
with the same split seed train and test on exactly the same people. Every person is tested
exactly once; the figures are those of the shipped (int8) variant, scored by
:func:`signdesk.tools.evaluate.score`, the code behind ``signdesk evaluate``.
"""

from __future__ import annotations

import argparse
import logging
from collections import Counter, defaultdict
from pathlib import Path
from typing import Sequence

import numpy as np

from signdesk.files import write_json
from signdesk.tools.datasets import ClipRef, Dataset
from signdesk.train.data import Split, choose_signers, people_per_label
from signdesk.train.loop import TrainConfig

VAL_FRACTION = 0.15
MIN_TRAINING_PEOPLE = 2  # a sign keeps at least this many training people in every fold
TRIES = 200


def person_folds(clips: Sequence[ClipRef], k: int, seed: int) -> list[list[str]]:
    """Partition the signers into ``k`` folds, spreading the people of rare signs first.

    A sign that only three people recorded must lose at most one of them to any test fold,
    or a fold would test a sign it barely trained; so people are placed rarest sign first,
    each into the fold where it costs the fewest such signs, then the fewest people of its
    signs, then the smallest fold. Deterministic for a seed.
    """
    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    people = people_per_label(clips)
    signs_of: dict[str, set[str]] = defaultdict(set)
    for label, who in people.items():
        for s in who:
            signs_of[s].add(label)
    if len(signs_of) < k:
        raise ValueError(f"{len(signs_of)} people cannot fill {k} folds")
    rng = np.random.default_rng(seed)
    best: tuple[int, list[list[str]]] | None = None
    for _ in range(TRIES):  # greedy placement can corner itself; a few seeded orders find a clean one
        order = [str(s) for s in rng.permutation(sorted(signs_of))]
        order.sort(key=lambda s: min(len(people[label]) for label in signs_of[s]))  # stable: seeded in ties
        folds = _place(order, k, people, signs_of)
        starved = sum(len(people[lb] - set(f)) < MIN_TRAINING_PEOPLE for f in folds for lb in people)
        if best is None or starved < best[0]:
            best = (starved, folds)
        if not starved:
            break
    return [sorted(f) for f in best[1]]


def _place(order: list[str], k: int, people: dict[str, set[str]], signs_of: dict[str, set[str]]) -> list[list[str]]:
    folds: list[list[str]] = [[] for _ in range(k)]
    held: list[Counter] = [Counter() for _ in range(k)]

    def cost(f: int, s: str) -> tuple:
        starved = sum(len(people[lb]) - held[f][lb] - 1 < MIN_TRAINING_PEOPLE for lb in signs_of[s])
        crowding = sum(held[f][lb] / len(people[lb]) for lb in signs_of[s])
        return starved, crowding, len(folds[f]), f

    for s in order:
        best = min(range(k), key=lambda f: cost(f, s))
        folds[best].append(s)
        held[best].update(signs_of[s])
    return folds


def fold_split(clips: Sequence[ClipRef], test_people: Sequence[str], seed: int) -> Split:
    """Test = the fold's people; validation = some of the others (every sign keeps two training people)."""
    test = set(test_people)
    rest = [c for c in clips if c.signer not in test]
    val = choose_signers(rest, VAL_FRACTION, min_left=MIN_TRAINING_PEOPLE, seed=seed)
    return Split([c for c in rest if c.signer not in val], [c for c in rest if c.signer in val],
                 [c for c in clips if c.signer in test])


def summarize(predictions: list[dict], fold_top1: list[float]) -> dict:
    """Mean ± sd over folds, and the pooled figures per person and per sign."""
    from signdesk.tools.calibration import expected_calibration_error, precision_threshold

    def group(key: str) -> dict[str, dict]:
        out: dict[str, list[bool]] = defaultdict(list)
        for p in predictions:
            out[p[key]].append(p["top5"][0] == p["true"])
        return {g: {"n": len(v), "top1": float(np.mean(v))} for g, v in sorted(out.items())}

    hits = np.array([p["top5"][0] == p["true"] for p in predictions], dtype=bool)
    conf = np.array([p["confidence"] for p in predictions], dtype=float)
    per_person = group("signer")
    return {
        "folds": len(fold_top1),
        "top1_mean": float(np.mean(fold_top1)), "top1_sd": float(np.std(fold_top1, ddof=1)),
        "fold_top1": fold_top1,
        "pooled": {"n": int(len(hits)), "top1": float(hits.mean()),
                   "top5": float(np.mean([p["true"] in p["top5"] for p in predictions])),
                   "person_mean_top1": float(np.mean([v["top1"] for v in per_person.values()])),
                   "ece": expected_calibration_error(conf, hits),
                   "precision_threshold": precision_threshold(conf, hits)},
        "per_sign": group("true"),
        "per_person": per_person,
    }


def run_cv(recipe, datasets: Sequence[Dataset], cfg: TrainConfig, out: Path, name: str,
           args: argparse.Namespace, log: logging.Logger, k: int, split_seed: int) -> dict:
    """Train and score ``k`` person-disjoint folds; writes ``cv.json`` (every prediction kept)."""
    from signdesk.recognizer import Recognizer
    from signdesk.tools.evaluate import score
    from signdesk.train.loop import train
    from signdesk.train.run import export_variants, gather_clips, load_examples

    clips, owner = gather_clips(datasets, log)
    clips = recipe.clips_of(clips)
    folds = person_folds(clips, k, split_seed)
    examples = load_examples(datasets, owner, clips, args, log)
    labels = sorted({c.label for c in clips if c.clip_id in examples})
    signer_of = {c.clip_id: c.signer for c in clips}
    predictions: list[dict] = []
    fold_rows: list[dict] = []
    for i, people in enumerate(folds):
        split = recipe.trainable(fold_split(clips, people, split_seed + 1000 + i))
        log.info("fold %d/%d: test %s; %s", i + 1, k, ", ".join(people), split.describe())
        part = {name_: [examples[r.clip_id] for r in refs if r.clip_id in examples]
                for name_, refs in (("train", split.train), ("val", split.val), ("test", split.test))}
        fold_out = out / f"fold-{i + 1}"
        result = train([e for _, e in part["train"]], [e for _, e in part["val"]], labels, cfg, fold_out,
                       progress=False)
        _, int8 = export_variants(result, fold_out, f"{name}-fold{i + 1}", recipe, datasets, labels, cfg,
                                  [e for _, e in part["val"] or part["train"]], log)
        recognizer = Recognizer(int8)
        mine: list[dict] = []
        for family in sorted({ds.family for ds, _ in part["test"]}):
            report = score(recognizer, [e for ds, e in part["test"] if ds.family == family], family)
            for p in report.to_json()["predictions"]:
                mine.append({**p, "signer": signer_of[p["clip"]], "fold": i + 1})
        top1 = float(np.mean([p["top5"][0] == p["true"] for p in mine]))
        fold_rows.append({"fold": i + 1, "test_people": people, "n": len(mine), "top1": top1,
                          "best_epoch": result.best_epoch, "stopped": result.stopped,
                          "train_minutes": round(result.seconds / 60, 1)})
        log.info("fold %d/%d: top-1 %.1f%% (n=%d), best epoch %d", i + 1, k, top1 * 100, len(mine), result.best_epoch)
        predictions += mine
    summary = summarize(predictions, [r["top1"] for r in fold_rows])
    doc = {"model": name, "recipe": recipe.name, "datasets": [str(ds.root) for ds in datasets], "k": k,
           "split_seed": split_seed, "config": cfg.to_json(), "labels": labels, "folds": fold_rows,
           "summary": summary, "predictions": predictions}
    write_json(out / "cv.json", doc)
    log.info("cross-validation, %d folds: top-1 %.1f ± %.1f %% (mean ± sd over folds); pooled %.1f %% (n=%d)",
             k, summary["top1_mean"] * 100, summary["top1_sd"] * 100, summary["pooled"]["top1"] * 100,
             summary["pooled"]["n"])
    return {"cv": {key: summary[key] for key in ("folds", "top1_mean", "top1_sd", "fold_top1")},
            "pooled": summary["pooled"], "per_sign": summary["per_sign"]}
