"""Training: a smoke run on real clips, exact resume, signer-disjoint splits, int8 export."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from conftest import GISLR, KARSL_SAMPLE, KARSL_WALEAD, MPDATA, need
from signdesk.cli import main
from signdesk.tools.datasets import open_dataset

torch = pytest.importorskip("torch", reason="training needs the 'train' extra")


@pytest.mark.slow
def test_smoke_training_on_real_clips_writes_a_model_the_recognizer_loads(tmp_path: Path, capsys) -> None:
    """A few steps of the real recipe on a handful of real KArSL clips: loss falls, ONNX loads."""
    need(KARSL_WALEAD)
    out = tmp_path / "run"
    code = main(["train", "--recipe", "karsl-health-02to01", "--limit", "2", "--epochs", "5", "--steps", "3",
                 "--batch", "16", "--hidden", "64", "--blocks", "1", "--lr", "0.003", "--out", str(out),
                 "--cache", str(tmp_path / "cache"), "--data", str(KARSL_WALEAD.parent)])
    assert code == 0
    history = json.loads((out / "history.json").read_text())
    assert len(history) == 5
    assert history[-1]["train_loss"] < history[0]["train_loss"] - 0.1
    from signdesk.recognizer import Recognizer

    for name, precision in (("model.onnx", "fp32"), ("model.int8.onnx", "int8")):
        rec = Recognizer(out / name)
        assert rec.meta["precision"] == precision and rec.meta["mirror_averaged"] is True
        assert len(rec.labels) == 7 and rec.labels[0].id == "0071"
        probs, emb = rec.run(np.zeros((2, 50, 736), np.float32))
        assert probs.shape == (2, 7) and np.allclose(probs.sum(1), 1, atol=1e-4)
    report = json.loads((out / "report.json").read_text())
    assert report["test"]["fp32"]["karsl"]["n"] == 14  # 2 clips of each of the 7 signs, signer 01
    assert report["signers"]["train"] == ["karsl-02"] and report["signers"]["test"] == ["karsl-01"]
    trained = set(json.loads((out / "training_clips.json").read_text())["clips"])
    assert all(c.startswith("karsl:03_02_") for c in trained)  # only signer 02 trained it
    assert (out / "train.log").read_text().count("epoch") >= 5


def _gislr_examples(n_people: int = 2, per_sign: int = 4):
    ds = open_dataset(need(GISLR))
    picked, count = [], defaultdict(int)
    people = ds.signers()[:n_people]
    for c in ds.clips():
        key = (c.signer, c.label)
        if c.signer in people and count[key] < per_sign:
            picked.append(c)
            count[key] += 1
    return ds.load(picked, progress=False).examples


def test_resume_continues_an_interrupted_run_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from signdesk.train import loop
    from signdesk.train.loop import TrainConfig, train

    examples = _gislr_examples()
    labels = ["hello", "thankyou"]
    cfg = TrainConfig(epochs=4, steps_per_epoch=2, batch_size=8, hidden=32, blocks=1, min_epochs=99,
                      warmup_epochs=1)
    straight = train(examples, examples[:4], labels, cfg, tmp_path / "a", progress=False)

    calls = {"n": 0}
    real = loop.evaluate_windows

    def interrupt_after_two(*a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(loop, "evaluate_windows", interrupt_after_two)
    with pytest.raises(KeyboardInterrupt):
        train(examples, examples[:4], labels, cfg, tmp_path / "b", progress=False)
    monkeypatch.setattr(loop, "evaluate_windows", real)
    resumed = train(examples, examples[:4], labels, cfg, tmp_path / "b", resume=True, progress=False)
    assert [h["epoch"] for h in resumed.history] == [1, 2, 3, 4]
    for a, b in zip(straight.history, resumed.history):
        assert a["train_loss"] == pytest.approx(b["train_loss"], rel=1e-5)
    with pytest.raises(ValueError, match="different run"):
        train(examples, examples[:4], labels, replace(cfg, lr=0.5), tmp_path / "b", resume=True, progress=False)


def test_asl_split_is_signer_disjoint_and_keeps_two_training_people_per_sign() -> None:
    from signdesk.train.recipes import RECIPES, signs_with_people

    clips = [c for d in RECIPES["asl-basics"].datasets for c in open_dataset(need(MPDATA.parent / d)).clips()]
    recipe = RECIPES["asl-basics"]
    split = recipe.split(recipe.clips_of(clips), 0)
    parts = {name: {c.signer for c in refs} for name, refs in
             (("train", split.train), ("val", split.val), ("test", split.test))}
    assert not parts["train"] & parts["test"] and not parts["train"] & parts["val"]
    assert not parts["val"] & parts["test"]
    kept = {c.label for c in signs_with_people(clips, 3)}
    assert kept == {"hello", "thankyou", "iloveyou", "please", "yes", "help", "no", "goodbye", "my", "name", "you",
                    "fine", "i", "food", "sorry", "father"}
    train_people = defaultdict(set)
    for c in split.train:
        train_people[c.label].add(c.signer)
    assert all(len(train_people[label]) >= 2 for label in kept)
    assert {c.label for c in split.test} == kept  # every sign is measured on unseen people
    assert split.describe() == recipe.split(recipe.clips_of(clips), 0).describe()  # deterministic


def test_karsl_split_uses_the_own_split_and_lends_half_of_test_only_signs() -> None:
    from signdesk.train.recipes import RECIPES

    clips = open_dataset(need(KARSL_SAMPLE)).clips() + open_dataset(need(KARSL_WALEAD)).clips()
    split = RECIPES["karsl-arabic"].split(clips, 0)
    ids = [c.clip_id for c in split.train + split.val + split.test]
    assert len(ids) == len(set(ids)) == len(clips)
    assert {c.label for c in split.train} == {f"{i:04d}" for i in range(1, 83)}
    lent = [c for c in split.train + split.val if c.split == "test"]
    assert {c.label for c in lent} == {f"{i:04d}" for i in range(78, 83)} and len(lent) == 20
    assert all(c.split == "test" for c in split.test)


def test_int8_variant_quantizes_the_lstm_weights(fixture_model: Path, tmp_path: Path) -> None:
    import onnx

    from signdesk.recognizer import Recognizer
    from signdesk.train.run import quantize_int8

    out = quantize_int8(fixture_model, tmp_path / "model.int8.onnx")
    ops = {n.op_type for n in onnx.load(out).graph.node}
    assert "DynamicQuantizeLSTM" in ops and "LSTM" not in ops
    assert out.stat().st_size < 0.35 * fixture_model.stat().st_size
    (tmp_path / "labels.json").write_text((fixture_model.parent / "labels.json").read_text())
    x = np.random.default_rng(0).normal(size=(4, 50, 736)).astype(np.float32)
    p32, _ = Recognizer(fixture_model).run(x)
    p8, _ = Recognizer(out).run(x)
    assert np.abs(p32 - p8).max() < 0.05


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "nothing to train"),
        (["--recipe", "karsl-health-02to01", "--install"], "is an experiment"),
        (["somewhere"], "--name is required"),
        (["--recipe", "asl-basics", "--data", "/nonexistent"], "no such folder"),
    ],
)
def test_bad_train_commands_give_one_line(capsys, argv: list[str], message: str) -> None:
    code = main(["train", *argv])
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1 and message in err, err
