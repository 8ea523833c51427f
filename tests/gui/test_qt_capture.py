"""Video files through Qt Multimedia (signdesk.gui.qt_capture), the bundles' way in without OpenCV.

The same promises as OpenCV's VideoFile (tests/test_capture.py), checked against it on real
clips. The capture worker's pacing and every-frame mode run on both readers in test_workers.py.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

try:
    import PySide6.QtMultimedia  # noqa: F401
except (ImportError, OSError) as exc:  # libpulse etc. missing on a bare machine
    pytest.skip(f"Qt Multimedia cannot load here ({exc})", allow_module_level=True)

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QImage
from PySide6.QtMultimedia import QCamera, QVideoFrame, QVideoSink

from signdesk import capture
from signdesk.capture import CameraLost, SourceError, VideoFile
from signdesk.gui import qt_capture
from signdesk.gui.qt_capture import FILE_QUEUE, QtCamera, QtVideoFile
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def qt_sources(qapp):
    """Files and cameras open through Qt Multimedia for this test, as in the bundles."""
    qt_capture.install()
    assert capture.backend_name() == "Qt Multimedia"
    yield
    capture.use_sources(None)


def write_numbered_video(path: Path, frames: int, size: tuple[int, int] = (320, 240)) -> Path:
    """A video whose frame i is grey level 4·i, so order and losses show in the pictures."""
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, size)
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), 4 * i, np.uint8))
    writer.release()
    return path


def test_a_real_clip_gives_the_frames_opencv_gives(qapp, karsl_clip: Path):
    with QtVideoFile(karsl_clip) as video:
        assert video.name == karsl_clip.name and not video.live
        assert video.fps == pytest.approx(30.0, abs=0.5) and video.size == (256, 256)
        frames = list(video)
        assert video.read() is None, "the end of the file stays the end"
    with VideoFile(karsl_clip) as reference:
        expected = list(reference)
    assert len(frames) == len(expected) == video.frame_count > 10
    assert [f.index for f in frames] == list(range(len(frames)))
    np.testing.assert_allclose([f.time for f in frames], [f.time for f in expected], atol=1e-3)
    for got, want in zip(frames, expected):
        assert got.image.shape == want.image.shape and got.image.dtype == np.uint8
        # two decoders, two YUV → BGR conversions: the same picture within a few grey levels
        assert np.abs(got.image.astype(int) - want.image.astype(int)).mean() < 3


def test_a_slow_reader_loses_no_frame_and_qt_holds_only_a_few(qapp, tmp_path: Path):
    video_path = write_numbered_video(tmp_path / "numbered.avi", 40)
    levels, queued = [], []
    with QtVideoFile(video_path) as video:
        while (frame := video.read()) is not None:
            levels.append(int(frame.image.mean()))
            time.sleep(0.02)  # slower than Qt decodes: its renderer must wait
            queued.append(len(video._queue))
    assert len(levels) == 40
    assert np.all(np.abs(np.array(levels) - 4 * np.arange(40)) <= 3), "every frame, in order"
    assert max(queued) <= FILE_QUEUE


def test_closing_mid_file_is_quick_and_ends_reading(qapp, tmp_path: Path):
    video = QtVideoFile(write_numbered_video(tmp_path / "long.avi", 120))
    assert video.read() is not None
    time.sleep(0.2)  # Qt's renderer is now waiting on the full queue
    t0 = time.monotonic()
    video.close()
    assert time.monotonic() - t0 < 1.0
    assert video.read() is None
    video.close()  # closing twice is harmless


@pytest.mark.parametrize("content, message", [
    (None, r"gone\.mp4: no such file"),
    (b"this is not a video", r"notes\.mp4: not a readable video"),
    (b"", r"notes\.mp4: (not a readable video|the video has no readable frames)"),
])
def test_files_that_are_not_videos_are_one_line_source_errors(qapp, tmp_path: Path, content, message):
    path = tmp_path / ("gone.mp4" if content is None else "notes.mp4")
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as info:
        QtVideoFile(path)
    assert "\n" not in str(info.value)


def test_a_folder_is_a_source_error(qapp, tmp_path: Path):
    with pytest.raises(SourceError, match="is a folder, not a video file"):
        QtVideoFile(tmp_path)


def test_an_mp4_cut_in_half_cannot_be_opened(qapp, tmp_path: Path):
    """A phone's clip copied half-way (its index is at the end) is refused on opening.

    (A cut AVI plays to where it breaks and ends: FFmpeg estimates its length from what is
    there, so unlike OpenCV's reader this one cannot tell it was cut.)
    """
    import cv2

    whole = tmp_path / "class.mp4"
    writer = cv2.VideoWriter(str(whole), cv2.VideoWriter_fourcc(*"mp4v"), 25, (160, 120))
    rng = np.random.default_rng(0)
    for _ in range(60):
        writer.write(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
    writer.release()
    half = tmp_path / "half-class.mp4"
    half.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(SourceError, match=r"half-class\.mp4: not a readable video"):
        QtVideoFile(half)


def test_a_missing_camera_is_a_source_error_saying_why(qapp):
    with pytest.raises(SourceError, match="camera 63 could not be opened"):
        QtCamera(63)


class FakeDevice:
    """Stands in for a QCameraDevice: a camera with no format list."""

    def videoFormats(self) -> list:
        return []


class FakeCamera(QObject):
    """Stands in for QCamera: ``start`` starts a thread that pushes pictures into the session's sink."""

    errorOccurred = Signal(object, str)

    def __init__(self, device, fail: str = "", colour: tuple[int, int, int] = (30, 120, 210)) -> None:
        super().__init__()
        self.fail, self.colour = fail, colour
        self.sink: QVideoSink | None = None
        self.feeding = threading.Event()
        self._thread: threading.Thread | None = None

    def setCameraFormat(self, fmt) -> None:
        pass

    def start(self) -> None:
        if self.fail:
            self.errorOccurred.emit(QCamera.Error.CameraError, self.fail)
            return
        self.feeding.set()
        self._thread = threading.Thread(target=self._feed, daemon=True)
        self._thread.start()

    def _feed(self) -> None:
        image = QImage(64, 48, QImage.Format.Format_RGB888)
        image.fill(QColor(*self.colour))
        while self.feeding.is_set():
            self.sink.setVideoFrame(QVideoFrame(image))
            time.sleep(1 / 30)

    def unplug(self) -> None:
        self.feeding.clear()
        self._thread.join(1)

    def stop(self) -> None:
        self.feeding.clear()


class FakeSession(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.camera: FakeCamera | None = None

    def setCamera(self, camera) -> None:
        self.camera = camera

    def setVideoSink(self, sink) -> None:
        if self.camera is not None:
            self.camera.sink = sink


@pytest.fixture
def fake_qt_camera(qapp, monkeypatch):
    """QtCamera over a fake device: the cameras made, in order."""
    made: list[FakeCamera] = []
    failures: list[str] = []

    def camera(device) -> FakeCamera:
        made.append(FakeCamera(device, fail=failures.pop(0) if failures else ""))
        return made[-1]

    monkeypatch.setattr(qt_capture, "camera_device", lambda index: FakeDevice() if index == 0 else None)
    monkeypatch.setattr(qt_capture, "QCamera", camera)
    monkeypatch.setattr(qt_capture, "QMediaCaptureSession", FakeSession)
    return made, failures


def test_a_qt_camera_gives_its_newest_pictures_then_says_when_it_stops(fake_qt_camera):
    made, _ = fake_qt_camera
    camera = QtCamera(0, name="Desk camera", stall_s=0.5)
    try:
        assert camera.live and camera.fps == 30.0
        frames = [camera.read() for _ in range(5)]
        assert [f.index for f in frames] == list(range(5))
        assert all(b.time > a.time for a, b in zip(frames, frames[1:]))
        assert frames[0].image.shape == (48, 64, 3)
        np.testing.assert_array_equal(frames[-1].image[0, 0], [210, 120, 30])  # BGR of the RGB colour
        made[0].unplug()
        t0 = time.monotonic()
        with pytest.raises(CameraLost, match="Desk camera stopped sending frames"):
            camera.read()
        assert time.monotonic() - t0 < 1.5
    finally:
        camera.close()
    with pytest.raises(CameraLost, match="is closed"):
        camera.read()


def test_a_qt_camera_that_reports_an_error_on_start_is_a_source_error_with_its_words(fake_qt_camera):
    _, failures = fake_qt_camera
    failures.append("Camera access denied by the system")
    with pytest.raises(SourceError, match="camera 0 could not be opened .*Camera access denied"):
        QtCamera(0)


def test_closing_a_qt_camera_while_it_sends_is_quick(fake_qt_camera):
    made, _ = fake_qt_camera
    camera = QtCamera(0)
    assert camera.read() is not None
    t0 = time.monotonic()
    camera.close()
    assert time.monotonic() - t0 < 1.0
    assert not made[0].feeding.is_set()


def test_a_clip_reads_in_a_plain_background_thread(qapp, qt_sources, karsl_clip: Path):
    """Custom-sign import reads clips in a Python thread, not a QThread; Qt sources work there too."""
    counted: list[int] = []

    def read() -> None:
        with capture.open_video(karsl_clip) as video:
            counted.append(sum(1 for _ in video))

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(20)
    with VideoFile(karsl_clip) as reference:
        assert counted == [reference.frame_count]


def test_without_opencv_mediapipe_loads_and_the_window_reads_files_through_qt(karsl_clip: Path):
    """The bundles' situation: cv2 cannot be imported at all."""
    script = (
        "import sys\n"
        "sys.modules['cv2'] = None  # as if OpenCV were not installed\n"
        "import numpy as np\n"
        "from signdesk import capture\n"
        "from signdesk.landmarks import LandmarkExtractor\n"
        "assert not capture.opencv_available()\n"
        "try:\n"
        "    capture.open_video(sys.argv[1])\n"
        "except capture.SourceError as exc:\n"
        "    print('without a backend:', exc)\n"
        "with LandmarkExtractor(max_side=128) as ex:\n"
        "    print('landmarks', ex.process(np.full((240, 320, 4), 90, np.uint8)).shape)\n"
        "from signdesk.gui.app import make_application\n"
        "app = make_application(headless_ok=True)\n"
        "print('backend:', capture.backend_name())\n"
        "with capture.open_video(sys.argv[1]) as video:\n"
        "    print('frames', sum(1 for _ in video))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(karsl_clip)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**_env(), "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    with VideoFile(karsl_clip) as reference:
        n = reference.frame_count
    assert "without a backend: this installation has no video backend" in done.stdout
    assert "landmarks (184, 4)" in done.stdout
    assert "backend: Qt Multimedia" in done.stdout and f"frames {n}" in done.stdout


def test_without_opencv_the_commands_read_videos_through_qt(karsl_clip: Path):
    script = (
        "import sys\n"
        "sys.modules['cv2'] = None  # as if OpenCV were not installed\n"
        "from signdesk.cli import main\n"
        "sys.exit(main(['recognize', sys.argv[1], '--model', 'karsl-arabic', '--no-custom']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(karsl_clip)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env=_env())
    assert done.returncode == 0, done.stderr[-2000:]
    first = done.stdout.splitlines()[0]
    assert " 1. ر (" in first, done.stdout  # the clip's own sign (0041, the letter raa) ranks first


def test_without_opencv_a_dataset_of_videos_is_refused_with_what_to_do(karsl_clip: Path, tmp_path: Path):
    """Extraction runs in worker processes, which would have no decoder: one clear line instead of a crash."""
    script = (
        "import sys\n"
        "sys.modules['cv2'] = None\n"
        "from signdesk.capture import SourceError\n"
        "from signdesk.tools.cache import load_videos\n"
        "try:\n"
        "    load_videos([sys.argv[1]], cache_dir=sys.argv[2], progress=False)\n"
        "except SourceError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(karsl_clip), str(tmp_path / "cache")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=_env())
    assert done.returncode == 0, done.stderr[-2000:]
    assert "1 video(s) need their landmarks extracted, which needs OpenCV" in done.stdout


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "SIGNDESK_CAPTURE"}
