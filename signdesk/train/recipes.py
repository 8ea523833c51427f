"""Recipes: one command rebuilds each bundled model (and each reported experiment).

A recipe names its dataset folders (under the data root, default ``../shared/data``), how
clips are split into train / validation / test, and the training settings. Splits are by
signer wherever a dataset has several signers, so that test figures are signer-independent;
KArSL's data has too few signers for that in the bundled Arabic model, which therefore uses
KArSL's own train/test split (signer-dependent figures, said so on its card) and has
separate cross-signer recipes for a signer-independent figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from signdesk.tools.datasets import ClipRef
from signdesk.train.augment import AugmentConfig
from signdesk.train.data import Split, choose_signers, clip_holdout, people_per_label

KARSL_SAMPLE = "karsl502-signer01-sample"
KARSL_WALEAD = "karsl502-signs0071-0082-walead"
MPDATA = "mpdata-holistic-multisigner"
MPDATA2 = "mpdata-holistic-multisigner-2"
MPDATA_NOFACE = "mpdata-noface-multisigner"
GISLR = "gislr-asl-signs-hello-thankyou-21signers"
VAL_FRACTION = 0.15


@dataclass(frozen=True)
class Recipe:
    name: str
    summary: str
    datasets: tuple[str, ...]
    split: Callable[[list[ClipRef], int], Split]
    language: str
    install_as: str | None = None  # bundled model folder (None: an experiment, never installed)
    ship: str = "int8"  # which variant --install copies: "int8" (as accurate, 2x faster, 4x smaller) or "fp32"
    settings: dict = field(default_factory=dict)  # TrainConfig overrides
    select: Callable[[list[ClipRef]], list[ClipRef]] | None = None  # which clips count at all (before any split)

    train_on: Callable[[ClipRef], bool] | None = None  # which clips may train or validate (default: all)

    def clips_of(self, clips: list[ClipRef]) -> list[ClipRef]:
        return self.select(clips) if self.select else clips

    def trainable(self, split: Split) -> Split:
        """``split`` without the clips this recipe never trains on (they may still be tested)."""
        if self.train_on is None:
            return split
        return Split([c for c in split.train if self.train_on(c)], [c for c in split.val if self.train_on(c)],
                     split.test)


def split_own(clips: list[ClipRef], seed: int) -> Split:
    """The dataset's own train/test split; a sign with no training clip lends half its test
    clips to training; validation = a per-sign share of training clips (signer-dependent)."""
    train = [c for c in clips if c.split == "train"]
    test = [c for c in clips if c.split != "train"]
    has_train = {c.label for c in train}
    orphans = [c for c in test if c.label not in has_train]
    if orphans:
        _, lent = clip_holdout(orphans, 0.5, seed)
        lent_ids = {c.clip_id for c in lent}
        train += lent
        test = [c for c in test if c.clip_id not in lent_ids]
    train, val = clip_holdout(train, VAL_FRACTION, seed)
    return Split(train, val, test)


def split_by_signer(clips: list[ClipRef], seed: int, test_fraction: float = 0.2) -> Split:
    """Signer-disjoint train / validation / test; every sign keeps two training signers."""
    test_signers = choose_signers(clips, test_fraction, min_left=2, seed=seed)
    rest = [c for c in clips if c.signer not in test_signers]
    val_signers = choose_signers(rest, VAL_FRACTION, min_left=2, seed=seed + 1)
    return Split(
        [c for c in rest if c.signer not in val_signers],
        [c for c in rest if c.signer in val_signers],
        [c for c in clips if c.signer in test_signers],
    )


def signs_with_people(clips: list[ClipRef], min_people: int) -> list[ClipRef]:
    """Only clips of signs that at least ``min_people`` different signers recorded."""
    people = people_per_label(clips)
    return [c for c in clips if len(people[c.label]) >= min_people]


def asl_signs(clips: list[ClipRef]) -> list[ClipRef]:
    """The ASL recipes' vocabulary: every sign that at least 3 different people recorded."""
    return signs_with_people(clips, 3)


def cross_signer(train_signer: str, test_signer: str, labels: tuple[str, ...]) -> Callable[[list[ClipRef], int], Split]:
    """Train on every clip of one signer, test on every clip of another."""

    def split(clips: list[ClipRef], seed: int) -> Split:
        mine = [c for c in clips if c.label in labels]
        train, val = clip_holdout([c for c in mine if c.signer == train_signer], VAL_FRACTION, seed)
        return Split(train, val, [c for c in mine if c.signer == test_signer])

    return split


def split_generic(clips: list[ClipRef], seed: int) -> Split:
    """For ``signdesk train DIR...`` without a recipe: by signer if there are 3+ signers."""
    if len({c.signer for c in clips}) >= 3:
        return split_by_signer(clips, seed)
    return split_own(clips, seed)


#: asl-basics' training settings, chosen by person-level cross-validation (docs/training.md).
ASL_SETTINGS: dict = {"epochs": 15, "val_variants": 1}

HEALTH = tuple(f"{i:04d}" for i in range(71, 78))

RECIPES: dict[str, Recipe] = {
    r.name: r
    for r in (
        Recipe(
            "karsl-arabic",
            "Arabic (KArSL-502) signs 0001-0082: signer 01 sample + signers 01/02 health signs; KArSL's own split",
            (KARSL_SAMPLE, KARSL_WALEAD),
            split_own,
            "ar",
            install_as="karsl-arabic",
        ),
        Recipe(
            "asl-basics",
            "ASL signs recorded by 3+ people (MP_Data parts 1-2, MP_Data without face, GISLR); split by person",
            (MPDATA, MPDATA2, MPDATA_NOFACE, GISLR),
            split_by_signer,
            "asl",
            install_as="asl-basics",
            settings=ASL_SETTINGS,
            select=asl_signs,
        ),
        Recipe(
            "asl-basics-faces",
            "experiment: asl-basics, same people and folds, never trained on the face-less people",
            (MPDATA, MPDATA2, MPDATA_NOFACE, GISLR),
            split_by_signer,
            "asl",
            settings=ASL_SETTINGS,
            select=asl_signs,
            train_on=lambda c: c.path.parent.name != MPDATA_NOFACE,
        ),
        Recipe(
            "karsl-health-02to01",
            "experiment: KArSL 0071-0077 trained on signer 02 only, tested on signer 01 (signer-independent)",
            (KARSL_WALEAD,),
            cross_signer("karsl-02", "karsl-01", HEALTH),
            "ar",
        ),
        Recipe(
            "karsl-health-01to02",
            "experiment: KArSL 0071-0077 trained on signer 01 only, tested on signer 02 (signer-independent)",
            (KARSL_WALEAD,),
            cross_signer("karsl-01", "karsl-02", HEALTH),
            "ar",
        ),
    )
}


def augment_from(settings: dict) -> AugmentConfig:
    """An AugmentConfig from a recipe's ``augment`` overrides (tuples given as lists)."""
    base = AugmentConfig()
    over = {k: tuple(v) if isinstance(v, list) else v for k, v in settings.get("augment", {}).items()}
    return AugmentConfig(**{**base.__dict__, **over})

