"""The Qt-free hand-over between threads (signdesk.handover): latest item wins, bounded, wakes on close."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import pytest

from signdesk.handover import Mailbox, PlaybackClock


def test_mailbox_keeps_only_the_newest_item_and_counts_drops():
    box = Mailbox()
    assert box.put(1) is True  # was empty: the reader needs a nudge
    assert box.put(2) is False
    assert box.put(3) is False
    assert box.dropped == 2
    assert box.take() == 3
    assert box.take() is None


def test_mailbox_counts_only_replaced_items_as_dropped():
    box = Mailbox()
    for i in range(5):
        assert box.put(i) is True  # the reader took the previous one: nothing replaced
        assert box.take() == i
    assert box.dropped == 0
    box.put("a")
    box.put("b")
    box.put("c")
    assert box.dropped == 2 and box.take() == "c"


def test_mailbox_take_waits_for_an_item():
    box = Mailbox()
    threading.Timer(0.05, box.put, args=("late",)).start()
    t0 = time.monotonic()
    assert box.take(timeout=2.0) == "late"
    assert time.monotonic() - t0 < 1.0
    assert box.take(timeout=0.05) is None


def test_mailbox_wait_idle_waits_until_the_reader_is_done():
    box = Mailbox()
    assert box.wait_idle(0.02) is True  # nothing was ever put
    box.put("x")
    assert box.wait_idle(0.02) is False  # not taken yet
    assert box.take() == "x"
    assert box.wait_idle(0.02) is False  # taken, still being handled
    box.done()
    assert box.wait_idle(0.02) is True


def test_mailbox_wait_idle_wakes_when_the_reader_finishes_in_another_thread():
    box = Mailbox()
    box.put("frame")

    def reader() -> None:
        assert box.take(timeout=1.0) == "frame"
        time.sleep(0.05)  # handling it
        box.done()

    t0 = time.monotonic()
    threading.Thread(target=reader, daemon=True).start()
    assert box.wait_idle(5.0) is True
    assert 0.04 < time.monotonic() - t0 < 2.0, "woken when the reader is done, not before"


def test_mailbox_close_wakes_waiters():
    box = Mailbox()
    threading.Timer(0.05, box.close).start()
    t0 = time.monotonic()
    assert box.take(timeout=5.0) is None
    assert time.monotonic() - t0 < 1.0


def test_mailbox_close_still_hands_over_the_last_item_then_never_waits():
    box = Mailbox()
    box.put("last")
    box.close()
    assert box.take(timeout=5.0) == "last"
    t0 = time.monotonic()
    assert box.take(timeout=5.0) is None
    assert box.wait_idle(5.0) is True
    assert time.monotonic() - t0 < 0.5, "a closed mailbox does not wait"


class _Item:
    def __init__(self, n: int) -> None:
        self.n = n
        self.payload = bytearray(10_000)  # a frame-sized object would make a leak visible


def test_a_fast_writer_and_a_slow_reader_stay_bounded():
    """The writer never waits and the mailbox never holds more than the newest item."""
    total = 2000
    box = Mailbox()
    refs: list[weakref.ref] = []
    received: list[int] = []

    def writer() -> None:
        try:
            for i in range(total):
                item = _Item(i)
                refs.append(weakref.ref(item))
                box.put(item)
                del item
                if i % 100 == 0:
                    time.sleep(0.001)
        finally:
            box.close()

    thread = threading.Thread(target=writer, daemon=True)
    t0 = time.monotonic()
    thread.start()
    while (item := box.take(timeout=5.0)) is not None:
        received.append(item.n)
        del item
        time.sleep(0.002)  # a slow analysis
        box.done()
    thread.join(5.0)
    assert not thread.is_alive() and time.monotonic() - t0 < 30
    assert received == sorted(set(received)), "items arrive in order, none twice"
    assert received[-1] == total - 1, "the newest item is always delivered"
    assert len(received) + box.dropped == total, "every item was either handed over or counted as dropped"
    assert box.dropped > 0, "the slow reader made the writer replace items"
    gc.collect()
    assert sum(ref() is not None for ref in refs) == 0, "no replaced item is kept alive"


def test_playback_clock_paces_at_the_file_speed_and_does_not_rush_after_a_stall():
    clock = PlaybackClock(speed=0.5)
    start = clock.due(0.0)
    assert clock.due(1.0) == pytest.approx(start + 2.0, abs=0.01)  # half speed: 1 s of video takes 2 s
    clock.hold()
    now = time.monotonic()
    assert clock.due(5.0) == pytest.approx(now, abs=0.05)  # re-anchored: plays at once, no catch-up burst


def test_playback_clock_re_anchors_only_when_more_than_max_lag_behind():
    clock = PlaybackClock()
    start = clock.due(0.0)
    time.sleep(0.05)
    assert clock.due(0.0) == pytest.approx(start, abs=1e-6), "a small lag keeps the schedule"
    time.sleep(PlaybackClock.MAX_LAG_S + 0.05)
    late = clock.due(0.0)
    assert late == pytest.approx(time.monotonic(), abs=0.05), "a large lag moves the schedule to now"
    assert clock.due(1.0) == pytest.approx(late + 1.0, abs=0.01)


def test_nudge_wakes_a_waiting_reader_once_without_an_item():
    box = Mailbox()
    threading.Timer(0.05, box.nudge).start()
    t0 = time.perf_counter()
    assert box.take(timeout=5.0) is None
    assert time.perf_counter() - t0 < 2.0  # woken by the nudge, not by the timeout
    box.nudge()  # a nudge nobody waited for is kept for the next take...
    t0 = time.perf_counter()
    assert box.take(timeout=5.0) is None
    assert time.perf_counter() - t0 < 1.0
    t0 = time.perf_counter()
    assert box.take(timeout=0.2) is None  # ...and only for that one
    assert time.perf_counter() - t0 >= 0.15
    box.put("frame")
    box.nudge()
    assert box.take(timeout=5.0) == "frame"  # an item waiting is still handed over


def test_take_if_takes_only_a_wanted_item_and_never_waits():
    box = Mailbox()
    assert box.take_if(lambda item: True) is None
    box.put(("frame", 1))
    assert box.take_if(lambda item: item[0] == "end") is None  # not wanted: it stays
    assert box.take(timeout=0.0) == ("frame", 1)
    box.put(("frame", 2))
    assert box.take_if(lambda item: item[0] == "frame") == ("frame", 2)
    assert not box.wait_idle(0.05)  # taken, not yet handled
    box.done()
    assert box.wait_idle(0.05)
