"""Person-level cross-validation, split seeds, batch balancing and the name probe."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from conftest import GISLR, MPDATA, need
from signdesk.cli import main
from signdesk.tools.datasets import ClipRef, Example, open_dataset
from signdesk.train.cv import MIN_TRAINING_PEOPLE, fold_split, person_folds
from signdesk.train.data import Balance, Batcher, people_per_label

DATA = MPDATA.parent


def _refs(table: dict[str, list[str]]) -> list[ClipRef]:
    """Clips from {person: [signs]}, two clips per sign."""
    return [ClipRef(f"{p}/{s}/{i}", s, p, None, Path("x.npz"), s, i)
            for p, signs in table.items() for s in signs for i in range(2)]


def test_person_folds_partition_the_people_and_spread_rare_signs() -> None:
    table = {f"p{i}": ["hello"] for i in range(9)}
    table.update({"a": ["hello", "rare1"], "b": ["rare1"], "c": ["rare1", "rare2"], "d": ["rare2"], "e": ["rare2"]})
    clips = _refs(table)
    folds = person_folds(clips, 3, seed=0)
    everyone = [p for f in folds for p in f]
    assert sorted(everyone) == sorted(table) and len(everyone) == len(set(everyone))
    assert max(map(len, folds)) - min(map(len, folds)) <= 1
    for i, fold in enumerate(folds):
        train_people = people_per_label(fold_split(clips, fold, i).train)
        assert all(len(train_people[s]) >= MIN_TRAINING_PEOPLE for s in ("hello", "rare1", "rare2"))
    assert folds == person_folds(clips, 3, seed=0)  # deterministic
    assert any(person_folds(clips, 3, seed=s) != folds for s in range(1, 6))  # the split seed matters


@pytest.mark.parametrize("k", [1, 20])
def test_person_folds_refuse_impossible_fold_counts(k: int) -> None:
    with pytest.raises(ValueError):
        person_folds(_refs({f"p{i}": ["hello"] for i in range(5)}), k, seed=0)


def test_asl_basics_folds_keep_two_training_people_for_every_sign() -> None:
    import logging

    from signdesk.train.recipes import MPDATA2, MPDATA_NOFACE, RECIPES
    from signdesk.train.run import gather_clips

    recipe = RECIPES["asl-basics"]
    need(DATA / MPDATA2), need(DATA / MPDATA_NOFACE)
    clips, _ = gather_clips([open_dataset(DATA / d) for d in recipe.datasets], logging.getLogger("test"))
    clips = recipe.clips_of(clips)
    signs = set(people_per_label(clips))
    assert len(signs) >= 15 and {"goodbye", "please", "you", "my", "food", "sorry"} <= signs
    assert len({c.signer for c in clips}) >= 40
    for k in (3, 5):
        folds = person_folds(clips, k, seed=0)
        assert sum(map(len, folds)) == len({c.signer for c in clips})
        for i, fold in enumerate(folds):
            split = fold_split(clips, fold, 1000 + i)
            train_people = people_per_label(split.train)
            assert set(train_people) == signs
            assert min(len(v) for v in train_people.values()) >= MIN_TRAINING_PEOPLE
            parts = [{c.signer for c in refs} for refs in (split.train, split.val, split.test)]
            assert not (parts[0] & parts[1] or parts[0] & parts[2] or parts[1] & parts[2])


def _examples(table: dict[tuple[str, str], int]) -> list[Example]:
    frames = np.zeros((4, 184, 4), np.float32)
    return [Example(ClipRef(f"{p}/{s}/{i}", s, p, None, Path("x")), frames)
            for (p, s), n in table.items() for i in range(n)]


@pytest.mark.parametrize(("balance", "share_a", "share_big_person"), [
    (Balance.SIGN_PERSON, 0.5, 0.5),  # sign uniform, then person uniform
    (Balance.SIGN, 0.5, 0.9),  # sign uniform, then clip uniform
    (Balance.NONE, 100 / 110, 0.9),  # clip uniform
])
def test_batch_balance_modes(balance: Balance, share_a: float, share_big_person: float) -> None:
    examples = _examples({("big", "a"): 90, ("small", "a"): 10, ("other", "b"): 10})
    batcher = Batcher(examples, {"a": 0, "b": 1}, augment_cfg=None, seed=0, balance=balance)
    drawn = [batcher.sample().ref for _ in range(6000)]
    labels = Counter(r.label for r in drawn)
    people_a = Counter(r.signer for r in drawn if r.label == "a")
    assert labels["a"] / len(drawn) == pytest.approx(share_a, abs=0.025)
    assert people_a["big"] / labels["a"] == pytest.approx(share_big_person, abs=0.025)


@pytest.mark.slow
def test_cross_validation_tests_every_person_once_and_reports_mean_and_sd(tmp_path: Path) -> None:
    pytest.importorskip("torch", reason="training needs the 'train' extra")
    out = tmp_path / "cv"
    code = main(["train", str(need(GISLR)), "--name", "tiny", "--cv", "2", "--split-seed", "4", "--epochs", "1",
                 "--steps", "1", "--batch", "4", "--hidden", "16", "--blocks", "1", "--out", str(out)])
    assert code == 0
    doc = json.loads((out / "cv.json").read_text())
    clips = open_dataset(GISLR).clips()
    assert doc["k"] == 2 and doc["split_seed"] == 4 and len(doc["folds"]) == 2
    tested = [p for f in doc["folds"] for p in f["test_people"]]
    assert sorted(tested) == sorted({c.signer for c in clips})
    assert len(doc["predictions"]) == len(clips)  # every clip scored once, by the fold that never saw its signer
    fold_of = {p: f["fold"] for f in doc["folds"] for p in f["test_people"]}
    assert all(fold_of[p["signer"]] == p["fold"] and 0 <= p["confidence"] <= 1 for p in doc["predictions"])
    s = doc["summary"]
    top1 = [f["top1"] for f in doc["folds"]]
    assert s["top1_mean"] == pytest.approx(np.mean(top1)) and s["top1_sd"] == pytest.approx(np.std(top1, ddof=1))
    assert set(s["per_sign"]) == {"hello", "thankyou"} and 0 <= s["pooled"]["ece"] <= 1
    hits = defaultdict(list)
    for p in doc["predictions"]:
        hits[p["signer"]].append(p["top5"][0] == p["true"])
    assert s["per_person"] == {k: {"n": len(v), "top1": pytest.approx(np.mean(v))} for k, v in hits.items()}
    for i in (1, 2):
        assert (out / f"fold-{i}" / "model.int8.onnx").is_file()

    from signdesk.train.probe import probe

    probed = probe(out, "thankyou", "thankyou")
    assert probed["n"] == s["per_sign"]["thankyou"]["n"]
    assert probed["taken_for_candidate"] == pytest.approx(s["per_sign"]["thankyou"]["top1"])
    assert probed["candidate_own_top1"] == pytest.approx(s["per_sign"]["thankyou"]["top1"])


@pytest.mark.parametrize(("argv", "message"), [
    (["--recipe", "asl-basics", "--cv", "1"], "at least 2 folds"),
    (["--recipe", "asl-basics", "--cv", "3", "--install"], "cannot --install"),
])
def test_bad_cross_validation_commands_give_one_line(capsys, argv: list[str], message: str) -> None:
    code = main(["train", *argv])
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1 and message in err, err
