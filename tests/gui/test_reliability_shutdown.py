"""Closing the window at awkward moments: mid-sign, while MediaPipe starts, while recording a take,
during a pack import (stopped between two signs). Each time: the window closes within 1 s, every thread is joined, the
camera is released, and no half-written file is left.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from fakes import FakeExtractor, FakeRecognizer
from gui.fakes import FakeCameraDevice, FakeCatalog
from signdesk.custom import CustomSign, CustomStore, Take
from signdesk.gui.states import TeachState
from signdesk.gui.teach import TeachDialog
from signdesk.packs import export_pack, read_pack

WAIT_MS = 20000


def close_within_a_second(window) -> float:
    """Close ``window``; it must be gone, threads joined, within a second. Returns when it closed."""
    t0 = time.monotonic()
    window.close()
    took = time.monotonic() - t0
    assert took < 1.0, f"closing took {took:.2f} s"
    assert [t.objectName() for t in window.threads() if not t.isFinished()] == []
    return t0 + took


def files_of(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_closing_mid_sign(qtbot, make_window, camera_device: FakeCameraDevice):
    extractor = FakeExtractor()
    window = make_window(catalog=FakeCatalog(camera_device), extractor=extractor)
    with qtbot.waitSignal(window.session.live_prediction, timeout=WAIT_MS):
        window.start(None)
    assert extractor.phase == "sign"
    late: list[object] = []
    window.session.attempt_result.connect(late.append)
    close_within_a_second(window)
    assert camera_device.opened == camera_device.closed == 1
    assert extractor.closed
    qtbot.wait(200)
    assert late == []  # the half-made sign is not reported after closing


def python_threads() -> set[str]:
    """Threads Python started (QThreads that ran Python code show up as lasting 'Dummy' entries)."""
    return {t.name for t in threading.enumerate() if not isinstance(t, threading._DummyThread)}


class SlowStart(FakeExtractor):
    """MediaPipe's start on a slow machine: building each graph takes ``start_s``."""

    def __init__(self, start_s: float) -> None:
        super().__init__()
        self.start_s = start_s

    def __call__(self):
        time.sleep(self.start_s)
        return super().__call__()


def test_closing_while_mediapipe_is_still_starting(qtbot, make_window, camera_device: FakeCameraDevice):
    """Holistic takes seconds to build and cannot be interrupted: the window does not wait for it."""
    extractor = SlowStart(2.5)
    before = python_threads()
    window = make_window(catalog=FakeCatalog(camera_device), extractor=extractor)
    window.start(None)
    qtbot.waitUntil(lambda: any(t.name == "signdesk-mediapipe-start" for t in threading.enumerate()), timeout=5000)
    qtbot.wait(100)
    assert not window.session.is_analysing
    close_within_a_second(window)
    assert camera_device.opened == camera_device.closed
    # the abandoned start finishes by itself and closes the graph it built; nothing is left running
    qtbot.waitUntil(lambda: bool(extractor.graphs) and extractor.closed, timeout=5000)
    qtbot.waitUntil(lambda: python_threads() <= before, timeout=5000)


def test_closing_while_a_take_is_being_recorded_saves_nothing_half(qtbot, make_window, camera_device, tmp_path):
    store = CustomStore(tmp_path / "custom")
    window = make_window(catalog=FakeCatalog(camera_device), custom_store=store)
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        window.start(None)
    dialog = TeachDialog(window.session, window.settings, window, countdown_ms=30)
    dialog.show()
    dialog.name_edit.setText("hello")
    dialog.record()
    qtbot.waitUntil(lambda: dialog.state is TeachState.WAITING, timeout=WAIT_MS)
    with qtbot.waitSignal(window.session.live_prediction, timeout=WAIT_MS):
        pass  # signing the take right now
    close_within_a_second(window)
    assert camera_device.opened == camera_device.closed == 1
    assert [p for p in files_of(store.root) if not p.startswith(".embeddings/")] == []


@pytest.fixture
def big_pack(tmp_path: Path) -> Path:
    rng = np.random.default_rng(1)
    signs = [CustomSign(f"sign {i:02d}", [Take(rng.random((20, 184, 4), dtype=np.float32)) for _ in range(3)])
             for i in range(20)]
    return export_pack(signs, tmp_path / "class.signpack", name="class")


def test_closing_during_a_pack_import_stops_it_between_signs_within_a_second(qtbot, make_window, camera_device,
                                                                            tmp_path, big_pack, monkeypatch):
    """A big import on a slow disk (0.3 s a sign, 6 s in all) stops at the next sign when the
    window closes: every sign it saved is whole, the others were never started."""
    store = CustomStore(tmp_path / "custom")
    store.save(CustomSign("mine", [Take(np.ones((5, 184, 4), np.float32))]))
    real_save, saves = CustomStore.save, []

    def slow_save(self, sign, replaces=()):
        saves.append(sign.name)
        time.sleep(0.3)
        return real_save(self, sign, replaces)

    monkeypatch.setattr(CustomStore, "save", slow_save)
    window = make_window(catalog=FakeCatalog(camera_device), model=FakeRecognizer(), custom_store=store)
    with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
        window.start(None)
    window.show_my_signs().import_file(big_pack)
    qtbot.waitUntil(lambda: len(saves) >= 2, timeout=WAIT_MS)
    close_within_a_second(window)
    assert camera_device.opened == camera_device.closed == 1
    started = len(saves)
    time.sleep(0.4)
    assert len(saves) == started < 20, "the import stopped; nothing runs after the window closed"
    monkeypatch.undo()
    loaded = store.load()
    assert store.problems == []
    wanted = {s.name: [t.landmarks.tobytes() for t in s.takes] for s in read_pack(big_pack).signs}
    imported = [s for s in loaded if s.name != "mine"]
    assert [s.name for s in imported] == sorted(saves), "each sign it began is there, whole; no other"
    for sign in imported:
        assert [t.landmarks.tobytes() for t in sign.takes] == wanted[sign.name]
    assert [p for p in files_of(store.root) if Path(p).name.startswith(".")] == [], "no temporary file left"
