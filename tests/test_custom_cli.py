"""``signdesk custom …`` and custom signs in ``signdesk recognize``, run in-process.

Every test keeps its custom signs in ``tmp_path`` (``SIGNDESK_DATA_DIR``). Clips are
synthetic ``.npz`` files made at test time (see ``test_clips.py``), except one test with
real KArSL videos from ``../shared``. The bundled model ``asl-basics`` ranks the signs.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import KARSL_WALEAD, need
from test_clips import sign_stream, write_clip

from signdesk.cli import main
from signdesk.custom import CustomStore

MODEL = "asl-basics"


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """The user data folder of this test."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SIGNDESK_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def clips(tmp_path) -> list[Path]:
    """Four takes of one synthetic sign (each a little different), as ``signdesk extract`` .npz files."""
    return [write_clip(tmp_path / f"take{i}.npz", sign_stream(30, noise=0.004, seed=i)) for i in range(4)]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``signdesk *argv`` (argparse exits on a usage error)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys) -> list[dict]:
    code, out, _ = run(capsys, "custom", "list", "--json")
    assert code == 0
    return json.loads(out)


def assert_error(result: tuple[int, str, str], *needles: str) -> None:
    code, _, err = result
    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("signdesk: error: "), err
    for needle in needles:
        assert needle in lines[-1], err


def test_add_list_and_recognize_a_custom_sign(data, clips, capsys):
    code, out, err = run(capsys, "custom", "add", "my sign", str(clips[0]), str(clips[1]), "--gloss", "mine",
                         "--category", "home", "--model", MODEL)
    assert code == 0, err
    assert "added my sign (mine): 2 takes" in out
    assert "take 1: 30 frames" in out and "from npz:take0.npz" in out
    assert "take 2: recognized as my sign" in out and "against the other take" in out
    (row,) = listed(capsys)
    assert row | {"id": ""} == {"name": "my sign", "gloss": "mine", "takes": 2, "pack": "", "category": "home",
                                "language": "", "id": ""}
    code, out, _ = run(capsys, "custom", "list")
    assert out.splitlines()[0].split() == ["NAME", "GLOSS", "TAKES", "PACK", "CATEGORY"]
    assert out.splitlines()[1].split() == ["my", "sign", "mine", "2", "home"]

    code, out, err = run(capsys, "recognize", str(clips[2]), "--model", MODEL, "--json")
    assert code == 0, err
    (rec,) = [json.loads(line) for line in out.splitlines()]
    best = rec["top"][0]
    assert (best["name"], best["gloss"], best["id"]) == ("my sign", "mine", "custom:" + row["id"])
    assert rec["start_frame"] == 10 and rec["start"] == pytest.approx(10 / 25)
    assert (data / "custom" / ".embeddings").is_dir(), "take embeddings are cached in the data folder"

    code, out, _ = run(capsys, "recognize", str(clips[2]), "--model", MODEL, "--json", "--no-custom")
    assert code == 0 and "custom:" not in out


def test_recognize_an_npz_text_output_and_whole_clip(data, clips, capsys):
    code, out, err = run(capsys, "recognize", str(clips[0]), "--model", MODEL, "--top-k", "3", "--verbose")
    assert code == 0, err
    assert out.startswith("[0.40-") and out.count("%") == 3
    assert "holistic" not in err and "normalize" in err, "no MediaPipe stage for landmarks"
    code, out, _ = run(capsys, "recognize", str(clips[0]), "--model", MODEL, "--json", "--whole-clip")
    (rec,) = [json.loads(line) for line in out.splitlines()]
    assert rec["start_frame"] == 0 and rec["end_frame"] == 49


def test_recognize_a_bad_npz(data, tmp_path, capsys):
    bad = tmp_path / "x.npz"
    np.savez(bad, points=np.zeros(3))
    assert_error(run(capsys, "recognize", str(bad), "--model", MODEL),
                 "x.npz: not written by signdesk extract (no 'landmarks' array)")


def test_add_more_takes_to_an_existing_sign(data, clips, capsys):
    assert run(capsys, "custom", "add", "wave", str(clips[0]), "--no-check")[0] == 0
    code, out, _ = run(capsys, "custom", "add", "WAVE", str(clips[1]), str(clips[2]), "--model", MODEL)
    assert code == 0
    assert "added 2 takes to wave: 3 takes" in out
    assert "take 2: recognized as wave" in out and "take 3: recognized as wave" in out
    assert "take 1:" not in out, "only the new takes are checked"
    (row,) = listed(capsys)
    assert row["takes"] == 3

    assert_error(run(capsys, "custom", "add", "wave", str(clips[0]), "--no-check"),
                 "take0.npz: the same recording as take 1 of wave", "nothing was saved")
    eight = [str(write_clip(clips[3].with_name(f"more{i}.npz"), sign_stream(30, noise=0.004, seed=10 + i)))
             for i in range(8)]
    assert_error(run(capsys, "custom", "add", "wave", *eight, "--no-check"), "wave has 3 takes", "7 more")
    assert listed(capsys)[0]["takes"] == 3


def test_a_bundled_name_counts_as_that_sign(data, clips, capsys):
    code, out, err = run(capsys, "custom", "add", "Hello", str(clips[0]), "--model", MODEL)
    assert code == 0, err
    assert "is a sign of asl-basics (hello)" in out and "personal version" in out
    code, out, _ = run(capsys, "recognize", str(clips[1]), "--model", MODEL, "--json")
    best = json.loads(out.splitlines()[0])["top"][0]
    assert best["id"] == "hello", "the personal version adds to the bundled sign"


def test_remove_and_rename(data, clips, capsys):
    run(capsys, "custom", "add", "one", str(clips[0]), "--no-check")
    run(capsys, "custom", "add", "two", str(clips[1]), "--no-check")
    assert_error(run(capsys, "custom", "rename", "one", "TWO"), "already a custom sign called 'two'")
    code, out, _ = run(capsys, "custom", "rename", "one", "uno", "--gloss", "one")
    assert code == 0 and "renamed one to uno (one)" in out
    assert [(r["name"], r["gloss"]) for r in listed(capsys)] == [("two", ""), ("uno", "one")]
    assert_error(run(capsys, "custom", "rename", "three", "tres"), "no custom sign called 'three'")

    code, out, _ = run(capsys, "custom", "remove", "uno")
    assert code == 0 and "removed uno (one) (1 take)" in out
    assert [r["name"] for r in listed(capsys)] == ["two"]
    assert_error(run(capsys, "custom", "remove", "uno"), "no custom sign called 'uno'")


def test_export_and_import_round_trip(data, clips, tmp_path, capsys, monkeypatch):
    run(capsys, "custom", "add", "one", str(clips[0]), str(clips[1]), "--gloss", "1", "--no-check")
    run(capsys, "custom", "add", "two", str(clips[2]), "--category", "numbers", "--no-check")
    run(capsys, "custom", "add", "three", str(clips[3]), "--no-check")
    assert_error(run(capsys, "custom", "export", str(tmp_path / "x.signpack"), "four"), "no custom sign called 'four'")
    code, out, err = run(capsys, "custom", "export", str(tmp_path / "class1"), "one", "two", "--name", "Class 1",
                         "--language", "ASL", "--author", "Ms. K")
    assert code == 0, err
    pack = tmp_path / "class1.signpack"
    assert f"wrote {pack}: 2 signs (3 takes)" in out

    before = {s.name: s for s in CustomStore().load()}
    monkeypatch.setenv("SIGNDESK_DATA_DIR", str(tmp_path / "student"))
    code, out, err = run(capsys, "custom", "import", str(pack))
    assert code == 0, err
    assert "imported Class 1: 2 signs added" in out
    rows = listed(capsys)
    assert [(r["name"], r["gloss"], r["takes"], r["pack"], r["category"]) for r in rows] == [
        ("one", "1", 2, "Class 1", ""), ("two", "", 1, "Class 1", "numbers")]
    for sign in CustomStore().load():
        for mine, theirs in zip(before[sign.name].takes, sign.takes):
            np.testing.assert_array_equal(mine.landmarks, theirs.landmarks)

    code, out, _ = run(capsys, "custom", "export", str(tmp_path / "all.signpack"))
    assert code == 0 and "2 signs" in out


def test_import_clash_needs_a_choice(data, clips, tmp_path, capsys):
    run(capsys, "custom", "add", "one", str(clips[0]), "--no-check")
    run(capsys, "custom", "add", "two", str(clips[1]), "--no-check")
    pack = tmp_path / "p.signpack"
    assert run(capsys, "custom", "export", str(pack))[0] == 0
    run(capsys, "custom", "remove", "two")
    run(capsys, "custom", "add", "two", str(clips[2]), "--no-check")
    run(capsys, "custom", "add", "new", str(clips[3]), "--no-check")
    ids = {r["name"]: r["id"] for r in listed(capsys)}

    assert_error(run(capsys, "custom", "import", str(pack)), "2 signs of the pack clash", "one, two",
                 "--replace", "--rename", "--skip", "nothing was imported")
    assert {r["name"]: r["id"] for r in listed(capsys)} == ids

    code, out, _ = run(capsys, "custom", "import", str(pack), "--skip")
    assert code == 0 and "imported p: 2 skipped" in out
    code, out, _ = run(capsys, "custom", "import", str(pack), "--rename")
    assert code == 0 and "one → one (2)" in out
    assert sorted(r["name"] for r in listed(capsys)) == ["new", "one", "one (2)", "two", "two (2)"]
    code, out, _ = run(capsys, "custom", "import", str(pack), "--replace")
    assert code == 0 and "2 replaced" in out
    rows = {r["name"]: r for r in listed(capsys)}
    assert rows["two"]["id"] != ids["two"] and rows["two"]["pack"] == "p" and rows["new"]["id"] == ids["new"]
    code, _, err = run(capsys, "custom", "import", str(pack), "--replace", "--skip")
    assert code == 2 and "not allowed with" in err


def test_a_bad_pack_leaves_the_store_untouched(data, clips, tmp_path, capsys):
    run(capsys, "custom", "add", "one", str(clips[0]), "--no-check")
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    fake = tmp_path / "fake.signpack"
    fake.write_text("not a zip")
    assert_error(run(capsys, "custom", "import", str(fake)), "fake.signpack: not a signdesk pack")
    assert_error(run(capsys, "custom", "import", str(tmp_path / "gone.signpack")), "gone.signpack: no such file")
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before


def test_bad_clips_save_nothing(data, clips, tmp_path, capsys):
    bad = tmp_path / "x.npz"
    np.savez(bad, points=np.zeros(3))
    still = write_clip(tmp_path / "still.npz", sign_stream(rest=30))
    cases = [
        ((str(clips[0]), str(bad)), "x.npz: not written by signdesk extract (no 'landmarks' array)"),
        ((str(clips[0]), str(tmp_path / "gone.npz")), "gone.npz: no such file"),
        ((str(clips[0]), str(still)), "still.npz: no sign found"),
    ]
    for paths, needle in cases:
        assert_error(run(capsys, "custom", "add", "sign", *paths, "--no-check"), needle, "nothing was saved")
    assert listed(capsys) == []
    assert not (data / "custom").exists() or not [p for p in (data / "custom").iterdir()
                                                  if not p.name.startswith(".")]
    assert_error(run(capsys, "custom", "add", " ", str(clips[0]), "--no-check"), "needs a name")
    eleven = [str(clips[0])] * 11
    assert_error(run(capsys, "custom", "add", "sign", *eleven, "--no-check"), "at most 10 clips")
    assert_error(run(capsys, "custom", "add", "sign", str(clips[0]), "--model", "no-such-model"), "no-such-model")
    assert listed(capsys) == []


def test_a_damaged_entry_is_reported_and_skipped(data, clips, capsys):
    run(capsys, "custom", "add", "good", str(clips[0]), "--no-check")
    run(capsys, "custom", "add", "bad", str(clips[1]), "--no-check")
    bad_id = next(r["id"] for r in listed(capsys) if r["name"] == "bad")
    (data / "custom" / bad_id / "sign.json").write_text("{ damaged")
    code, out, err = run(capsys, "custom", "list")
    assert code == 0 and "good" in out and "bad" not in out
    assert "signdesk: warning: skipped a damaged custom sign" in err and bad_id in err


def test_no_custom_signs_yet(data, capsys):
    code, out, _ = run(capsys, "custom", "list")
    assert code == 0 and "no custom signs" in out
    assert_error(run(capsys, "custom", "export", "p.signpack"), "no custom signs to export")
    code, _, err = run(capsys, "custom")
    assert code == 2 and "ACTION" in err


def test_teach_a_sign_from_real_videos(data, capsys):
    """Three real clips of KArSL sign 0075 make a custom sign that a fourth clip is recognized as."""
    clips = sorted(need(KARSL_WALEAD / "01-test-mp4s").glob("*_0075_*.mp4"))
    assert len(clips) >= 4
    model = ("--model", "karsl-arabic")
    code, out, err = run(capsys, "custom", "add", "my sign", *map(str, clips[:3]), *model)
    assert code == 0, err
    assert out.count("from video:") == 3 and "recognized as my sign" in out
    code, out, err = run(capsys, "recognize", str(clips[-1]), *model, "--json")
    assert code == 0, err
    (rec,) = [json.loads(line) for line in out.splitlines()]
    assert "my sign" in [c["name"] for c in rec["top"]], rec
