"""Atomic writes (signdesk.files): the old file or the complete new one, never half, nothing left over."""

from __future__ import annotations

import json
import os
import stat

import numpy as np
import pytest

from signdesk import files
from signdesk.files import atomic_path, write_json, write_npz


def test_a_failed_block_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "model.onnx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="disk full"):
        with atomic_path(target, ".onnx") as tmp:
            assert tmp.parent == tmp_path and tmp != target
            tmp.write_bytes(b"half of the new")
            raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.onnx"]


def test_a_failed_first_write_creates_nothing(tmp_path):
    with pytest.raises(OSError):
        with atomic_path(tmp_path / "new.json"):
            raise OSError("no space left on device")
    assert not list(tmp_path.iterdir())


def test_a_successful_block_replaces_the_file(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old")
    with atomic_path(target) as tmp:
        tmp.write_text("new")
        assert target.read_text() == "old", "the old file stays until the block succeeds"
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_write_json_round_trips_and_keeps_non_ascii_readable(tmp_path):
    doc = {"labels": [{"name": "واحد", "gloss": "one", "id": "0002"}], "classes": 1, "ok": True}
    path = write_json(tmp_path / "labels.json", doc)
    assert path == tmp_path / "labels.json"
    assert json.loads(path.read_text(encoding="utf-8")) == doc
    assert "واحد" in path.read_text(encoding="utf-8")


def test_write_npz_round_trips(tmp_path):
    landmarks = np.random.default_rng(0).random((7, 184, 4), dtype=np.float32)
    path = write_npz(tmp_path / "clip.npz", landmarks=landmarks, fps=np.float64(30.0), source=np.array("a.mp4"))
    with np.load(path) as data:
        np.testing.assert_array_equal(data["landmarks"], landmarks)
        assert data["landmarks"].dtype == np.float32
        assert float(data["fps"]) == 30.0 and str(data["source"]) == "a.mp4"
    assert [p.name for p in tmp_path.iterdir()] == ["clip.npz"]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_permissions_follow_the_umask(tmp_path, umask):
    """mkstemp makes 0600 files; the written file gets the mode an ordinary open() would."""
    old = os.umask(umask)
    files._umask.cache_clear()
    try:
        path = write_json(tmp_path / "doc.json", {"a": 1})
    finally:
        os.umask(old)
        files._umask.cache_clear()
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
