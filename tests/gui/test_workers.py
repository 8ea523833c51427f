"""The bounded hand-over and the capture thread, without the window."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from gui.fakes import FakeCameraDevice
from signdesk.capture import CameraInfo, VideoFile
from signdesk.gui.sources import CAMERA, SourceSpec, file_spec, named_cameras, parse_resolution
from signdesk.gui.status import MedianMeter, RateMeter
from signdesk.gui.workers import CaptureWorker, EndOfStream, FramePacket, worker_thread
from signdesk.handover import Mailbox, PlaybackClock


def test_mailbox_keeps_only_the_newest_item_and_counts_drops():
    box = Mailbox()
    assert box.put(1) is True  # was empty: the reader needs a nudge
    assert box.put(2) is False
    assert box.put(3) is False
    assert box.dropped == 2
    assert box.take() == 3
    assert box.take() is None


def test_mailbox_take_waits_for_an_item():
    box = Mailbox()
    threading.Timer(0.05, box.put, args=("late",)).start()
    t0 = time.monotonic()
    assert box.take(timeout=2.0) == "late"
    assert time.monotonic() - t0 < 1.0
    assert box.take(timeout=0.05) is None


def test_mailbox_wait_idle_waits_until_the_reader_is_done():
    box = Mailbox()
    box.put("x")
    assert box.wait_idle(0.02) is False  # not taken yet
    assert box.take() == "x"
    assert box.wait_idle(0.02) is False  # taken, still being handled
    box.done()
    assert box.wait_idle(0.02) is True


def test_mailbox_close_wakes_waiters():
    box = Mailbox()
    threading.Timer(0.05, box.close).start()
    t0 = time.monotonic()
    assert box.take(timeout=5.0) is None
    assert time.monotonic() - t0 < 1.0


def test_playback_clock_paces_at_the_file_speed_and_does_not_rush_after_a_stall():
    clock = PlaybackClock(speed=0.5)
    start = clock.due(0.0)
    assert clock.due(1.0) == pytest.approx(start + 2.0, abs=0.01)  # half speed: 1 s of video takes 2 s
    clock.hold()
    now = time.monotonic()
    assert clock.due(5.0) == pytest.approx(now, abs=0.05)  # re-anchored: plays at once, no catch-up burst


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


def test_a_video_plays_at_its_own_speed_and_slow_analysis_drops_frames(qtbot, long_clip: Path):
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


def test_every_frame_mode_hands_over_every_frame(qtbot, short_clip: Path):
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
