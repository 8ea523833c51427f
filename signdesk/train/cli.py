"""``signdesk train``: train, export, quantize, measure and (optionally) install a model.

``signdesk train --recipe karsl-arabic --install`` rebuilds a bundled model from
``../shared/data``; ``signdesk train DATASET_DIR... --name NAME`` trains on any folders in a
known layout. Every run writes to ``runs/<name>/`` (git-ignored): ``train.log``, checkpoints,
``model.onnx`` (fp32), ``model.int8.onnx`` (dynamic int8), labels, the list of clips used for
training and validation, and ``report.json`` with the test figures of both variants, measured
by the same code as ``signdesk evaluate``. torch is imported inside :func:`run` only.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]


def default_data_root() -> Path:
    env = os.environ.get("SIGNDESK_SHARED_DATA")
    return Path(env) if env else _REPO.parent / "shared" / "data"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from signdesk.train.recipes import RECIPES

    p.add_argument("datasets", nargs="*", type=Path, metavar="DATASET_DIR",
                   help="dataset folders to train on (instead of a recipe)")
    p.add_argument("--recipe", choices=sorted(RECIPES), help="rebuild a bundled model or a reported experiment")
    p.add_argument("--list-recipes", action="store_true", help="list the recipes and exit")
    p.add_argument("--name", help="model name (default: the recipe's name)")
    p.add_argument("--data", type=Path, default=None, metavar="DIR",
                   help=f"folder holding the recipe's datasets (default: $SIGNDESK_SHARED_DATA or {default_data_root()})")
    p.add_argument("--out", type=Path, metavar="DIR", help="run folder (default: runs/<name>)")
    p.add_argument("--install", action="store_true",
                   help="copy the shipped variant, labels and training-clip list into models/<name>/")
    p.add_argument("--resume", action="store_true", help="continue from the run folder's checkpoint")
    p.add_argument("--seed", type=int, default=None, help="weight seed: initial weights, batches, augmentation (default 0)")
    p.add_argument("--split-seed", type=int, default=None, metavar="N",
                   help="which people are held out (default: the weight seed); keep it fixed to compare recipes")
    p.add_argument("--cv", type=int, metavar="K",
                   help="person-level cross-validation: K person-disjoint folds, each trained and scored on "
                        "people it never saw; prints mean ± sd of top-1 and writes cv.json")
    p.add_argument("--threads", type=int, help="torch threads (default 2)")
    p.add_argument("--epochs", type=int, help="maximum epochs")
    p.add_argument("--steps", type=int, help="batches per epoch")
    p.add_argument("--batch", type=int, help="batch size")
    p.add_argument("--lr", type=float, help="peak learning rate")
    p.add_argument("--hidden", type=int, help="hidden size (default 384, as designed)")
    p.add_argument("--blocks", type=int, help="BiLSTM blocks (default 4)")
    p.add_argument("--patience", type=int, help="early stopping: epochs without validation gain")
    p.add_argument("--time-budget", type=float, metavar="MIN", help="stop training after this many minutes")
    p.add_argument("--balance", choices=["sign-person", "sign", "none"],
                   help="how batches draw clips: sign then person uniform (default), sign uniform, or clip uniform")
    p.add_argument("--no-augment", action="store_true", help="train without augmentation (for comparison)")
    p.add_argument("--no-flip", action="store_true", help="no mirror-image augmentation")
    p.add_argument("--no-mirror-average", action="store_true",
                   help="validate and export the bare model instead of the mirror-averaged one")
    p.add_argument("--augment", action="append", default=[], metavar="NAME=VALUE",
                   help="override one augmentation setting (see signdesk.train.augment.AugmentConfig), "
                        "e.g. face_drop=0.5 or speed=0.6,1.6; repeatable")
    p.add_argument("--cache", type=Path, metavar="DIR", help="landmark cache folder")
    p.add_argument("--workers", type=int, default=2, help="MediaPipe processes for uncached videos (max 2)")
    p.add_argument("--limit", type=int, metavar="N", help=argparse.SUPPRESS)  # smoke tests: N clips per sign


def _config(args: argparse.Namespace, settings: dict):
    from dataclasses import replace

    from signdesk.train.augment import AugmentConfig
    from signdesk.train.loop import TrainConfig
    from signdesk.train.recipes import augment_from

    base = {k: v for k, v in settings.items() if k != "augment"}
    cfg = TrainConfig(**base, augment=augment_from(settings))
    overrides = {"epochs": args.epochs, "steps_per_epoch": args.steps, "batch_size": args.batch, "lr": args.lr,
                 "hidden": args.hidden, "blocks": args.blocks, "patience": args.patience,
                 "time_budget_min": args.time_budget, "seed": args.seed, "threads": args.threads,
                 "balance": args.balance,
                 "mirror_average": False if args.no_mirror_average else None}
    cfg = replace(cfg, **{k: v for k, v in overrides.items() if v is not None})
    if args.no_augment:
        cfg = replace(cfg, augment=AugmentConfig.off(), sparse_prob=0.0)
    elif args.no_flip:
        cfg = replace(cfg, augment=replace(cfg.augment, flip=0.0))
    return replace(cfg, augment=_augment_overrides(cfg.augment, args.augment))


def _augment_overrides(base, pairs: list[str]):
    """Apply ``NAME=VALUE`` overrides (``a,b`` for a range) to an AugmentConfig."""
    from dataclasses import fields, replace

    from signdesk.cli import CLIError

    known = {f.name: f for f in fields(base)}
    changes = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in known or not value:
            raise CLIError(f"--augment {pair}: expected NAME=VALUE with NAME one of {', '.join(known)}", 2)
        try:
            numbers = tuple(float(v) for v in value.split(","))
        except ValueError:
            raise CLIError(f"--augment {pair}: {value!r} is not a number") from None
        is_range = isinstance(getattr(base, name), tuple)
        if is_range != (len(numbers) == 2) or len(numbers) > 2:
            raise CLIError(f"--augment {pair}: {name} takes {'two numbers a,b' if is_range else 'one number'}", 2)
        changes[name] = numbers if is_range else numbers[0]
    return replace(base, **changes)


def _setup_log(out: Path) -> logging.Logger:
    log = logging.getLogger("signdesk.train")
    log.setLevel(logging.INFO)
    log.propagate = False
    for h in list(log.handlers):
        log.removeHandler(h)
    fmt = logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S")
    for handler in (logging.FileHandler(out / "train.log", encoding="utf-8"), logging.StreamHandler(sys.stderr)):
        handler.setFormatter(fmt)
        log.addHandler(handler)
    return log


def run(args: argparse.Namespace) -> int:
    from signdesk.cli import CLIError
    from signdesk.tools.datasets import DatasetError, open_dataset
    from signdesk.train.recipes import RECIPES, Recipe, split_generic

    if args.list_recipes:
        for r in RECIPES.values():
            where = f" → models/{r.install_as}/" if r.install_as else ""
            print(f"{r.name:<22} {r.summary}{where}")
        return 0
    if args.recipe and args.datasets:
        raise CLIError("give either --recipe or dataset folders, not both", 2)
    if args.recipe:
        recipe = RECIPES[args.recipe]
        root = args.data or default_data_root()
        folders = [root / d for d in recipe.datasets]
    elif args.datasets:
        if not args.name:
            raise CLIError("--name is required when training on dataset folders", 2)
        recipe = Recipe(args.name, "custom", tuple(str(d) for d in args.datasets), split_generic, "")
        folders = list(args.datasets)
    else:
        raise CLIError("nothing to train: give --recipe NAME (see --list-recipes) or dataset folders", 2)
    name = args.name or recipe.name
    if args.cv is not None and (args.install or args.resume):
        raise CLIError("--cv trains one model per fold; it cannot --install or --resume", 2)
    if args.cv is not None and args.cv < 2:
        raise CLIError("--cv needs at least 2 folds", 2)
    if args.install and not (recipe.install_as or args.datasets):
        raise CLIError(f"recipe {recipe.name} is an experiment; it is never installed as a bundled model", 2)
    try:
        datasets = [open_dataset(f) for f in folders]
    except DatasetError as exc:
        raise CLIError(str(exc)) from None

    try:
        import torch  # noqa: F401  (the training extra; the app itself never needs it)
    except ImportError:
        raise CLIError("signdesk train needs PyTorch: pip install -e \".[train]\" (torch 2.13.0, CPU build)") from None
    from signdesk.train.cv import run_cv
    from signdesk.train.run import run_recipe

    out = args.out or _REPO / "runs" / (name if args.cv is None else f"{name}-cv{args.cv}")
    out.mkdir(parents=True, exist_ok=True)
    log = _setup_log(out)
    t0 = time.monotonic()
    cfg = _config(args, recipe.settings)
    split_seed = cfg.seed if args.split_seed is None else args.split_seed
    if args.cv is not None:
        try:
            result = run_cv(recipe, datasets, cfg, out, name, args, log, args.cv, split_seed)
        except ValueError as exc:
            raise CLIError(f"--cv {args.cv}: {exc}") from None
    else:
        result = run_recipe(recipe, datasets, cfg, out, name, args, log, split_seed)["test"]
    log.info("done in %.1f min; run folder %s", (time.monotonic() - t0) / 60, out)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0
