"""Two Holistic graphs on alternate frames: results in frame order, each graph in its own thread."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from signdesk.alternating import AlternatingExtractor
from signdesk.capture import VideoFile
from signdesk.landmarks import (
    N_CHANNELS,
    N_LANDMARKS,
    RIGHT_HAND_ROWS,
    ExtractorError,
    LandmarkExtractor,
    detection_of,
)


class _Recording:
    """An extractor that answers with the frame's first pixel and notes its thread and calls."""

    made: list[_Recording] = []

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.threads: set[str] = set()
        self.calls = 0
        self.resets = 0
        self.closed = False
        _Recording.made.append(self)

    def process(self, frame: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        self.threads.add(threading.current_thread().name)
        self.calls += 1
        if frame[0, 0, 0] == 255:
            raise ExtractorError("a frame MediaPipe cannot read")
        time.sleep(self.delay * (1 + frame[0, 0, 0] % 3))  # unequal durations: order must still hold
        return np.full((N_LANDMARKS, N_CHANNELS), float(frame[0, 0, 0]), np.float32)

    def reset(self) -> None:
        self.resets += 1

    def close(self) -> None:
        self.closed = True


def _frame(value: int) -> np.ndarray:
    return np.full((4, 4, 3), value, np.uint8)


@pytest.fixture
def recording():
    _Recording.made = []
    yield _Recording.made


def test_results_come_back_in_frame_order_from_alternate_graphs(recording):
    extractors = AlternatingExtractor(lambda: _Recording(delay=0.005), n=2)
    got = []
    for value in range(20):
        if extractors.full:
            got.append(extractors.collect())
        extractors.submit(value, _frame(value))
    while extractors.in_flight:
        got.append(extractors.collect())
    extractors.close()
    assert [item for item, _, _ in got] == list(range(20))
    assert all(raw[0, 0] == item for item, raw, _ in got)
    assert all(ms >= 0 for _, _, ms in got)
    a, b = recording
    assert a.calls == b.calls == 10, "frames alternate between the two graphs"
    assert len(a.threads) == len(b.threads) == 1 and a.threads != b.threads, "each graph keeps its own thread"
    assert a.closed and b.closed


def test_the_two_graphs_overlap_in_time(recording):
    extractors = AlternatingExtractor(lambda: _Recording(delay=0.05), n=2)
    t0 = time.perf_counter()
    extractors.submit(0, _frame(0))  # 50 ms each
    extractors.submit(3, _frame(3))
    extractors.collect(), extractors.collect()
    elapsed = time.perf_counter() - t0
    extractors.close()
    assert elapsed < 0.095, "both frames were analysed at the same time"


def test_full_reset_and_errors(recording):
    extractors = AlternatingExtractor(_Recording, n=2)
    extractors.submit(1, _frame(1))
    extractors.submit(2, _frame(255))  # this one fails
    assert extractors.full
    with pytest.raises(RuntimeError, match="busy"):
        extractors.submit(3, _frame(3))
    assert extractors.collect()[0] == 1
    with pytest.raises(ExtractorError, match="cannot read"):
        extractors.collect()  # the failure comes back with its frame, in order
    extractors.submit(4, _frame(4))
    extractors.reset()  # a new clip: frames in flight are dropped, tracking forgotten
    assert extractors.in_flight == 0
    assert [r.resets for r in recording] == [1, 1]
    extractors.submit(5, _frame(5))
    assert extractors.collect()[0] == 5
    extractors.close()


def test_one_graph_is_the_serial_pipeline(recording):
    extractors = AlternatingExtractor(_Recording, n=1)
    extractors.submit(7, _frame(7))
    assert extractors.full and extractors.size == 1
    assert extractors.collect()[0] == 7
    extractors.close()
    with pytest.raises(ValueError):
        AlternatingExtractor(_Recording, n=0)


def test_two_real_holistic_graphs_agree_with_one_on_a_real_clip(karsl_clip, karsl_features):
    """Each graph tracks every other frame; the landmarks must still be those of the same person."""
    with VideoFile(karsl_clip) as video:
        images = [f.image for f in video]
    extractors = AlternatingExtractor(LandmarkExtractor, n=2)
    try:
        raws = []
        for i, image in enumerate(images):
            if extractors.full:
                raws.append(extractors.collect()[1])
            extractors.submit(i, image)
        while extractors.in_flight:
            raws.append(extractors.collect()[1])
    finally:
        extractors.close()
    two = np.stack(raws)
    assert two.shape == karsl_features.shape
    same_hand = [detection_of(a).right_hand == detection_of(b).right_hand for a, b in zip(two, karsl_features)]
    assert np.mean(same_hand) >= 0.9
    both = [i for i in range(len(two)) if detection_of(two[i]).right_hand and detection_of(karsl_features[i]).right_hand]
    wrist = slice(RIGHT_HAND_ROWS.start, RIGHT_HAND_ROWS.start + 1)
    gap = np.abs(two[both][:, wrist, :2] - karsl_features[both][:, wrist, :2]).max()
    assert gap < 0.05, "the wrist is where the single graph puts it (image coordinates)"


def test_on_done_tells_when_a_frame_ends_and_oldest_ready_whether_collect_would_wait():
    ended = threading.Semaphore(0)
    extractors = AlternatingExtractor(lambda: _Recording(delay=0.05), 2, on_done=ended.release)
    try:
        assert not extractors.oldest_ready  # nothing in flight
        frames = [np.full((4, 4, 3), i, np.uint8) for i in range(2)]
        for i, frame in enumerate(frames):
            extractors.submit(i, frame)
        assert not extractors.oldest_ready  # both still running
        for _ in frames:
            assert ended.acquire(timeout=5)  # called once per frame, from the graphs' threads
        assert extractors.oldest_ready
        assert [extractors.collect()[0] for _ in frames] == [0, 1]
        assert not extractors.oldest_ready
    finally:
        extractors.close()
