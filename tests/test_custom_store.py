"""CustomStore (signdesk.custom): signs round-trip, damage is reported not fatal, a failed save keeps the old sign.

Landmarks are synthetic (random float32 of shape (T, 184, 4)); no dataset file is used.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from signdesk.custom import (
    MAX_NAME_LENGTH,
    MAX_TAKE_FRAMES,
    MAX_TAKES,
    SIGN_FILE,
    CustomSign,
    CustomSignError,
    CustomStore,
    Take,
    check_name,
)

REPO = Path(__file__).resolve().parents[1]


def landmarks(frames: int = 8, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((frames, 184, 4), dtype=np.float32)


def sign(name: str = "hello", takes: int = 2, seed: int = 0, **kw) -> CustomSign:
    return CustomSign(name, [Take(landmarks(6 + i, seed * 100 + i)) for i in range(takes)], **kw)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (temporary ones included) with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def hidden(root: Path) -> list[str]:
    return [str(p.relative_to(root)) for p in root.rglob(".*")]


@pytest.fixture
def store(tmp_path: Path) -> CustomStore:
    return CustomStore(tmp_path / "custom")


# --- round trip ------------------------------------------------------------------------------


def test_a_sign_round_trips_with_arabic_name_gloss_takes_and_reference(store):
    original = CustomSign("  شكرا   جزيلا ", [Take(landmarks(4, 1), 25.0, "camera"), Take(landmarks(600, 2), 30.0,
                          "video:clip.mp4"), Take(landmarks(9, 3), np.float32(29.97), "npz:x.npz")],
                          gloss=" thank   you ", reference=2, language="ArSL", category="greetings")
    stored = store.save(original)
    assert stored.name == "شكرا جزيلا" and stored.gloss == "thank you" and stored.id == original.id
    [loaded] = store.load()
    assert store.problems == []
    assert (loaded.name, loaded.gloss, loaded.reference, loaded.language, loaded.category, loaded.id) == (
        "شكرا جزيلا", "thank you", 2, "ArSL", "greetings", original.id)
    assert len(loaded.takes) == 3
    for got, want in zip(loaded.takes, original.takes, strict=True):
        assert got.landmarks.dtype == np.float32
        assert got.landmarks.tobytes() == want.landmarks.tobytes()
        assert got.source == want.source
        assert got.fps == pytest.approx(float(want.fps))
    assert loaded.reference_take.landmarks.tobytes() == original.takes[2].landmarks.tobytes()
    assert "شكرا" in (store.root / original.id / SIGN_FILE).read_text(encoding="utf-8")
    assert store.find("THANK YOU").id == original.id and store.find("شكرا جزيلا").id == original.id
    assert store.find("nothing") is None


def test_a_name_with_a_zero_width_non_joiner_is_kept(store):
    name = "می\u200cخواهم"  # Persian "I want": the ZWNJ is part of the spelling, not a control character
    assert store.save(sign(name)).name == name
    assert store.load()[0].name == name


def test_signs_load_sorted_by_name_and_each_has_its_folder(store):
    for i, name in enumerate(["zebra", "Apple", "مرحبا"]):
        store.save(sign(name, seed=i))
    assert [s.name for s in store.load()] == ["Apple", "zebra", "مرحبا"]
    assert len([p for p in store.root.iterdir() if p.is_dir()]) == 3


def test_rename_keeps_id_and_takes(store):
    stored = store.save(sign("hello", gloss="hi"))
    files = sorted(p.name for p in (store.root / stored.id).iterdir())
    renamed = store.rename(stored, "مرحبا")
    assert renamed.id == stored.id and renamed.gloss == "hi"
    [loaded] = store.load()
    assert loaded.name == "مرحبا" and loaded.gloss == "hi"
    assert [t.landmarks.tobytes() for t in loaded.takes] == [t.landmarks.tobytes() for t in stored.takes]
    assert sorted(p.name for p in (store.root / stored.id).iterdir()) == files
    assert store.rename(loaded, "مرحبا", gloss="hello").gloss == "hello"


def test_changing_takes_removes_the_old_take_files(store):
    stored = store.save(sign(takes=3))
    store.save(replace(stored, takes=stored.takes[:1]))
    assert len(list((store.root / stored.id).glob("take-*.npz"))) == 1
    assert len(store.load()[0].takes) == 1


def test_remove_by_sign_and_by_id_leaves_nothing(store):
    a, b = store.save(sign("a")), store.save(sign("b", seed=1))
    store.remove(a)
    store.remove(b.id)
    assert store.load() == [] and list(store.root.iterdir()) == []
    with pytest.raises(CustomSignError, match="no custom sign"):
        store.remove(a)


def test_a_missing_root_loads_nothing(tmp_path):
    store = CustomStore(tmp_path / "absent")
    assert store.load() == [] and store.problems == []


# --- damage on disk ----------------------------------------------------------------------------


def _edit_json(path: Path, **changes) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.update(changes)
    path.write_text(json.dumps(doc), encoding="utf-8")


DAMAGE = {
    "bad json": (lambda p: p.write_text('{"name": "x", "takes": [', encoding="utf-8"), "damaged"),
    "not an object": (lambda p: p.write_text("[1, 2]", encoding="utf-8"), "not a JSON object"),
    "not utf-8": (lambda p: p.write_bytes(b"\xff\xfe\x00garbage"), "cannot read"),
    "newer format": (lambda p: _edit_json(p, format=99), "newer"),
    "format not a number": (lambda p: _edit_json(p, format="1"), "not a whole number"),
    "name not text": (lambda p: _edit_json(p, name=5), "must be text"),
    "name missing": (lambda p: _edit_json(p, name=None), "must be text"),
    "takes not a list": (lambda p: _edit_json(p, takes="take-1.npz"), "no takes"),
    "no takes": (lambda p: _edit_json(p, takes=[]), "no takes"),
    "take not an object": (lambda p: _edit_json(p, takes=[3]), "damaged"),
    "reference not a number": (lambda p: _edit_json(p, reference="first"), "damaged"),
    "fps not a number": (lambda p: _edit_json(p, takes=[{"file": json.loads(p.read_text())["takes"][0]["file"],
                                                          "fps": "fast"}]), "damaged"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_sign_json_is_reported_and_the_others_still_load(store, damage):
    hurt = store.save(sign("hurt"))
    store.save(sign("fine", seed=1))
    edit, message = DAMAGE[damage]
    edit(store.root / hurt.id / SIGN_FILE)
    assert [s.name for s in store.load()] == ["fine"]
    assert len(store.problems) == 1
    assert hurt.id in store.problems[0] and message in store.problems[0]


def _take_file(store: CustomStore, s: CustomSign) -> Path:
    return min((store.root / s.id).glob("take-*.npz"))


TAKE_DAMAGE = {
    "missing": (lambda p: p.unlink(), "cannot read"),
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]), "cannot read"),
    "tail cut": (lambda p: p.write_bytes(p.read_bytes()[:-20]), "cannot read"),
    "middle scrambled": (lambda p: p.write_bytes(p.read_bytes()[:200] + b"\0" * 500 + p.read_bytes()[700:]),
                         "cannot read"),
    "not numpy": (lambda p: p.write_bytes(b"just some text"), "cannot read"),
    "empty": (lambda p: p.write_bytes(b""), "cannot read"),
    "no landmarks key": (lambda p: np.savez(p, other=np.zeros(3)), "cannot read"),
    "pickled objects": (lambda p: np.savez(p, landmarks=np.array([{"a": 1}], dtype=object)), "cannot read"),
    "nan": (lambda p: np.savez(p, landmarks=np.full((8, 184, 4), np.nan, np.float32)), "NaN"),
    "wrong shape": (lambda p: np.savez(p, landmarks=np.zeros((8, 184, 3), np.float32)), "shape"),
}


@pytest.mark.parametrize("damage", TAKE_DAMAGE, ids=list(TAKE_DAMAGE))
def test_a_missing_or_damaged_take_is_reported_and_the_others_still_load(store, damage):
    hurt = store.save(sign("hurt"))
    store.save(sign("fine", seed=1))
    path = _take_file(store, hurt)
    edit, message = TAKE_DAMAGE[damage]
    edit(path)
    assert [s.name for s in store.load()] == ["fine"]
    assert len(store.problems) == 1 and message in store.problems[0] and hurt.id in store.problems[0]


def test_an_unfinished_first_save_and_an_unlisted_take_are_ignored_silently(store):
    kept = store.save(sign("kept"))
    (store.root / "abc123").mkdir()
    np.savez(store.root / "abc123" / "take-0000.npz", landmarks=landmarks())
    np.savez(store.root / kept.id / "take-unlisted.npz", landmarks=landmarks())
    assert [s.name for s in store.load()] == ["kept"] and store.problems == []
    assert len(store.load()[0].takes) == 2


# --- refused input -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "x" * (MAX_NAME_LENGTH + 1), "bad\x00name", "bell\x07", "del\x7f",
                                  "c1\x9bcontrol", "lone\ud800surrogate", None, 42])
def test_invalid_names_are_refused_and_nothing_is_written(store, name):
    with pytest.raises(CustomSignError):
        store.save(sign(name))
    assert not store.root.exists() or list(store.root.iterdir()) == []


def test_check_name_trims_and_keeps_any_script():
    assert check_name("  hello \t world ") == "hello world"
    assert check_name("x" * MAX_NAME_LENGTH) == "x" * MAX_NAME_LENGTH
    assert check_name("手话 ñ שלום") == "手话 ñ שלום"


BAD_TAKES = {
    "wrong shape": np.zeros((8, 183, 4), np.float32),
    "two dims": np.zeros((8, 736), np.float32),
    "too few frames": np.zeros((3, 184, 4), np.float32),
    "too many frames": np.zeros((MAX_TAKE_FRAMES + 1, 184, 4), np.float32),
    "nan": np.full((8, 184, 4), np.nan, np.float32),
    "inf": np.full((8, 184, 4), np.inf, np.float32),
    "float32 overflow": np.full((8, 184, 4), 1e300, np.float64),  # becomes inf as float32
    "objects": np.full((8, 184, 4), None, object),
    "text": np.full((8, 184, 4), "a"),
    "booleans": np.ones((8, 184, 4), bool),
}


@pytest.mark.parametrize("bad", BAD_TAKES, ids=list(BAD_TAKES))
def test_invalid_landmarks_are_refused_and_nothing_is_written(store, bad):
    with pytest.raises(CustomSignError, match="take 2"):
        store.save(CustomSign("x", [Take(landmarks()), Take(BAD_TAKES[bad])]))
    assert not store.root.exists()


@pytest.mark.parametrize(("takes", "fps", "sign_id", "message"), [
    (0, 30.0, "ab12", "at least one take"),
    (MAX_TAKES + 1, 30.0, "ab12", "at most"),
    (1, float("nan"), "ab12", "frame rate"),
    (1, 0, "ab12", "frame rate"),
    (1, "fast", "ab12", "frame rate"),
    (1, 30.0, "../escape", "not a valid sign id"),
    (1, 30.0, "", "not a valid sign id"),
])
def test_invalid_signs_are_refused(store, takes, fps, sign_id, message):
    bad = CustomSign("x", [Take(landmarks(seed=i), fps) for i in range(takes)], id=sign_id)
    with pytest.raises(CustomSignError, match=message):
        store.save(bad)
    assert not store.root.exists()


def test_integer_landmarks_are_stored_as_float32(store):
    stored = store.save(CustomSign("ints", [Take(np.ones((5, 184, 4), np.int64))]))
    assert stored.takes[0].landmarks.dtype == np.float32
    assert store.load()[0].takes[0].landmarks.dtype == np.float32


# --- failed saves ------------------------------------------------------------------------------


def _no_space_on_call(monkeypatch, n: int) -> list[int]:
    """``np.savez_compressed`` that writes half a file and fails with ENOSPC on its ``n``-th call."""
    calls = [0]
    real = np.savez_compressed

    def savez(fh, **arrays):
        calls[0] += 1
        if calls[0] == n:
            fh.write(b"PK\x03\x04 half a take")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fh, **arrays)

    monkeypatch.setattr(np, "savez_compressed", savez)
    return calls


def test_a_save_failing_at_the_second_take_keeps_the_previous_version(store, monkeypatch):
    old = store.save(sign("hello", takes=2, gloss="hi"))
    before = snapshot(store.root)
    _no_space_on_call(monkeypatch, 2)
    changed = replace(old, name="renamed", takes=[Take(landmarks(7, 50 + i)) for i in range(3)])
    with pytest.raises(OSError) as info:
        store.save(changed)
    assert info.value.errno == errno.ENOSPC
    assert snapshot(store.root) == before, "old files intact, no half take, no temporary file"
    [loaded] = store.load()
    assert loaded.name == "hello" and [t.landmarks.tobytes() for t in loaded.takes] == [
        t.landmarks.tobytes() for t in old.takes]


def test_a_first_save_that_fails_leaves_no_folder(store, monkeypatch):
    store.save(sign("other", seed=9))
    before = snapshot(store.root)
    _no_space_on_call(monkeypatch, 2)
    with pytest.raises(OSError):
        store.save(sign("new", takes=3))
    assert snapshot(store.root) == before
    assert len(list(store.root.iterdir())) == 1
    assert [s.name for s in store.load()] == ["other"] and store.problems == []


def test_a_save_failing_when_sign_json_is_written_keeps_the_previous_version(store, monkeypatch):
    old = store.save(sign("hello"))
    before = snapshot(store.root)

    def write_text_fails(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", write_text_fails)
    with pytest.raises(OSError):
        store.save(replace(old, name="new name", takes=[Take(landmarks(9, 77))]))
    monkeypatch.undo()
    assert snapshot(store.root) == before
    assert store.load()[0].name == "hello"


def test_a_failing_fsync_leaves_no_temporary_file(store, monkeypatch):
    old = store.save(sign("hello"))
    before = snapshot(store.root)

    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError):
        store.save(replace(old, takes=[Take(landmarks(5, 66))]))
    monkeypatch.undo()
    assert snapshot(store.root) == before and hidden(store.root) == []
    assert store.load()[0].takes[0].landmarks.tobytes() == old.takes[0].landmarks.tobytes()


CHILD = textwrap.dedent("""
    import errno, resource, signal, sys
    from dataclasses import replace
    import numpy as np
    from signdesk.custom import CustomStore, Take

    store = CustomStore(sys.argv[1])
    [sign] = store.load()
    # the first take fits under the limit and is written; the second does not
    big = [Take(np.random.default_rng(i).random((n, 184, 4), dtype=np.float32)) for i, n in enumerate((5, 600))]
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
    try:
        store.save(replace(sign, name="too big", takes=big))
    except OSError as exc:
        print(errno.errorcode.get(exc.errno, exc.errno))
    else:
        print("saved")
""")


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_real_write_limit_fails_the_save_and_the_store_stays_whole(store):
    """Not a mock: the kernel refuses the write (EFBIG past RLIMIT_FSIZE) in a child process."""
    old = store.save(sign("small", takes=2))
    before = snapshot(store.root)
    result = subprocess.run([sys.executable, "-c", CHILD, str(store.root)], capture_output=True, text=True,
                            cwd=REPO, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "EFBIG"
    assert snapshot(store.root) == before and hidden(store.root) == []
    [loaded] = store.load()
    assert loaded.name == "small" and [t.landmarks.tobytes() for t in loaded.takes] == [
        t.landmarks.tobytes() for t in old.takes]
