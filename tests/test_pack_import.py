"""Stopping a pack import between signs (signdesk.pack_import): what is saved is whole, the rest absent."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from signdesk.custom import CustomSign, CustomStore, Take
from signdesk.packs import Clash, export_pack, import_pack, read_pack


def signs(names: list[str], frames: int, seed: int) -> list[CustomSign]:
    rng = np.random.default_rng(seed)
    return [CustomSign(n, [Take(rng.random((frames, 184, 4), dtype=np.float32)) for _ in range(2)]) for n in names]


def test_a_cancelled_import_stops_between_signs_and_keeps_each_saved_sign_whole(tmp_path):
    store = CustomStore(tmp_path / "custom")
    olds = {s.name: store.save(s) for s in signs(["s0", "s1", "s2"], 5, seed=1)}
    pack = read_pack(export_pack(signs([f"s{i}" for i in range(6)], 9, seed=2), tmp_path / "p.signpack", name="p"))
    asked = []

    def cancel() -> bool:  # the window closes while the third sign is being saved
        asked.append(len(asked))
        return len(asked) > 2

    report = import_pack(store, pack, Clash.REPLACE, cancel=cancel)
    assert report.cancelled and report.replaced == ["s0", "s1"] and report.added == []
    assert report.not_imported == ["s2", "s3", "s4", "s5"]
    loaded = {s.name: s for s in store.load()}
    assert store.problems == [] and sorted(loaded) == ["s0", "s1", "s2"], "each sign once"
    new = {s.name: s for s in pack.signs}
    for name in ("s0", "s1"):  # imported: the pack's version, whole; the old one removed
        assert [t.landmarks.tobytes() for t in loaded[name].takes] == [t.landmarks.tobytes() for t in new[name].takes]
        assert not (store.root / olds[name].id).exists()
    assert loaded["s2"].id == olds["s2"].id and loaded["s2"].takes[0].frames == 5, "not reached: untouched"
    assert [p.name for p in store.root.rglob(".*")] == []


def test_an_import_not_cancelled_imports_everything(tmp_path):
    store = CustomStore(tmp_path / "custom")
    pack = read_pack(export_pack(signs(["a", "b"], 6, seed=3), tmp_path / "p.signpack", name="p"))
    report = import_pack(store, pack, cancel=lambda: False)
    assert not report.cancelled and report.added == ["a", "b"] and report.not_imported == []


def test_an_export_tidies_what_a_killed_export_to_the_same_file_left(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", ""])
    dead.wait()
    leftover = tmp_path / f".p.signpack.{dead.pid}-abcdefgh.tmp"
    other = tmp_path / f".q.signpack.{dead.pid}-abcdefgh.tmp"  # another file's: not this export's business
    live = tmp_path / f".p.signpack.{os.getpid()}-abcdefgh.tmp"  # a write of this very process
    for path in (leftover, other, live):
        path.write_bytes(b"half a pack")
    export_pack(signs(["a"], 6, seed=4), tmp_path / "p.signpack", name="p")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["p.signpack", other.name, live.name])
    assert read_pack(tmp_path / "p.signpack").signs[0].name == "a"
