"""The bounded hand-over and the capture thread, without the window."""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path

import pytest

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from fakes import FakeExtractor, FakeRecognizer
from gui.fakes import FakeCameraDevice
from signdesk import capture
from signdesk.capture import CameraInfo, VideoFile
from signdesk.gui.sources import CAMERA, SourceSpec, file_spec, named_cameras, parse_resolution
from signdesk.gui.status import MedianMeter, RateMeter
from signdesk.gui.analysis import ProcessingWorker
from signdesk.gui.workers import CaptureWorker, EndOfStream, FramePacket, worker_thread
from signdesk.handover import Mailbox
from signdesk.landmarks import ExtractorError


def test_rate_meter_and_median_meter():
    rate = RateMeter(span=2.0)
    for i in range(11):
        rate.add(i * 3, now=100.0 + i * 0.1)  # 3 frames per 0.1 s
    assert rate.rate(now=101.0) == pytest.approx(30.0)
    assert rate.rate(now=110.0) is None  # stale: the source stopped
    rate.add(1, now=110.0)  # a new source restarts its count
    assert rate.rate(now=110.0) is None
    median = MedianMeter(size=3)
    for v in (10.0, 500.0, 20.0, 30.0):
        median.add(v)
    assert median.value() == 30.0


def test_parse_resolution():
    assert parse_resolution("1280x720") == (1280, 720)
    assert parse_resolution(" 1920 × 1080 ") == (1920, 1080)
    assert parse_resolution("big") is None
    assert parse_resolution("") is None


def test_camera_names_match_by_device_path_or_by_position():
    cams = [CameraInfo(0, "Camera 0"), CameraInfo(2, "Camera 2")]
    linux = named_cameras(cams, [("/dev/video2", "Logitech C920"), ("/dev/video0", "Integrated Camera")])
    assert [c.name for c in linux] == ["Integrated Camera", "Logitech C920"]
    other = named_cameras(cams, [("@device:pnp:1", "Integrated Camera"), ("@device:pnp:2", "USB Camera")])
    assert [c.name for c in other] == ["Integrated Camera", "USB Camera"]
    ambiguous = named_cameras(cams, [("@device:pnp:1", "Integrated Camera")])
    assert [c.name for c in ambiguous] == ["Camera 0", "Camera 2"]  # counts differ: no guessing
    assert named_cameras(cams, []) == cams


def _run_capture(qtbot, spec: SourceSpec, reader, **kwargs) -> tuple[CaptureWorker, object]:
    to_pipeline, to_preview = kwargs.pop("to_pipeline", Mailbox()), Mailbox()
    worker = CaptureWorker(spec, 7, to_pipeline, to_preview, **kwargs)
    thread = worker_thread(worker, "test-capture")
    consumer = threading.Thread(target=reader, args=(to_pipeline,), daemon=True)
    consumer.start()
    thread.start()
    return worker, thread


def _drain(received: list, delay: float):
    def read(box: Mailbox) -> None:
        while True:
            item = box.take(timeout=0.5)
            if item is None:
                continue
            received.append(item)
            time.sleep(delay)  # a slow analysis
            box.done()
            if isinstance(item, EndOfStream):
                return
    return read


@pytest.fixture(params=["opencv", "qt"])
def video_backend(request, qapp) -> str:
    """Files through OpenCV (a pip install) and through Qt Multimedia (the installers)."""
    if request.param == "qt":
        try:
            from signdesk.gui import qt_capture
        except (ImportError, OSError) as exc:
            pytest.skip(f"Qt Multimedia cannot load here ({exc})")
        qt_capture.install()
        request.addfinalizer(lambda: capture.use_sources(None))
    return request.param


def test_a_video_plays_at_its_own_speed_and_slow_analysis_drops_frames(qtbot, long_clip: Path, video_backend):
    with VideoFile(long_clip) as video:
        n, fps = video.frame_count, video.fps
    received: list = []
    t0 = time.monotonic()
    worker, thread = _run_capture(qtbot, file_spec(long_clip), _drain(received, delay=0.1))
    with qtbot.waitSignal(worker.ended, timeout=20000):
        pass
    elapsed = time.monotonic() - t0
    assert thread.wait(2000)
    frames = [p for p in received if isinstance(p, FramePacket)]
    assert isinstance(received[-1], EndOfStream) and received[-1].serial == 7
    assert elapsed >= 0.9 * n / fps  # paced by the file's fps, not as fast as decoding allows
    assert elapsed < n / fps + 3.0
    assert len(frames) < n  # the 100 ms "analysis" could not keep up: frames were dropped ...
    assert frames[-1].index == n - 1  # ... but the newest frame always wins, up to the last one
    assert [p.index for p in frames] == sorted({p.index for p in frames})


def test_every_frame_mode_hands_over_every_frame(qtbot, short_clip: Path, video_backend):
    with VideoFile(short_clip) as video:
        n = video.frame_count
    received: list = []
    to_pipeline = Mailbox()
    worker, thread = _run_capture(qtbot, file_spec(short_clip), _drain(received, delay=0.06),
                                  every_frame=True, to_pipeline=to_pipeline)
    with qtbot.waitSignal(worker.ended, timeout=20000):
        pass
    assert thread.wait(2000)
    assert [p.index for p in received if isinstance(p, FramePacket)] == list(range(n))
    assert to_pipeline.dropped == 0


def test_an_unplugged_camera_is_reported_and_reconnected(qtbot, camera_device: FakeCameraDevice):
    spec = SourceSpec(CAMERA, camera_device.name, index=0, opener=camera_device.open)
    received: list = []
    worker = CaptureWorker(spec, 1, Mailbox(), Mailbox(), retry_s=0.1)
    thread = worker_thread(worker, "test-capture")
    worker.opened.connect(lambda serial, info: received.append(("opened", info.name)))
    worker.lost.connect(lambda serial, message: received.append(("lost", message)))
    with qtbot.waitSignal(worker.opened, timeout=5000):
        thread.start()
    with qtbot.waitSignal(worker.lost, timeout=5000):
        camera_device.unplug()
    with qtbot.waitSignal(worker.opened, timeout=5000):
        camera_device.plug()
    worker.stop()
    assert thread.wait(1000)
    assert [kind for kind, _ in received] == ["opened", "lost", "opened"]
    assert "stopped sending frames" in received[1][1]
    assert camera_device.opened == 2 and camera_device.closed == 2  # every session released


def test_the_processing_worker_reports_each_kind_of_failure_as_what_it_is(qtbot):
    """MediaPipe failing on a frame and a bug: reported, next frame analysed. The model failing: dropped."""
    extractor = FakeExtractor(errors={3: ExtractorError("no hands today"), 5: ValueError("a bug")})
    model = FakeRecognizer(fail_after=2)  # live guesses at frames 14 and 19: the second one fails
    inbox, outbox = Mailbox(), Mailbox()
    worker = ProcessingWorker(inbox, outbox, model, 5, extractor)
    thread = worker_thread(worker, "test-processing")
    errors, failures, live, done = [], [], [], []
    direct = Qt.ConnectionType.DirectConnection
    worker.error.connect(errors.append, direct)
    worker.model_failed.connect(failures.append, direct)
    worker.live.connect(lambda serial, prediction: live.append(serial), direct)
    worker.stream_done.connect(done.append, direct)
    with qtbot.waitSignal(worker.ready, timeout=10000):
        thread.start()
    image, preview = np.zeros((48, 64, 3), np.uint8), QImage(64, 48, QImage.Format.Format_BGR888)
    try:
        for i in range(40):
            inbox.put(FramePacket(1, i, i / 30, image, preview, time.perf_counter(), i + 1))
            assert inbox.wait_idle(5.0)  # every frame, none dropped
        inbox.put(EndOfStream(1))
        qtbot.waitUntil(lambda: done == [1], timeout=10000)
    finally:
        worker.stop()
        assert thread.wait(2000)
    assert len(errors) == 2
    assert errors[0].startswith("landmarks failed on ") and errors[0].endswith("no hands today")
    assert errors[1].startswith("analysis failed on ") and errors[1].endswith("ValueError: a bug")
    assert len(failures) == 1 and "the model failed while recognizing" in failures[0]
    assert failures[0].endswith("; recognition is off")
    assert live == [1] and model.calls == 2  # dropped after failing, not retried on every frame
    assert worker.processed == 40 - 3  # all but the two bad frames and the one the model failed on
    assert extractor.closed  # the worker closed its extractors on the way out



def test_preview_image_is_a_copy_in_the_fast_paint_format():
    from signdesk.gui.workers import to_qimage

    bgr = np.zeros((4, 6, 3), np.uint8)
    bgr[1, 2] = (10, 20, 30)  # blue, green, red
    image = to_qimage(bgr)
    bgr[:] = 255  # the capture thread reuses its buffer: the preview must not change
    assert image.format() == QImage.Format.Format_RGB32
    assert (image.width(), image.height()) == (6, 4)
    assert image.pixelColor(2, 1).getRgb()[:3] == (30, 20, 10)
    assert image.pixelColor(0, 0).getRgb()[:3] == (0, 0, 0)


class _GatedGraph:
    """A Holistic stand-in whose every frame ends only when the test releases it."""

    def __init__(self, started: queue.Queue) -> None:
        self._started = started
        self.last_timings: dict[str, float] = {}

    def process(self, image, out=None):
        go = threading.Event()
        self._started.put(go)
        assert go.wait(10.0)
        return np.zeros((184, 4), np.float32)

    def reset(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_a_free_graph_takes_the_next_frame_while_the_other_still_works(qtbot):
    """With two graphs, a frame arriving while one graph works goes to the other at once
    (the worker does not sit waiting for the busy graph's result)."""
    started: queue.Queue = queue.Queue()
    inbox, outbox = Mailbox(), Mailbox()
    worker = ProcessingWorker(inbox, outbox, None, 5, lambda: _GatedGraph(started), graphs=2)
    thread = worker_thread(worker, "test-processing")
    done: list = []
    worker.stream_done.connect(done.append, Qt.ConnectionType.DirectConnection)
    thread.start()
    for _ in range(2):  # the warm-up frame of each graph
        started.get(timeout=20).set()
    qtbot.waitUntil(lambda: worker._extractors is not None, timeout=10000)
    image, preview = np.zeros((48, 64, 3), np.uint8), QImage(64, 48, QImage.Format.Format_RGB32)
    try:
        inbox.put(FramePacket(1, 0, 0.0, image, preview, time.perf_counter(), 1))
        first = started.get(timeout=5)
        time.sleep(0.1)  # the worker is now waiting with frame 0 in flight
        inbox.put(FramePacket(1, 1, 1 / 30, image, preview, time.perf_counter(), 2))
        second = started.get(timeout=2)  # started while frame 0 is still being analysed
        assert not first.is_set()
        second.set()  # the younger frame ends first: results still leave in frame order
        first.set()
        inbox.put(EndOfStream(1))
        qtbot.waitUntil(lambda: done == [1], timeout=5000)
        assert worker.processed == 2
    finally:
        while not started.empty():
            started.get().set()
        worker.stop()
        assert thread.wait(2000)


def test_the_graph_gets_the_waiting_frame_before_the_last_result_goes_through_the_pipeline(qtbot):
    """One graph: when frame 0's landmarks are back and frame 1 is waiting, frame 1 goes to
    Holistic first, then frame 0 through normalization, the window and the model."""
    started: queue.Queue = queue.Queue()
    events: list[str] = []
    inbox, outbox = Mailbox(), Mailbox()
    worker = ProcessingWorker(inbox, outbox, None, 5, lambda: _GatedGraph(started), graphs=1)
    thread = worker_thread(worker, "test-processing")
    thread.start()
    started.get(timeout=20).set()  # warm-up
    qtbot.waitUntil(lambda: worker._extractors is not None, timeout=10000)
    submit, pipeline_step = worker._extractors.submit, worker._pipeline.process_landmarks
    worker._extractors.submit = lambda item, image: (events.append(f"holistic {item.index}"), submit(item, image))
    worker._pipeline.process_landmarks = lambda index, t, raw: (events.append(f"pipeline {index}"),
                                                                pipeline_step(index, t, raw))[1]
    events.clear()
    preview = QImage(64, 48, QImage.Format.Format_RGB32)
    frames = [np.full((48, 64, 3), i, np.uint8) for i in range(2)]
    try:
        inbox.put(FramePacket(1, 0, 0.0, frames[0], preview, time.perf_counter(), 1))
        first = started.get(timeout=5)
        inbox.put(FramePacket(1, 1, 1 / 30, frames[1], preview, time.perf_counter(), 2))
        time.sleep(0.1)  # frame 1 waits in the mailbox: the only graph is busy
        first.set()
        started.get(timeout=5).set()
        qtbot.waitUntil(lambda: worker.processed == 2, timeout=5000)
        assert events == ["holistic 0", "holistic 1", "pipeline 0", "pipeline 1"]
    finally:
        while not started.empty():
            started.get().set()
        worker.stop()
        assert thread.wait(2000)
