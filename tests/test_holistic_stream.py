"""One Holistic graph given the next frame before the last is done: MediaPipe's own landmarks."""

from __future__ import annotations

import sys
import threading

import numpy as np
import pytest

from signdesk.alternating import AlternatingExtractor
from signdesk.capture import VideoFile
from signdesk.landmarks import N_CHANNELS, N_LANDMARKS, ExtractorError, LandmarkExtractor, _pack


@pytest.fixture(scope="module")
def frames(karsl_clip) -> list[np.ndarray]:
    """A real clip at 640x480 with a stretch of empty frames (no person) in the middle and at the end."""
    import cv2

    with VideoFile(karsl_clip) as video:
        images = [cv2.resize(f.image, (640, 480)) for f in video]
    empty = [np.full((480, 640, 3), 90, np.uint8)] * 4
    return images[:20] + empty + images[20:] + empty


@pytest.fixture(scope="module")
def mediapipe_own(frames) -> np.ndarray:
    """The landmarks MediaPipe's own ``Holistic.process`` gives, one frame at a time."""
    import cv2
    from mediapipe.python.solutions import holistic

    solution = holistic.Holistic(static_image_mode=False, model_complexity=1, smooth_landmarks=True,
                                 refine_face_landmarks=True, min_detection_confidence=0.5,
                                 min_tracking_confidence=0.5)
    try:
        return np.stack([_pack(solution.process(cv2.cvtColor(f, cv2.COLOR_BGR2RGB)),
                               np.zeros((N_LANDMARKS, N_CHANNELS), np.float32)) for f in frames])
    finally:
        solution.close()


def _overlapped(frames: list[np.ndarray], depth: int) -> tuple[np.ndarray, int]:
    extractors = AlternatingExtractor(LandmarkExtractor, n=1, depth=depth)
    most = 0
    try:
        raws = []
        for i, frame in enumerate(frames):
            if extractors.full:
                raws.append(extractors.collect()[1])
            extractors.submit(i, frame)
            most = max(most, extractors.in_flight)
        while extractors.in_flight:
            raws.append(extractors.collect()[1])
    finally:
        extractors.close()
    return np.stack(raws), most


@pytest.mark.slow
@pytest.mark.parametrize("depth", [2, 3])
def test_frames_in_flight_give_exactly_mediapipes_own_landmarks(frames, mediapipe_own, depth):
    overlapped, most = _overlapped(frames, depth)
    assert most == depth
    assert (mediapipe_own[:20, :, 3] > 0).any() and not mediapipe_own[20:24].any(), "a person, then none"
    np.testing.assert_array_equal(overlapped, mediapipe_own)


@pytest.mark.slow
def test_process_is_mediapipes_own_and_on_done_comes_once_per_frame(frames, mediapipe_own):
    with LandmarkExtractor() as extractor:
        np.testing.assert_array_equal(np.stack([extractor.process(f) for f in frames[:30]]), mediapipe_own[:30])
        extractor.reset()
        ended = threading.Semaphore(0)
        tickets = [extractor.submit(frames[0], ended.release), extractor.submit(frames[1], ended.release)]
        assert ended.acquire(timeout=30)  # the first frame's landmarks came without waiting for idle
        first = extractor.result(tickets[0])
        np.testing.assert_array_equal(first, mediapipe_own[0])
        extractor.result(tickets[1])
        with pytest.raises(KeyError):
            extractor.result(tickets[1])  # each ticket once
        assert set(extractor.last_timings) == {"convert", "mediapipe", "pack"}


def test_a_bad_frame_is_refused_before_it_goes_in():
    with LandmarkExtractor() as extractor:
        with pytest.raises(ExtractorError):
            extractor.submit(np.zeros((0, 4, 3), np.uint8))
        assert extractor._stream.in_flight == 0


@pytest.mark.slow
def test_the_graph_keeps_its_own_copy_of_a_frame_in_flight(frames, mediapipe_own):
    """The caller's pixels may be reused or freed at once (MediaPipe's by-reference mode would
    read them later, and drop the last reference to them in a thread without the GIL)."""
    import cv2

    with LandmarkExtractor() as extractor:
        stream = extractor._stream
        rgbs = [cv2.cvtColor(f, cv2.COLOR_BGR2RGB) for f in frames[:6]]
        refs = [sys.getrefcount(rgb) for rgb in rgbs]
        tickets = []
        for rgb in rgbs:
            tickets.append(stream.submit(rgb))
            rgb[:] = 0  # overwritten while the graph still has the frame
        del rgb
        assert [sys.getrefcount(rgb) for rgb in rgbs] == refs, "the graph holds no reference to them"
        got = []
        for ticket in tickets:
            outputs, _ = stream.result(ticket)
            got.append(_pack(outputs, np.zeros((N_LANDMARKS, N_CHANNELS), np.float32)))
    np.testing.assert_array_equal(np.stack(got), mediapipe_own[:6])
