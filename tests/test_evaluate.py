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
from signdesk.tools.evaluate import Report, default_model
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


def test_text_report(capsys, fixture_model: Path, tmp_path: Path) -> None:
    folder = tmp_path / "gislr"
    folder.mkdir()
    (folder / "participant_2044.npz").symlink_to(need(GISLR) / "participant_2044.npz")
    code, text = _evaluate(capsys, str(folder), "--model", str(fixture_model), "--confusion", str(tmp_path / "c.png"))
    assert code == 0
    assert "34 clips scored" in text and "top-1" in text and "top-5" in text and "per class" in text
    assert f"confusion matrix: {tmp_path / 'c.png'}" in text


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
