"""Data safety: a process killed mid-save, and a disk that fills mid-save, never cost what was saved.

Killing: a child process saves a custom sign, imports a pack or records practice progress in
a loop, printing after each save returned; it is SIGKILLed at a random moment (mostly in the
middle of a write, since that is all it does). Then the store must load without a problem and
hold the last saved state or the one being saved, whole. ``SIGNDESK_KILL_ROUNDS`` (default 2)
sets how many kills per store; docs/reliability.md gives the figures of a longer run.

Leftovers: a child is SIGKILLed while it holds a temporary file, a half-removed sign or a
half-done replace; the next load deletes what the dead process left and nothing else.

Full disk: the kernel refuses writes past RLIMIT_FSIZE (EFBIG, a real failed write, not a mock)
in a child, or ``os.replace`` (the commit point of every atomic write) fails with ENOSPC.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from signdesk import files
from signdesk.custom import CustomSign, CustomStore, Take
from signdesk.packs import Clash, export_pack, import_pack, read_pack
from signdesk.practice.progress import ProgressStore

REPO = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("SIGNDESK_KILL_ROUNDS", "2"))
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and RLIMIT_FSIZE are POSIX")

SAVE_LOOP = textwrap.dedent("""
    import sys
    from dataclasses import replace
    import numpy as np
    from signdesk.custom import CustomStore, Take
    store = CustomStore(sys.argv[1])
    [sign] = [s for s in store.load() if s.name != "other"]
    n = int(sign.name[1:]) + 1
    print("ready", flush=True)
    while True:
        takes = [Take(np.full((8 + k, 184, 4), n + k / 10, np.float32)) for k in range(3)]
        sign = store.save(replace(sign, name=f"v{n}", takes=takes))
        print(n, flush=True)
        n += 1
""")

IMPORT_LOOP = textwrap.dedent("""
    import sys
    from signdesk.custom import CustomStore
    from signdesk.packs import Clash, import_pack, read_pack
    store, pack = CustomStore(sys.argv[1]), read_pack(sys.argv[2])
    print("ready", flush=True)
    n = 0
    while True:
        import_pack(store, pack, Clash.REPLACE)
        print(n, flush=True)
        n += 1
""")

RECORD_LOOP = textwrap.dedent("""
    import sys
    from signdesk.practice.progress import ProgressStore
    store = ProgressStore(sys.argv[1])
    print("ready", flush=True)
    n = 0
    while True:
        store.record(f"s{n % 5}", f"sign {n % 5}", n % 2 == 0, 0.5)
        print(n, flush=True)
        n += 1
""")


def kill_mid_loop(code: str, args: list[str], delay: float) -> list[int]:
    """Run ``code`` in a child, SIGKILL it ``delay`` s after it is ready; the saves it reported done."""
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=REPO)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in child.stdout:
            lines.append(line.strip())
            ready.set()

    reader = threading.Thread(target=read)
    reader.start()
    if not ready.wait(60):
        child.kill()
        reader.join()
        raise AssertionError(f"the child never got ready: {child.stderr.read()}")
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    reader.join(10)
    err = child.stderr.read()
    child.stdout.close()
    child.stderr.close()
    assert child.returncode == -signal.SIGKILL, f"the child ended on its own: {err}"
    assert lines[0] == "ready"
    return [int(x) for x in lines[1:]]


def leftovers(root: Path) -> list[str]:
    """Hidden files and folders in the store, apart from the embeddings cache."""
    return sorted(str(p.relative_to(root)) for p in root.rglob(".*") if not str(p.relative_to(root)).startswith(
        ".embeddings"))


def take_values(sign: CustomSign) -> list[float]:
    """One value per take; a whole save writes takes n, n.1, n.2 of 8, 9, 10 frames."""
    values = []
    for k, take in enumerate(sign.takes):
        assert take.landmarks.shape == (8 + k, 184, 4)
        assert np.unique(take.landmarks).size == 1, "a take mixes two saves"
        values.append(float(take.landmarks.flat[0]))
    return values


@posix_only
def test_a_custom_sign_save_killed_at_random_moments_leaves_the_last_version_or_the_new_one_whole(tmp_path):
    store = CustomStore(tmp_path / "custom")
    store.save(CustomSign("v0", [Take(np.zeros((8, 184, 4), np.float32))]))
    store.save(CustomSign("other", [Take(np.ones((5, 184, 4), np.float32))]))
    other = (store.root, [s for s in store.load() if s.name == "other"][0].id)
    rng, last = random.Random(15), 0
    for _ in range(ROUNDS):
        done = kill_mid_loop(SAVE_LOOP, [str(store.root)], rng.uniform(0.05, 0.4))
        signs = store.load()
        assert store.problems == [] and len(signs) == 2
        assert leftovers(store.root) == [], "the dead save's temporary files are tidied on load"
        [sign] = [s for s in signs if s.name != "other"]
        n = int(sign.name[1:])
        saved = done[-1] if done else last
        assert n in (saved, saved + 1), f"reported {saved} saved, found v{n}"
        if n:
            assert take_values(sign) == pytest.approx([n, n + 0.1, n + 0.2])
        last = n
    assert (other[0] / other[1] / "sign.json").is_file(), "a sign nobody touched is untouched"


@posix_only
def test_a_pack_import_killed_at_random_moments_never_leaves_a_sign_neither_old_nor_new(tmp_path):
    rng = np.random.default_rng(3)
    pack_signs = [CustomSign(name, [Take(rng.random((6 + i, 184, 4), dtype=np.float32)) for i in range(3)])
                  for name in ("hello", "thanks", "school")]
    pack_path = export_pack(pack_signs, tmp_path / "class.signpack", name="class")
    pack = read_pack(pack_path)
    want = {s.name: [t.landmarks.tobytes() for t in s.takes] for s in pack.signs}
    store = CustomStore(tmp_path / "custom")
    mine = store.save(CustomSign("mine", [Take(np.ones((5, 184, 4), np.float32))]))
    import_pack(store, pack)
    delays = random.Random(7)
    for _ in range(ROUNDS):
        kill_mid_loop(IMPORT_LOOP, [str(store.root), str(pack_path)], delays.uniform(0.05, 0.5))
        signs = store.load()
        assert store.problems == []
        assert leftovers(store.root) == []
        names = [s.name for s in signs]
        assert names.count("mine") == 1
        for name in want:
            # the old version or the new one, exactly once: a dead replace's old copy goes on load
            assert names.count(name) == 1, f"{name}: {names.count(name)} copies"
        for sign in signs:
            if sign.name != "mine":
                assert [t.landmarks.tobytes() for t in sign.takes] == want[sign.name], "a half-imported sign"
    import_pack(store, pack, Clash.REPLACE)
    assert sorted(s.name for s in store.load()) == ["hello", "mine", "school", "thanks"]
    assert [s for s in store.load() if s.name == "mine"][0].id == mine.id


@posix_only
def test_progress_writes_killed_at_random_moments_keep_every_committed_attempt(tmp_path):
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path).close()
    delays, committed = random.Random(11), 0
    for _ in range(ROUNDS):
        done = kill_mid_loop(RECORD_LOOP, [str(path)], delays.uniform(0.05, 0.4))
        committed += len(done)
        with ProgressStore(path) as store:
            assert store.problem is None, store.problem  # not damaged, not set aside
            rows = len(store.history())
        assert committed <= rows <= committed + 1  # the attempt being written: in or out, whole
        committed = rows
        # SQLite rolls a dead writer's journal back on open and deletes it: nothing is left over
        assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.sqlite3"]
    assert not list(tmp_path.glob("*.corrupt-*"))


PROGRESS_UNDER_LIMIT = textwrap.dedent("""
    import os, resource, signal, sys
    from signdesk.practice.progress import ProgressStore
    store = ProgressStore(sys.argv[1])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the limit a write fails (EFBIG) instead
    size = os.path.getsize(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 8192, size + 8192))
    n = 0
    try:
        while True:
            store.record(f"s{n % 50}", "a sign with a long enough name " * 4, True, 0.5, feedback=["x" * 200])
            n += 1
    except Exception as exc:
        print(n, type(exc).__name__, exc)
""")


@posix_only
def test_progress_on_a_full_disk_fails_the_write_and_keeps_every_committed_attempt(tmp_path):
    """Not a mock: the kernel refuses the database's growth; SQLite rolls the attempt back."""
    path = tmp_path / "progress.sqlite3"
    with ProgressStore(path) as store:
        store.record("first", "first", True, 0.9)
    result = subprocess.run([sys.executable, "-c", PROGRESS_UNDER_LIMIT, str(path)], capture_output=True, text=True,
                            cwd=REPO, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    n, error = result.stdout.split()[:2]
    assert int(n) > 0 and error in ("OperationalError", "DatabaseError"), result.stdout
    with ProgressStore(path) as store:
        assert store.problem is None
        assert len(store.history()) == 1 + int(n)
        store.record("after", "after", True, 0.9)  # with room again, writing goes on
        assert len(store.history()) == 2 + int(n)


def _replace_fails_on(monkeypatch: pytest.MonkeyPatch, n: int) -> list[int]:
    """``os.replace`` (the commit of every atomic write) fails with ENOSPC on its ``n``-th call."""
    calls, real = [0], os.replace

    def fake(src: object, dst: object) -> None:
        calls[0] += 1
        if calls[0] == n:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(src, dst)

    monkeypatch.setattr(os, "replace", fake)
    return calls


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("writer", ["json", "npz"])
def test_an_atomic_write_whose_commit_fails_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch, writer):
    path = tmp_path / f"doc.{writer}"
    write = (lambda value: files.write_json(path, {"v": value})) if writer == "json" else (
        lambda value: files.write_npz(path, v=np.full(3, value)))
    write(1)
    before = snapshot(tmp_path)
    _replace_fails_on(monkeypatch, 1)
    with pytest.raises(OSError) as info:
        write(2)
    assert info.value.errno == errno.ENOSPC
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("failing_call", [1, 2, 4, 7])
def test_a_pack_import_on_a_disk_that_fills_up_is_undone(tmp_path, monkeypatch, failing_call):
    """Whichever file's commit fails (a take, a sign.json, a later sign), the store is as before."""
    rng = np.random.default_rng(5)
    pack_signs = [CustomSign(name, [Take(rng.random((6, 184, 4), dtype=np.float32)) for _ in range(2)])
                  for name in ("hello", "thanks", "school")]
    pack = read_pack(export_pack(pack_signs, tmp_path / "class.signpack", name="class"))
    store = CustomStore(tmp_path / "custom")
    store.save(CustomSign("hello", [Take(np.ones((5, 184, 4), np.float32))]))
    before = snapshot(store.root)
    calls = _replace_fails_on(monkeypatch, failing_call)
    with pytest.raises(OSError):
        import_pack(store, pack, Clash.REPLACE)
    assert calls[0] >= failing_call
    monkeypatch.undo()
    assert snapshot(store.root) == before
    [hello] = store.load()
    assert hello.name == "hello" and hello.takes[0].landmarks.shape == (5, 184, 4)


def test_a_custom_sign_whose_sign_json_commit_fails_keeps_the_previous_version(tmp_path, monkeypatch):
    store = CustomStore(tmp_path / "custom")
    old = store.save(CustomSign("hello", [Take(np.ones((5, 184, 4), np.float32))]))
    before = snapshot(store.root)
    _replace_fails_on(monkeypatch, 2)  # the new take commits, then sign.json does not
    with pytest.raises(OSError):
        store.save(replace(old, name="renamed", takes=[Take(np.zeros((6, 184, 4), np.float32))]))
    monkeypatch.undo()
    assert snapshot(store.root) == before
    assert store.load()[0].name == "hello"


HOLD_LEFTOVERS = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from signdesk.files import atomic_path
    sign_folder, trash = Path(sys.argv[1]), Path(sys.argv[2]).with_name(f".removed-{Path(sys.argv[2]).name}-{os.getpid()}")
    os.replace(Path(sys.argv[2]), trash)  # a removal, stopped before its rmtree
    with atomic_path(sign_folder / "take-0123456789abcdef.npz") as take, atomic_path(sign_folder / "sign.json", ".json") as doc:
        take.write_bytes(b"half a take")
        doc.write_text('{"half')
        print("ready", flush=True)
        time.sleep(60)
""")


def start_and_wait_ready(code: str, args: list[str]) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=REPO)
    line = child.stdout.readline().strip()
    if line != "ready":
        child.kill()
        raise AssertionError(f"the child never got ready: {line} {child.communicate()[1]}")
    return child


def kill(child: subprocess.Popen) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=10)
    assert child.returncode == -signal.SIGKILL


@posix_only
def test_leftovers_of_a_killed_writer_are_tidied_on_load_and_nothing_else(tmp_path):
    """While the writer lives its temporaries are left alone; once it is killed, the next load
    deletes them, its half-removed sign and an old never-committed first save; user files and
    another program's hidden files stay."""
    store = CustomStore(tmp_path / "custom")
    kept = store.save(CustomSign("kept", [Take(np.ones((5, 184, 4), np.float32))]))
    doomed = store.save(CustomSign("doomed", [Take(np.zeros((5, 184, 4), np.float32))]))
    unfinished = store.root / "0a1b2c3d"  # a first save killed before its sign.json
    unfinished.mkdir()
    np.savez(unfinished / "take-00112233aabbccdd.npz", landmarks=np.zeros((5, 184, 4), np.float32))
    os.utime(unfinished, (time.time() - 3600,) * 2)
    strangers = [store.root / kept.id / "notes.txt", store.root / kept.id / ".DS_Store",
                 store.root / ".embeddings" / ".x.npz.1-abcdefgh.tmp"]
    for path in strangers:
        path.parent.mkdir(exist_ok=True)
        path.write_text("not signdesk's")
    young_legacy = store.root / kept.id / ".sign.json.abcdefgh.json"  # unknown writer, just written
    young_legacy.write_text("{")
    writer = start_and_wait_ready(HOLD_LEFTOVERS, [str(store.root / kept.id), str(store.root / doomed.id)])
    try:
        held = leftovers(store.root)
        assert len([p for p in held if p.endswith((".tmp", ".json")) and kept.id in p]) == 3
        assert [s.name for s in store.load()] == ["kept"] and store.problems == []
        assert leftovers(store.root) == held, "a live writer's files are not touched"
    finally:
        kill(writer)
    user_files = {p: p.read_bytes() for p in [*strangers, store.root / kept.id / "sign.json"]}
    signs = store.load()
    assert store.problems == [] and [s.name for s in signs] == ["kept"]
    assert leftovers(store.root) == sorted(str(p.relative_to(store.root)) for p in (
        store.root / kept.id / ".DS_Store", young_legacy)), "only the dead writer's leftovers went"
    assert not unfinished.exists()
    assert {p: p.read_bytes() for p in user_files} == user_files
    os.utime(young_legacy, (time.time() - 3600,) * 2)
    store.load()
    assert not young_legacy.exists(), "a temporary of unknown writer goes once it is old"


STOP_BEFORE_REMOVING = textwrap.dedent("""
    import sys, time
    from signdesk.custom import CustomStore
    from signdesk.packs import Clash, import_pack, read_pack
    store = CustomStore(sys.argv[1])
    def remove(sign):
        print("ready", flush=True)  # every new version saved, no old one removed yet
        time.sleep(60)
    store.remove = remove
    import_pack(store, read_pack(sys.argv[2]), Clash.REPLACE)
""")


@posix_only
def test_a_replace_import_killed_before_removing_the_old_versions_leaves_each_sign_once(tmp_path):
    rng = np.random.default_rng(9)
    old = [CustomSign(n, [Take(rng.random((6, 184, 4), dtype=np.float32))]) for n in ("hello", "thanks")]
    new = [CustomSign(n, [Take(rng.random((7, 184, 4), dtype=np.float32))]) for n in ("hello", "thanks")]
    store = CustomStore(tmp_path / "custom")
    import_pack(store, read_pack(export_pack(old, tmp_path / "old.signpack", name="old")))
    mine = store.save(CustomSign("mine", [Take(np.ones((5, 184, 4), np.float32))]))
    importer = start_and_wait_ready(STOP_BEFORE_REMOVING,
                                    [str(store.root), str(export_pack(new, tmp_path / "new.signpack", name="new"))])
    try:
        names = sorted(s.name for s in store.load())
        assert names == ["hello", "hello", "mine", "thanks", "thanks"], "the importer runs: both versions stay"
    finally:
        kill(importer)
    signs = store.load()
    assert store.problems == [] and sorted(s.name for s in signs) == ["hello", "mine", "thanks"]
    for sign in signs:
        if sign.name != "mine":
            assert sign.pack == "new" and sign.takes[0].frames == 7, "the newest complete copy is kept"
    assert [s.id for s in signs if s.name == "mine"] == [mine.id]
    assert len([p for p in store.root.iterdir() if not p.name.startswith(".")]) == 3
