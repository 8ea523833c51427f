"""The training loop: AdamW, warm-up + cosine schedule, label smoothing, early stopping.

Every epoch draws a fixed number of freshly augmented balanced batches, then scores the
validation windows (clean plus fixed augmented copies) with the model as it will be exported
(mirror-averaged by default, see :mod:`signdesk.train.symmetric`). The best epoch by
validation accuracy (ties: the later epoch) is kept; training stops after ``patience``
epochs without a gain in accuracy or at the time budget. A checkpoint (model, optimizer,
schedule, random states, history) is written atomically after every epoch, so ``--resume``
continues an interrupted run exactly.
"""

from __future__ import annotations

import logging
import math
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np
import torch
from torch import nn

from signdesk.files import atomic_path, write_json
from signdesk.train.model import SignModel
from signdesk.train.augment import AugmentConfig
from signdesk.train.data import Batcher, windows_of
from signdesk.train.symmetric import MirrorAveraged

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.tools.datasets import Example

log = logging.getLogger("signdesk.train")


@dataclass
class TrainConfig:
    """Hyper-parameters of one run (saved beside the checkpoint)."""

    epochs: int = 60
    steps_per_epoch: int = 40
    batch_size: int = 32
    lr: float = 1e-3
    weight_decay: float = 0.05
    warmup_epochs: int = 2
    label_smoothing: float = 0.1
    patience: int = 12
    min_epochs: int = 10
    seed: int = 0
    hidden: int = 384
    blocks: int = 4
    lstm_dropout: float = 0.2
    head_dropout: float = 0.5
    sparse_prob: float = 0.25
    balance: str = "sign-person"  # a signdesk.train.data.Balance value (kept a string: the config is JSON)
    val_variants: int = 3  # augmented copies of each validation clip (besides the clean one)
    mirror_average: bool = True  # validate and export the mirror-averaged model (symmetric.py)
    time_budget_min: float = 50.0
    threads: int = 2
    augment: AugmentConfig = field(default_factory=AugmentConfig)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class TrainResult:
    model: nn.Module  # what gets exported: the SignModel, mirror-averaged if configured
    best_epoch: int
    best_val_acc: float
    history: list[dict]
    seconds: float
    stopped: str


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _save_atomic(obj: object, path: Path) -> None:
    with atomic_path(path) as tmp:
        torch.save(obj, tmp)


def evaluate_windows(model: nn.Module, x: np.ndarray, y: np.ndarray, batch: int = 128) -> tuple[float, float]:
    """(accuracy, mean cross-entropy) of ``model`` on fixed windows."""
    if not len(x):
        return float("nan"), float("nan")
    model.eval()
    losses, hits = [], 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            logits, _ = model(torch.from_numpy(x[i:i + batch]))
            target = torch.from_numpy(y[i:i + batch])
            losses.append(float(nn.functional.cross_entropy(logits, target, reduction="sum")))
            hits += int((logits.argmax(1) == target).sum())
    return hits / len(x), sum(losses) / len(x)


def validation_windows(examples: Sequence[Example], index: dict[str, int], cfg: TrainConfig) -> tuple:
    """Clean windows of the validation clips plus ``val_variants`` fixed augmented copies.

    With few signers, validation clips come from training signers and clean accuracy
    saturates at 100 % within an epoch or two; the augmented copies (fixed seed, so every
    epoch sees the same ones) keep the measure informative for early stopping.
    """
    from signdesk.train.augment import augment
    from signdesk.windowing import window_of

    rng = np.random.default_rng(cfg.seed + 12345)
    xs, ys = [], []
    for e in examples:
        xs.append(window_of(e.frames))
        xs.extend(window_of(augment(e.frames, cfg.augment, rng)) for _ in range(cfg.val_variants))
        ys.extend([index[e.ref.label]] * (1 + cfg.val_variants))
    if not xs:
        return windows_of([]), np.zeros(0, dtype=np.int64)
    return np.stack(xs), np.asarray(ys, dtype=np.int64)


def train(
    train_examples: Sequence[Example],
    val_examples: Sequence[Example],
    labels: Sequence[str],
    cfg: TrainConfig,
    out_dir: Path,
    resume: bool = False,
    progress: bool = True,
) -> TrainResult:
    """Train a :class:`SignModel` on ``labels`` (class order); checkpoints go to ``out_dir``."""
    from tqdm import tqdm

    torch.set_num_threads(max(1, cfg.threads))
    seed_everything(cfg.seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    index = {label: i for i, label in enumerate(labels)}
    model = SignModel(len(labels), hidden=cfg.hidden, blocks=cfg.blocks,
                      lstm_dropout=cfg.lstm_dropout, head_dropout=cfg.head_dropout)
    net = MirrorAveraged(model) if cfg.mirror_average else model
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    total = cfg.epochs * cfg.steps_per_epoch
    warm = cfg.warmup_epochs * cfg.steps_per_epoch

    def lr_at(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        return 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warm) / max(1, total - warm))))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_at)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=cfg.label_smoothing)
    batcher = Batcher(train_examples, index, cfg.augment, cfg.seed, cfg.sparse_prob, cfg.balance)
    val_x, val_y = validation_windows(val_examples, index, cfg)

    ckpt_path = out_dir / "checkpoint.pt"
    best_path = out_dir / "best.pt"
    history: list[dict] = []
    start_epoch, best_acc, gain_epoch, best_epoch, elapsed = 0, -1.0, 0, -1, 0.0
    if resume and ckpt_path.is_file():
        state = torch.load(ckpt_path, weights_only=False)
        if state["labels"] != list(labels) or state["config"] != cfg.to_json():
            raise ValueError(f"{ckpt_path}: checkpoint is from a different run (labels or settings differ)")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        batcher.rng.bit_generator.state = state["batcher_rng"]
        torch.set_rng_state(state["torch_rng"])
        start_epoch, history = state["epoch"] + 1, state["history"]
        best_acc, gain_epoch, best_epoch, elapsed = state["best"]
        log.info("resumed from %s at epoch %d", ckpt_path, start_epoch)

    t0 = time.monotonic() - elapsed
    stopped = "epochs"
    for epoch in range(start_epoch, cfg.epochs):
        model.train()
        losses = []
        bar = tqdm(batcher.batches(cfg.steps_per_epoch, cfg.batch_size), total=cfg.steps_per_epoch,
                   desc=f"epoch {epoch + 1}/{cfg.epochs}", unit="batch", disable=not progress, leave=False)
        for x, y in bar:
            logits, _ = model(torch.from_numpy(x))  # flip augmentation teaches both hands
            loss = loss_fn(logits, torch.from_numpy(y))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            losses.append(float(loss.detach()))
            bar.set_postfix(loss=f"{np.mean(losses[-10:]):.3f}")
        val_acc, val_loss = evaluate_windows(net, val_x, val_y)
        row = {"epoch": epoch + 1, "train_loss": float(np.mean(losses)), "val_acc": val_acc, "val_loss": val_loss,
               "lr": schedule.get_last_lr()[0], "minutes": (time.monotonic() - t0) / 60}
        history.append(row)
        # keep the latest epoch among equals (later = further annealed): with few signers the
        # validation accuracy saturates early, and its loss then mostly measures confidence
        improved = not len(val_x) or val_acc >= best_acc
        if not len(val_x) or val_acc > best_acc:
            gain_epoch = epoch + 1
        if improved:
            best_acc, best_epoch = val_acc, epoch + 1
            _save_atomic(model.state_dict(), best_path)
        log.info("epoch %3d  train loss %.4f  val acc %.4f  val loss %.4f  lr %.2e  %.1f min%s",
                 epoch + 1, row["train_loss"], val_acc, val_loss, row["lr"], row["minutes"], "  *" if improved else "")
        _save_atomic({
            "model": model.state_dict(), "optimizer": optimizer.state_dict(), "schedule": schedule.state_dict(),
            "batcher_rng": batcher.rng.bit_generator.state, "torch_rng": torch.get_rng_state(),
            "epoch": epoch, "history": history, "labels": list(labels), "config": cfg.to_json(),
            "best": (best_acc, gain_epoch, best_epoch, time.monotonic() - t0),
        }, ckpt_path)
        if epoch + 1 >= cfg.min_epochs and epoch + 1 - gain_epoch >= cfg.patience:
            stopped = f"early stop: no validation gain for {cfg.patience} epochs"
            break
        if (time.monotonic() - t0) / 60 > cfg.time_budget_min:
            stopped = f"time budget of {cfg.time_budget_min:.0f} min reached"
            break
    write_json(out_dir / "history.json", history)
    model.load_state_dict(torch.load(best_path, weights_only=True))
    net.eval()
    log.info("best epoch %d (val acc %.4f); %s", best_epoch, best_acc, stopped)
    return TrainResult(net, best_epoch, best_acc, history, time.monotonic() - t0, stopped)
