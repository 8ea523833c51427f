"""``signdesk evaluate``: the app's feature path, honest counting of skipped clips, clear errors.

The models here are UNTRAINED (random weights): these tests check the measurement plumbing,
never accuracy. Accuracy figures come from running the command on the bundled models.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import GISLR, KARSL_SAMPLE, MPDATA, need
from signdesk.cli import main
from signdesk.tools.evaluate import Report, app_threshold, default_model
from signdesk.landmarks import normalize
from signdesk.recognizer import Label, Recognizer
from signdesk.windowing import to_window


@pytest.fixture(scope="module")
def karsl_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An untrained model whose labels are three KArSL sign ids (0041, 0002, 0003)."""
    torch = pytest.importorskip("torch")
    from signdesk.tools.export import export_onnx, write_labels
    from signdesk.train.model import SignModel

    torch.manual_seed(1)
    folder = tmp_path_factory.mktemp("karsl-model")
    path = export_onnx(SignModel(3, hidden=64, blocks=1).eval(), folder / "model.onnx")
    write_labels(folder / "labels.json", [{"name": "ر", "gloss": "raa", "id": "0041"},
                                          {"name": "واحد", "gloss": "1", "id": "0002"},
                                          {"name": "اثنان", "gloss": "2", "id": "0003"}],
                 {"model": "untrained-test", "language": "ar"})
    return path


@pytest.fixture()
def karsl_folder(tmp_path: Path, karsl_clip: Path) -> Path:
    """A partial KArSL copy (symlinks): the fixture clip, two test clips, one sign unknown to the model."""
    folder = tmp_path / "karsl-part"
    for sub, pattern in (("01-train-mp4s", karsl_clip.name), ("01-test-mp4s", "01_01_0002_*"),
                         ("01-test-mp4s", "01_01_0004_*")):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        for src in (need(KARSL_SAMPLE) / sub).glob(pattern):
            (folder / sub / src.name).symlink_to(src)
    return folder


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One landmark cache for this module's video tests (each clip is extracted once)."""
    return str(tmp_path_factory.mktemp("landmark-cache"))


def _evaluate(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, dict | str]:
    code = main(["evaluate", *argv])
    out = capsys.readouterr()
    if "--json" in argv and code == 0:
        return code, json.loads(out.out)
    return code, out.out + out.err


@pytest.mark.slow
def test_scores_match_the_app_path_and_unknown_signs_are_counted(
    capsys, karsl_model: Path, karsl_folder: Path, karsl_clip: Path, karsl_features: np.ndarray, tmp_path: Path,
    cache: str,
) -> None:
    png = tmp_path / "out" / "confusion.png"
    code, doc = _evaluate(capsys, str(karsl_folder), "--model", str(karsl_model), "--json",
                          "--confusion", str(png), "--cache", cache)
    assert code == 0
    assert doc["n"] == 2 and doc["layout"] == "karsl-video"
    assert 0.0 <= doc["top1"] <= doc["top5"] <= 1.0
    assert doc["top5"] == 1.0  # 3 classes: the truth is always in the top 5
    assert doc["skipped"]["count"] == 1
    assert doc["skipped"]["clips"][0]["reason"].startswith("unknown sign: 0004")
    assert png.is_file() and png.stat().st_size > 1000 and doc["confusion_png"] == str(png)
    # the clip's ranking is what the app computes: extractor → normalize → to_window → Recognizer
    rec = Recognizer(karsl_model)
    expected = [label.id for label, _ in rec.predict(to_window(normalize(karsl_features)), top_k=3).top]
    got = next(p for p in doc["predictions"] if p["clip"] == karsl_clip.name)
    assert got["true"] == "0041" and got["top5"] == expected


@pytest.mark.slow
def test_clips_that_trained_the_model_are_skipped_unless_asked(
    capsys, karsl_model: Path, karsl_folder: Path, karsl_clip: Path, tmp_path: Path, cache: str
) -> None:
    listing = karsl_model.parent / "training_clips.json"
    listing.write_text(json.dumps({"clips": [f"karsl:{karsl_clip.name}"]}))
    try:
        _, doc = _evaluate(capsys, str(karsl_folder), "--model", str(karsl_model), "--json", "--cache", cache,
                           "--confusion", str(tmp_path / "c.png"))
        assert doc["n"] == 1
        assert doc["skipped"]["by_reason"] == {"unknown sign": 1, "used in training": 1}
        _, doc = _evaluate(capsys, str(karsl_folder), "--model", str(karsl_model), "--json", "--cache", cache,
                           "--include-training", "--confusion", str(tmp_path / "c.png"))
        assert doc["n"] == 2
    finally:
        listing.unlink()


def test_keypoint_folder_with_merged_sign_names(capsys, fixture_model: Path, tmp_path: Path) -> None:
    """One MP_Data person recorded "thanks": scored as the model's "thankyou"."""
    folder = tmp_path / "mp"
    folder.mkdir()
    (folder / "AkashSharma095.npz").symlink_to(need(MPDATA) / "AkashSharma095.npz")
    code, doc = _evaluate(capsys, str(folder), "--model", str(fixture_model), "--json",
                          "--confusion", str(tmp_path / "c.png"))
    assert code == 0 and doc["layout"] == "mpdata"
    assert doc["per_class"]["thankyou"]["n"] == 30 and doc["per_class"]["hello"]["n"] == 30
    assert doc["skipped"]["by_reason"] == {"unknown sign": 30}  # iloveyou is not in the fixture model
    # calibration of the top-1 confidence, from the same predictions
    conf = [p["confidence"] for p in doc["predictions"]]
    assert len(conf) == doc["n"] and all(1 / 6 <= c <= 1 for c in conf)  # top-1 of 6 softmax classes
    assert 0.0 <= doc["ece"] <= 1.0
    bins = doc["reliability"]
    assert sum(b["n"] for b in bins) == doc["n"] and all(b["lo"] <= b["confidence"] <= b["hi"] for b in bins)
    assert doc["ece"] == pytest.approx(sum(b["n"] * abs(b["accuracy"] - b["confidence"]) for b in bins) / doc["n"])
    pt = doc["precision_threshold"]
    assert pt["target"] == 0.95 and set(pt) == {"target", "threshold", "precision", "coverage"}
    if pt["threshold"] is not None:
        assert pt["threshold"] in conf and pt["precision"] >= 0.95
    app = doc["at_app_threshold"]
    assert app["threshold"] == app_threshold() and 0.0 <= app["coverage"] <= 1.0
    assert doc["per_signer"] == {"mpdata-AkashSharma095": {"n": 60, "top1": pytest.approx(doc["top1"])}}


def test_text_report(capsys, fixture_model: Path, tmp_path: Path) -> None:
    folder = tmp_path / "gislr"
    folder.mkdir()
    (folder / "participant_2044.npz").symlink_to(need(GISLR) / "participant_2044.npz")
    code, text = _evaluate(capsys, str(folder), "--model", str(fixture_model), "--confusion", str(tmp_path / "c.png"))
    assert code == 0
    assert "34 clips scored" in text and "top-1" in text and "top-5" in text and "per class" in text
    assert f"confusion matrix: {tmp_path / 'c.png'}" in text
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("top-1"))
    assert lines[top + 1].startswith("calibration: ECE ") and lines[top + 2].startswith("95% precision: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["{tmp}/missing"], "no such folder"),
        (["{tmp}"], "not a known dataset layout"),
        (["{gislr}", "--split", "test"], "no clips in a 'test' split"),
        (["{gislr}", "--signer", "nobody"], "no clips of signer(s) nobody"),
        (["{gislr}", "--model", "no-such-model"], "no bundled model of that name"),
        (["{gislr}", "--aspect", "0"], "--aspect must be"),
    ],
)
def test_bad_input_gives_one_line(capsys, tmp_path: Path, argv: list[str], message: str) -> None:
    argv = [a.format(tmp=tmp_path, gislr=need(GISLR)) for a in argv]
    code = main(["evaluate", *argv])
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert len(err.splitlines()) == 1 and message in err, err


def test_topk_counts() -> None:
    labels = [Label(str(i), id=str(i)) for i in range(8)]
    r = Report("m", labels, truth=[0, 1, 2], ranked=[[0, 1, 2, 3, 4], [2, 1, 0, 3, 4], [3, 4, 5, 6, 7]])
    assert r.topk(1) == pytest.approx(1 / 3) and r.topk(5) == pytest.approx(2 / 3)
    assert r.per_class()["1"] == {"name": "1", "gloss": "", "n": 1, "top1": 0.0}
    assert r.confusion()[1, 2] == 1 and r.confusion().sum() == 3
    assert r.to_json()["ece"] is None  # no confidences kept: no calibration figures, not invented ones


def test_app_threshold_is_the_apps_not_sure_default() -> None:
    from signdesk.gui.settings import Settings

    assert app_threshold() == Settings.threshold and 0.0 < app_threshold() < 1.0


def test_report_calibration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("signdesk.tools.evaluate.app_threshold", lambda: 0.5)
    labels = [Label(str(i), id=str(i)) for i in range(3)]
    # 20 clips at 0.9 (19 right), 10 at 0.4 (4 right)
    truth = [0] * 30
    ranked = [[0, 1, 2]] * 19 + [[1, 0, 2]] + [[0, 1, 2]] * 4 + [[2, 0, 1]] * 6
    r = Report("m", labels, truth=truth, ranked=ranked, confidence=[0.9] * 20 + [0.4] * 10,
               clip_ids=[f"c{i}" for i in range(30)])
    d = r.to_json()
    assert d["ece"] == pytest.approx((20 * abs(0.95 - 0.9) + 10 * abs(0.4 - 0.4)) / 30)
    assert [(b["n"], b["accuracy"]) for b in d["reliability"]] == [(10, pytest.approx(0.4)), (20, pytest.approx(0.95))]
    assert d["precision_threshold"] == {"target": 0.95, "threshold": 0.9, "precision": pytest.approx(0.95),
                                        "coverage": pytest.approx(2 / 3)}
    assert d["at_app_threshold"] == {"threshold": 0.5, "precision": pytest.approx(0.95), "coverage": pytest.approx(2 / 3)}
    assert [p["confidence"] for p in d["predictions"]] == r.confidence
    r.ranked[0] = [1, 0, 2]  # 18 of 20: no threshold reaches 95 %
    assert r.to_json()["precision_threshold"] == {"target": 0.95, "threshold": None, "precision": None, "coverage": 0.0}


def test_default_model_is_the_bundled_one_that_knows_the_signs() -> None:
    assert default_model(["0041", "0072"]).name == "karsl-arabic"
    assert default_model(["hello", "thankyou"]).name == "asl-basics"


def test_simulated_fills_touch_only_what_they_replace(karsl_features: np.ndarray) -> None:
    from signdesk.tools.evaluate import simulate
    from signdesk.landmarks import LEFT_IRIS_ROWS, RIGHT_IRIS_ROWS

    assert simulate(karsl_features, None, []) is karsl_features
    iris = list(RIGHT_IRIS_ROWS + LEFT_IRIS_ROWS)
    out = simulate(karsl_features, None, ["iris"])
    others = np.setdiff1d(np.arange(184), iris)
    np.testing.assert_array_equal(out[:, others], karsl_features[:, others])
    assert np.abs(out[:, iris, :2] - karsl_features[:, iris, :2]).max() > 0  # really replaced
    vis = simulate(karsl_features, None, ["pose-visibility"])
    np.testing.assert_array_equal(vis[:, :, :3], karsl_features[:, :, :3])
    assert set(np.unique(vis[:, :6, 3])) <= {1.0, np.float32(0.46)}
    wide = simulate(karsl_features, 16 / 9, [])
    present = karsl_features[..., 0] != 0
    np.testing.assert_allclose(wide[..., 0][present] - 0.5, (karsl_features[..., 0][present] - 0.5) * 9 / 16, atol=1e-6)
