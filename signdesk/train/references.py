"""``python -m signdesk.train.references --model NAME``: practice references for a bundled model.

For each sign of the model, the clips that trained it (``training_clips.json``) are gathered
from the recipe's dataset folders, up to ``--max-clips`` of them spread over the people
(seeded), and averaged by :func:`signdesk.practice.reference.average_reference` (time-aligned,
in the body frame). A sign with fewer than ``--min-clips`` usable clips or ``--min-people``
people gets no reference, and the summary says why: the rule is never relaxed, because a
reference from one person would ship that person's recorded landmarks.

Writes ``models/<name>/references.npz`` (label id → float16 (T, 184, 4), plus ``fps``; float16
keeps the file small, :func:`~signdesk.practice.reference.bundled_reference` returns float32)
and ``models/<name>/references.json`` (per sign: clips and people used, or why skipped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from signdesk.files import write_json, write_npz
from signdesk.landmarks import LEFT_HAND_ROWS, RIGHT_HAND_ROWS
from signdesk.practice.reference import (
    FPS_KEY,
    MIN_CLIPS,
    MIN_PEOPLE,
    REFERENCES_FILE,
    average_reference,
)

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.tools.datasets import ClipRef, Dataset

log = logging.getLogger("signdesk.references")

_REPO = Path(__file__).resolve().parents[2]
SUMMARY_FILE = "references.json"
#: Frame rate of every dataset clip: the adapters put all of them on a live-like 30 fps line.
DATASET_FPS = 30.0
#: Clips averaged per sign at most: enough to wash out any one person, few enough to stay fast.
MAX_CLIPS = 20
#: A clip is usable when a hand is seen in at least this many frames...
MIN_HAND_FRAMES = 5
#: ...and its hands-seen span lies within this factor of the sign's median span (GISLR holds
#: a few 2-frame and 270-frame clips of one sign, which would only drag the timing).
DURATION_FACTOR = 2.0


def hand_span(frames: NDArray) -> tuple[int, int]:
    """(frames with a hand seen, length of the first-to-last hand-seen span)."""
    hands = np.any(frames[:, RIGHT_HAND_ROWS] != 0, axis=(1, 2)) | np.any(frames[:, LEFT_HAND_ROWS] != 0, axis=(1, 2))
    idx = np.flatnonzero(hands)
    return (len(idx), int(idx[-1] - idx[0] + 1)) if len(idx) else (0, 0)


def has_shoulders(frames: NDArray) -> bool:
    return bool(np.all(np.any(frames[:, 0:2, :] != 0, axis=-1), axis=-1).any())


def usable(examples: list[tuple[str, str, NDArray]]) -> tuple[list[tuple[str, str, NDArray]], dict[str, int]]:
    """The clips fit to average (key, person, frames) and how many were dropped for what."""
    dropped: dict[str, int] = defaultdict(int)
    first = []
    for key, person, frames in examples:
        seen, span = hand_span(frames)
        if not has_shoulders(frames):
            dropped["no shoulders"] += 1
        elif seen < MIN_HAND_FRAMES:
            dropped[f"hand seen in < {MIN_HAND_FRAMES} frames"] += 1
        else:
            first.append((key, person, frames, span))
    if not first:
        return [], dict(dropped)
    median = float(np.median([s for *_, s in first]))
    kept = []
    for key, person, frames, span in first:
        if median / DURATION_FACTOR <= span <= median * DURATION_FACTOR:
            kept.append((key, person, frames))
        else:
            dropped[f"duration not within {DURATION_FACTOR:g}x of the median"] += 1
    return kept, dict(dropped)


def spread(clips: list[tuple[str, str, NDArray]], n: int, seed: int) -> list[tuple[str, str, NDArray]]:
    """Up to ``n`` clips taken round-robin over the people (random order, seeded)."""
    rng = random.Random(seed)
    by_person: dict[str, list] = defaultdict(list)
    for c in clips:
        by_person[c[1]].append(c)
    people = sorted(by_person)
    rng.shuffle(people)
    for p in people:
        rng.shuffle(by_person[p])
    out: list = []
    while len(out) < n and any(by_person[p] for p in people):
        for p in people:
            if by_person[p] and len(out) < n:
                out.append(by_person[p].pop())
    return out


def training_examples(model_dir: Path, data_root: Path) -> tuple[dict[str, list[tuple[str, str, NDArray]]], list[str]]:
    """Per label: (clip key, person, raw frames) of every clip the model trained on, and the folders read."""
    from signdesk.tools.datasets import open_dataset
    from signdesk.train.recipes import RECIPES

    doc = json.loads((model_dir / "training_clips.json").read_text(encoding="utf-8"))
    wanted = set(doc["clips"])
    recipe = RECIPES.get(doc.get("model", model_dir.name)) or RECIPES[model_dir.name]
    out: dict[str, list[tuple[str, str, NDArray]]] = defaultdict(list)
    seen: set[str] = set()
    for folder in recipe.datasets:
        ds: Dataset = open_dataset(data_root / folder)
        mine: list[ClipRef] = [c for c in ds.clips() if f"{ds.family}:{c.clip_id}" in wanted
                               and f"{ds.family}:{c.clip_id}" not in seen]
        seen.update(f"{ds.family}:{c.clip_id}" for c in mine)
        loaded = ds.load(mine, cache_dir=None, progress=False)
        for clip_id, why in loaded.skipped.items():
            log.warning("skipped %s: %s", clip_id, why)
        for e in loaded.examples:
            out[e.ref.label].append((f"{ds.family}:{e.ref.clip_id}", e.ref.signer, e.frames))
    missing = len(wanted - seen)
    if missing:
        log.warning("%d training clips were not found under %s", missing, data_root)
    return out, list(recipe.datasets)


def build(model: str, data_root: Path, min_clips: int = MIN_CLIPS, min_people: int = MIN_PEOPLE,
          max_clips: int = MAX_CLIPS, seed: int = 0, models_root: Path | None = None) -> dict:
    """Make and write one model's references; returns the summary that was written beside them."""
    if min_clips < MIN_CLIPS or min_people < MIN_PEOPLE:
        raise ValueError(f"--min-clips must be >= {MIN_CLIPS} and --min-people >= {MIN_PEOPLE}: "
                         "fewer would ship one person's recorded landmarks")
    model_dir = (models_root or _REPO / "models") / model
    labels = [entry["id"] for entry in json.loads((model_dir / "labels.json").read_text(encoding="utf-8"))["labels"]]
    if FPS_KEY in labels:
        raise ValueError(f"a label id is {FPS_KEY!r}, the key the frame rate is stored under")
    by_label, folders = training_examples(model_dir, data_root)
    refs: dict[str, NDArray] = {}
    signs: dict[str, dict] = {}
    for label in labels:
        pool = by_label.get(label, [])
        clips, dropped = usable(pool)
        people = sorted({p for _, p, _ in clips})
        entry: dict = {"training_clips": len(pool), "training_people": len({p for _, p, _ in pool})}
        if dropped:
            entry["dropped"] = dropped
        if len(clips) < min_clips or len(people) < min_people:
            entry["skipped"] = (f"{len(clips)} usable training clips of {len(people)} "
                                f"{'person' if len(people) == 1 else 'people'}; a reference needs "
                                f">= {min_clips} clips of >= {min_people} people")
            signs[label] = entry
            log.info("%s: no reference (%s)", label, entry["skipped"])
            continue
        chosen = spread(clips, max_clips, seed)
        ref = average_reference([c[2] for c in chosen], [DATASET_FPS] * len(chosen), [c[1] for c in chosen],
                                min_clips, min_people)
        refs[label] = ref.astype(np.float16)
        entry.update(clips=len(chosen), people=len({c[1] for c in chosen}), frames=len(ref),
                     seconds=round(len(ref) / DATASET_FPS, 2), clip_keys=sorted(c[0] for c in chosen))
        signs[label] = entry
        log.info("%s: reference of %d frames from %d clips of %d people", label, len(ref), entry["clips"],
                 entry["people"])
    npz = model_dir / REFERENCES_FILE
    if refs:
        write_npz(npz, **{FPS_KEY: np.float32(DATASET_FPS)}, **refs)
    elif npz.exists():
        npz.unlink()
    summary = {
        "model": model,
        "made": dt.date.today().isoformat(),
        "command": (f"python -m signdesk.train.references --model {model} --min-clips {min_clips} "
                    f"--min-people {min_people} --max-clips {max_clips} --seed {seed}"),
        "method": "time-aligned average (signdesk.practice.reference.average_reference) of up to "
                  f"{max_clips} training clips per sign spread over the people: body frame, left-dominant "
                  "clips mirrored, trimmed to the hands-seen span, resampled to the median duration, DTW-aligned "
                  "to the medoid clip, per-part mean where >= half the clips see the part, placed at the median "
                  "shoulder position; stored as float16",
        "datasets": folders,
        "fps": DATASET_FPS,
        "with_reference": sorted(refs),
        "signs": signs,
    }
    write_json(model_dir / SUMMARY_FILE, summary)
    return summary


def main(argv: list[str] | None = None) -> int:
    from signdesk.train.cli import default_data_root

    p = argparse.ArgumentParser(prog="python -m signdesk.train.references", description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, help="bundled model name (a folder in models/)")
    p.add_argument("--data", type=Path, default=None, help=f"dataset root (default: {default_data_root()})")
    p.add_argument("--min-clips", type=int, default=MIN_CLIPS, help=f"fewest clips per reference (>= {MIN_CLIPS})")
    p.add_argument("--min-people", type=int, default=MIN_PEOPLE,
                   help=f"fewest people per reference (>= {MIN_PEOPLE})")
    p.add_argument("--max-clips", type=int, default=MAX_CLIPS, help="most clips averaged per sign")
    p.add_argument("--seed", type=int, default=0, help="which clips are picked when there are more")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        summary = build(args.model, args.data or default_data_root(), args.min_clips, args.min_people,
                        args.max_clips, args.seed)
    except (OSError, ValueError, KeyError) as exc:
        print(f"signdesk references: {exc}", file=sys.stderr)
        return 1
    n = len(summary["with_reference"])
    print(f"{args.model}: references for {n} of {len(summary['signs'])} signs → models/{args.model}/{REFERENCES_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
