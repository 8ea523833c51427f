"""Cycle collection runs on the UI thread only (signdesk.gui.gc_pump)."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject

from signdesk.gui.gc_pump import UiThreadCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self
        self.qt = QObject()


def test_a_worker_thread_never_collects_and_the_ui_thread_does(qapp, qtbot) -> None:
    collected_in: list[str] = []

    def watch(phase: str, info: dict) -> None:
        if phase == "start":
            collected_in.append(threading.current_thread().name)

    assert not gc.isenabled()  # the autouse fixture installed a collector
    gc.callbacks.append(watch)
    try:
        # 200 000 live containers cross every threshold while the worker builds them: with
        # automatic collection the worker would collect (and could destroy Qt objects) here
        worker = threading.Thread(target=lambda: [[object()] for _ in range(200_000)], name="worker")
        worker.start()
        worker.join()
        assert "worker" not in collected_in
        cycles = [_Cycle() for _ in range(gc.get_threshold()[0] + 10)]  # garbage refcounting cannot free
        del cycles
        qtbot.waitUntil(lambda: threading.main_thread().name in collected_in, timeout=3000)
    finally:
        gc.callbacks.remove(watch)


def test_collect_due_follows_the_thresholds_and_stop_restores_automatic_collection(qapp) -> None:
    collector = UiThreadCollector(qapp, interval_ms=60_000)
    gc.collect()
    assert collector.collect_due() == 0  # nothing due right after a collection
    cycles = [_Cycle() for _ in range(gc.get_threshold()[0] + 10)]
    del cycles
    assert collector.collect_due() > 0  # generation 0 was due and held the cycles
    collector.stop()
    assert gc.isenabled()
    gc.disable()  # the autouse fixture's collector is still in charge for this test
    collector.deleteLater()
