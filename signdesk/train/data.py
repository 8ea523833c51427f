"""Training sets: signer-disjoint splits, balanced batches of augmented model windows.

A model sees what the app feeds it: raw landmarks → :func:`~signdesk.landmarks.normalize`
→ :func:`~signdesk.windowing.to_window` (short clips padded by repeating the last frame).
Augmentation (:mod:`signdesk.train.augment`) happens on the raw landmarks before that.
numpy only; the loop turns batches into tensors.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Iterator, Sequence

import numpy as np

from signdesk.landmarks import FEATURE_DIM, WINDOW_LENGTH
from signdesk.tools.datasets import ClipRef, Example
from signdesk.train.augment import AugmentConfig, augment
from signdesk.windowing import window_of

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray


def windows_of(examples: Sequence[Example]) -> NDArray:
    return np.stack([window_of(e.frames) for e in examples]) if examples else np.zeros((0, WINDOW_LENGTH, FEATURE_DIM), np.float32)


# --- splits ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """Which clips train, which pick the epoch (validation), which measure (test)."""

    train: list[ClipRef]
    val: list[ClipRef]
    test: list[ClipRef]

    def describe(self) -> str:
        def signers(refs: list[ClipRef]) -> int:
            return len({r.signer for r in refs})

        return (f"train {len(self.train)} clips / {signers(self.train)} signers, "
                f"val {len(self.val)} / {signers(self.val)}, test {len(self.test)} / {signers(self.test)}")


def people_per_label(clips: Sequence[ClipRef]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for c in clips:
        out[c.label].add(c.signer)
    return out


def choose_signers(
    clips: Sequence[ClipRef], fraction: float, min_left: int, seed: int, cover: bool = True
) -> set[str]:
    """Pick signers to hold out so that every label keeps ``min_left`` signers elsewhere.

    With ``cover``, labels are first given one held-out signer each (rarest labels first)
    where that is possible; then random signers are added until ``fraction`` of all signers
    is held out. Deterministic for a seed.
    """
    rng = np.random.default_rng(seed)
    people = people_per_label(clips)
    signs_of: dict[str, set[str]] = defaultdict(set)
    for label, who in people.items():
        for s in who:
            signs_of[s].add(label)
    order = [str(s) for s in rng.permutation(sorted(signs_of))]
    held: set[str] = set()

    def can_hold(s: str) -> bool:
        return all(len(people[label] - held - {s}) >= min_left for label in signs_of[s])

    if cover:
        for label in sorted(people, key=lambda lb: (len(people[lb]), lb)):
            if people[label] & held:
                continue
            for s in order:
                if s in people[label] and s not in held and can_hold(s):
                    held.add(s)
                    break
    target = int(round(fraction * len(order)))
    for s in order:
        if len(held) >= target:
            break
        if s not in held and can_hold(s):
            held.add(s)
    return held


def clip_holdout(clips: Sequence[ClipRef], fraction: float, seed: int) -> tuple[list[ClipRef], list[ClipRef]]:
    """Per label, a seeded ``fraction`` of clips (never the only clip) → (kept, held out)."""
    rng = np.random.default_rng(seed)
    by_label: dict[str, list[ClipRef]] = defaultdict(list)
    for c in clips:
        by_label[c.label].append(c)
    kept, held = [], []
    for label in sorted(by_label):
        group = sorted(by_label[label], key=lambda c: c.clip_id)
        n = int(round(fraction * len(group))) if len(group) > 1 else 0
        idx = set(rng.permutation(len(group))[:n].tolist())
        for i, c in enumerate(group):
            (held if i in idx else kept).append(c)
    return kept, held


# --- batches ---------------------------------------------------------------------------------


class Balance(str, Enum):
    """How a batch draws its clips: what keeps a 33-person sign from drowning a 3-person one."""

    SIGN_PERSON = "sign-person"  # sign uniform, then person uniform, then clip uniform (default)
    SIGN = "sign"  # sign uniform, then clip uniform (people with more clips weigh more)
    NONE = "none"  # clip uniform: signs weigh as many clips as they have


class Batcher:
    """Random batches, by default balanced: label uniform, then signer uniform, then clip uniform.

    Walead clips carry both the stored sparse frames and the resampled clip; ``sparse_prob``
    of the time the stored frames are used as they are, so that a copy of such clips without
    its manifest is still recognised.
    """

    def __init__(
        self,
        examples: Sequence[Example],
        label_index: dict[str, int],
        augment_cfg: AugmentConfig,
        seed: int,
        sparse_prob: float = 0.25,
        balance: Balance | str = Balance.SIGN_PERSON,
    ) -> None:
        self.balance = Balance(balance)
        self.examples = list(examples)
        self.label_index = label_index
        self.cfg = augment_cfg
        self.rng = np.random.default_rng(seed)
        self.sparse_prob = sparse_prob
        groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for i, e in enumerate(self.examples):
            groups[e.ref.label][e.ref.signer].append(i)
        self.groups = {label: [v for _, v in sorted(by.items())] for label, by in sorted(groups.items())}
        self.labels = sorted(self.groups)
        self.pooled = {label: [i for group in signers for i in group] for label, signers in self.groups.items()}

    def sample(self) -> Example:
        if self.balance is Balance.NONE:
            return self.examples[self.rng.integers(len(self.examples))]
        label = self.labels[self.rng.integers(len(self.labels))]
        signers = self.groups[label]
        if self.balance is Balance.SIGN:
            clips = self.pooled[label]
        else:
            clips = signers[self.rng.integers(len(signers))]
        return self.examples[clips[self.rng.integers(len(clips))]]

    def batch(self, size: int) -> tuple[NDArray, NDArray]:
        xs, ys = [], []
        for _ in range(size):
            e = self.sample()
            frames = e.sparse if e.sparse is not None and self.rng.random() < self.sparse_prob else e.frames
            xs.append(window_of(augment(frames, self.cfg, self.rng)))
            ys.append(self.label_index[e.ref.label])
        return np.stack(xs), np.asarray(ys, dtype=np.int64)

    def batches(self, n: int, size: int) -> Iterator[tuple[NDArray, NDArray]]:
        for _ in range(n):
            yield self.batch(size)
