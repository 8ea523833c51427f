"""``signdesk practice`` on real KArSL landmarks written as ``signdesk extract`` .npz files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import KARSL_WALEAD, need
from test_clips import sign_stream, write_clip
from test_custom_cli import run

from signdesk.custom import CustomSign, CustomStore, Take
from signdesk.practice.progress import ProgressStore

MODEL = "karsl-arabic"
KEYS = {"target", "correct", "target_confidence", "target_rank", "predicted", "feedback", "has_reference"}


@pytest.fixture(scope="module")
def karsl() -> dict[str, list[np.ndarray]]:
    """Raw whole clips of signer karsl-01: pharynx (0081) and liver (0082), three repeats each."""
    from signdesk.tools.datasets import open_dataset

    ds = open_dataset(need(KARSL_WALEAD))
    chosen = [c for s in ("0081", "0082") for c in [c for c in ds.clips() if c.label == s
                                                       and c.signer == "karsl-01"][:3]]
    loaded = ds.load(chosen, progress=False)
    out: dict[str, list[np.ndarray]] = {}
    for e in loaded.examples:
        out.setdefault(e.ref.label, []).append(e.frames)
    return out


@pytest.fixture
def pharynx(tmp_path, karsl) -> Path:
    """Two repeats of pharynx one after the other, as one extract .npz at 30 fps."""
    return write_clip(tmp_path / "pharynx.npz", np.concatenate([karsl["0081"][1], karsl["0081"][2]]), fps=30.0)




def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_bundled_sign_without_reference_gives_only_the_verdict(capsys, pharynx):
    code, out, err = run(capsys, "practice", "pharynx", str(pharynx), "--model", MODEL, "--json")
    assert code == 0, err
    recs = records(out)
    assert len(recs) >= 2
    for rec in recs:
        assert KEYS <= rec.keys()
        assert rec["target"]["id"] == "0081" and rec["has_reference"] is False
        assert len(rec["feedback"]) == 1 and "No reference is available" in rec["feedback"][0]
        assert isinstance(rec["correct"], bool) and 0 <= rec["target_confidence"] <= 1
        assert rec["correct"] == (rec["target_rank"] == 1 and rec["target_confidence"] >= 0.5)
    assert any(rec["correct"] for rec in recs)  # the trained model knows its own signer's pharynx


def test_custom_sign_reference_gives_feedback(capsys, tmp_path, karsl):
    CustomStore().save(CustomSign("my liver", takes=[Take(karsl["0082"][0], 30.0, "npz:liver0.npz")]))
    clip = write_clip(tmp_path / "wrong.npz", karsl["0081"][0], fps=30.0)
    code, out, err = run(capsys, "practice", "MY LIVER", str(clip), "--model", MODEL, "--json")
    assert code == 0, err
    rec = records(out)[0]
    assert rec["target"]["name"] == "my liver" and rec["target"]["id"].startswith("custom:")
    assert rec["has_reference"] is True and not rec["correct"]
    assert any("higher than the reference" in line for line in rec["feedback"]), rec["feedback"]
    assert {i["measure"] for i in rec["feedback_items"]} >= {"hands", "location", "handshape", "movement"}


def test_text_output_and_record(capsys, pharynx):
    code, out, err = run(capsys, "practice", "بلعوم", str(pharynx), "--model", MODEL, "--record", "--left-handed")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("[") and "بلعوم" in lines[0] and "seen as" in lines[0]
    assert lines[1].startswith("    No reference is available")
    assert "attempts correct; " in lines[-1] and lines[-1].endswith("signs due for review")
    with ProgressStore() as store:
        history = store.history()
    assert history and {h.sign_id for h in history} == {"0081"} and history[0].model == MODEL
    assert len(history) == int(lines[-1].split(" of ")[1].split()[0])


def test_unknown_sign_lists_close_matches(capsys, pharynx):
    code, _, err = run(capsys, "practice", "pharynks", str(pharynx), "--model", MODEL)
    assert code == 1
    assert "'pharynks' is not a sign this model knows (82 signs); did you mean: بلعوم (pharynx)" in err


def test_a_clip_without_a_sign(capsys, tmp_path):
    still = sign_stream(30, noise=0.0, seed=0)
    still[:, 142:] = 0  # no hand at all
    clip = write_clip(tmp_path / "still.npz", still)
    code, _, err = run(capsys, "practice", "0081", str(clip), "--model", MODEL)
    assert code == 1 and "no sign found" in err
    code, _, err = run(capsys, "practice", "0081", str(tmp_path / "missing.npz"), "--model", MODEL)
    assert code == 1 and "no such file" in err
