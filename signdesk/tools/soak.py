"""A long class, compressed: real KArSL clips looped through the real window for thousands of frames.

Why: a classroom runs signdesk for an hour; a leak of a few kB per frame, a thread per attempt
or a queue that grows only shows after thousands of frames. This script plays real clips (with
"nobody in view" pauses between them, so each clip is one sign attempt) through a looping
pretend camera behind the real capture interface, into the real :class:`MainWindow` (offscreen),
its :class:`RecognitionSession`, capture and processing workers and the bundled model, with the
practice view shown (attempts are scored and written to a private progress database). Every few
seconds it samples resident memory, OS threads, open file descriptors and the hand-over
mailboxes, and at the end it closes the window and checks every thread joined.

Modes:

- ``real`` (default): MediaPipe Holistic runs on every frame the worker takes.
- ``replay``: MediaPipe runs once over the looped stream before the soak; during the soak a
  replaying extractor hands back those landmarks, so many more frames go through the session,
  worker, window, model and practice per minute (the MediaPipe graph itself is then not soaked).

Usage::

    python -m signdesk.tools.soak --frames 20000 [--mode real|replay] [--clips 24] [--json out.json]

The exit status is 1 when memory, threads or open files grew beyond the limits given.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from signdesk.capture import CameraInfo, Frame

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = Path(os.environ.get("SIGNDESK_SHARED_DATA", REPO.parent / "shared" / "data")) \
    / "karsl502-signs0071-0082-walead"


@dataclass
class Sample:
    """One look at the process while the soak runs."""

    seconds: float
    captured: int  # frames the pretend camera delivered
    analysed: int  # frames the processing worker finished
    skipped: int  # frames replaced before analysis (latest frame wins)
    attempts: int
    rss_mb: float
    os_threads: int
    py_threads: int
    open_fds: int
    mailboxes: int  # items waiting in the three one-slot mailboxes (0-3)
    background_jobs: int  # background jobs whose answer has not reached the UI


def _os_threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _open_fds() -> int:
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            return len(os.listdir(folder))
        except OSError:
            continue
    return -1


def load_stream(data: Path, n_clips: int, rest_frames: int = 15) -> list[NDArray]:
    """``n_clips`` clips spread over the data set, with rest frames around each, as one stream."""
    from signdesk.capture import VideoFile
    from signdesk.tools.realtime import signing_stream

    paths = sorted(data.glob("*-mp4s/*.mp4"))
    if not paths:
        raise SystemExit(f"no clips under {data} (clone signdesk beside ../shared)")
    picked = [paths[i] for i in np.linspace(0, len(paths) - 1, min(n_clips, len(paths))).astype(int)]
    clips = []
    for path in picked:
        with VideoFile(path) as video:
            clips.append([f.image for f in video])
    size = clips[0][0].shape[:2]
    clips = [c for c in clips if c[0].shape[:2] == size]
    frames, _ = signing_stream(clips, rest_frames)
    return [f.copy() for f in frames]  # rest frames share one array: each gets its own for stamping


def _stamp(frames: list[NDArray]) -> None:
    """Write each frame's position into its first pixel so a replaying extractor can find it."""
    for i, frame in enumerate(frames):
        frame[0, 0] = (i & 0xFF, (i >> 8) & 0xFF, (i >> 16) & 0xFF)


class ReplayExtractor:
    """Hands back landmarks MediaPipe found beforehand for the stamped frame it is given."""

    landmarks: NDArray | None = None

    def process(self, frame_bgr: NDArray, out: NDArray | None = None) -> NDArray:
        b, g, r = (int(v) for v in frame_bgr[0, 0])
        raw = self.landmarks[(b | g << 8 | r << 16) % len(self.landmarks)]
        if out is None:
            return raw.copy()
        out[...] = raw
        return out

    def reset(self) -> None:
        """Nothing to forget: the landmarks are fixed."""

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> ReplayExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def precompute(frames: list[NDArray]) -> NDArray:
    """MediaPipe over the stream once, in order (its tracking depends on the previous frame)."""
    from signdesk.landmarks import LandmarkExtractor

    with LandmarkExtractor() as extractor:
        return np.stack([extractor.process(f) for f in frames])


class LoopCamera:
    """A camera (the :class:`~signdesk.capture.FrameSource` protocol) that loops a stream at ``fps``."""

    live = True

    def __init__(self, frames: list[NDArray], fps: float, counter: list[int]) -> None:
        self.frames, self.fps, self.name = frames, fps, "Looping KArSL camera"
        self.size = (frames[0].shape[1], frames[0].shape[0])
        self._counter = counter
        self._t0 = time.monotonic()
        self._i = 0

    def read(self) -> Frame:
        delay = self._t0 + self._i / self.fps - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        frame = Frame(self._i, time.monotonic() - self._t0, self.frames[self._i % len(self.frames)])
        self._i += 1
        self._counter[0] += 1
        return frame

    def close(self) -> None:
        self._counter[2] += 1


class LoopCatalog:
    """One looping camera, listed like the machine's cameras."""

    def __init__(self, frames: list[NDArray], fps: float) -> None:
        self.frames, self.fps, self.counter = frames, fps, [0, 0, 0]  # captured, opened, closed

    def list(self) -> list[CameraInfo]:
        return [CameraInfo(0, "Looping KArSL camera")]

    def spec(self, camera: CameraInfo, size: tuple[int, int] | None) -> Any:
        from signdesk.gui.sources import CAMERA, SourceSpec

        def opener() -> LoopCamera:
            self.counter[1] += 1
            return LoopCamera(self.frames, self.fps, self.counter)

        return SourceSpec(CAMERA, camera.name, index=0, opener=opener)


def run(frames_wanted: int, mode: str, n_clips: int, every_s: float, fps: float, data: Path,
        log: Any = sys.stderr) -> dict[str, Any]:
    """Soak the window until the worker analysed ``frames_wanted`` frames; samples and a verdict."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["SIGNDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="signdesk-soak-")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from signdesk.gui import gc_pump
    from signdesk.gui.main_window import MainWindow
    from signdesk.gui.session import ONNX_THREADS
    from signdesk.gui.settings import Settings
    from signdesk.gui.states import ViewKind
    from signdesk.landmarks import LandmarkExtractor
    from signdesk.recognizer import Recognizer

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, os.environ["SIGNDESK_DATA_DIR"])
    stream = load_stream(data, n_clips)
    factory: Any = LandmarkExtractor
    if mode == "replay":
        _stamp(stream)
        print(f"precomputing landmarks of {len(stream)} frames …", file=log, flush=True)
        ReplayExtractor.landmarks = precompute(stream)
        factory = ReplayExtractor
    app = QApplication.instance() or QApplication([])
    gc_pump.install(app)  # as the app does
    catalog = LoopCatalog(stream, fps)
    window = MainWindow(Settings(threshold=0.0), catalog=catalog, extractor_factory=factory, graphs=1)
    window.set_recognizer(Recognizer("karsl-arabic", threads=ONNX_THREADS))
    window.resize(1280, 720)
    window.show()
    window.show_view(ViewKind.PRACTICE, fullscreen=False)
    session = window.session
    attempts = [0]
    session.attempt_result.connect(lambda _: attempts.__setitem__(0, attempts[0] + 1))
    samples: list[Sample] = []
    t0 = time.monotonic()

    def sample() -> None:
        boxes = sum(b._item is not None for b in (session.to_pipeline, session.to_preview, session.results))
        s = Sample(round(time.monotonic() - t0, 1), catalog.counter[0], session.frames_analysed,
                   session.frames_skipped, attempts[0], round(_rss_mb(), 1), _os_threads(),
                   threading.active_count(), _open_fds(), boxes, session.background_jobs)
        samples.append(s)
        print(json.dumps(asdict(s)), file=log, flush=True)
        if s.analysed >= frames_wanted:
            app.quit()

    timer = QTimer()
    timer.timeout.connect(sample)
    timer.start(int(every_s * 1000))
    window.start(None)
    app.exec()
    timer.stop()
    t_close = time.monotonic()
    window.close()
    close_s = time.monotonic() - t_close
    left = [t.objectName() for t in window.threads() if not t.isFinished()]
    records = _progress_rows(Path(os.environ["SIGNDESK_DATA_DIR"]))
    shutil.rmtree(os.environ["SIGNDESK_DATA_DIR"], ignore_errors=True)  # a private, throwaway folder
    return {"mode": mode, "frames_wanted": frames_wanted, "stream_frames": len(stream), "clips": n_clips,
            "fps": fps, "samples": [asdict(s) for s in samples],
            "close_s": round(close_s, 3), "threads_left": left, "progress_rows": records,
            "camera_released": catalog.counter[1] == catalog.counter[2], "machine": _machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def _rss_mb() -> float:
    from signdesk.tools.realtime import current_rss_mb

    return current_rss_mb()


def _progress_rows(folder: Path) -> int:
    import sqlite3

    rows = 0
    for db in folder.glob("*.sqlite3"):
        with sqlite3.connect(db) as conn:
            try:
                rows += conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
            except sqlite3.Error:
                pass
    return rows


def _machine() -> str:
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores {model}, Python {platform.python_version()}"


def verdict(result: dict[str, Any], max_growth_mb: float) -> list[str]:
    """What grew: memory after warm-up beyond ``max_growth_mb``, threads, open files, queues."""
    samples = result["samples"]
    warm = samples[len(samples) // 4:] or samples
    problems = []
    growth = warm[-1]["rss_mb"] - warm[0]["rss_mb"]
    if growth > max_growth_mb:
        problems.append(f"memory grew {growth:.0f} MB after warm-up (limit {max_growth_mb:.0f})")
    for key in ("os_threads", "open_fds"):
        if max(s[key] for s in warm) > warm[0][key] + 2:
            problems.append(f"{key} grew from {warm[0][key]} to {max(s[key] for s in warm)}")
    if max(s["background_jobs"] for s in warm) > 5:
        problems.append("background jobs piled up")
    if not result["camera_released"]:
        problems.append("the camera was not released")
    if result["threads_left"] or result["close_s"] > 1.0:
        problems.append(f"closing took {result['close_s']} s, threads left: {result['threads_left']}")
    return problems


def summary(result: dict[str, Any]) -> str:
    """A Markdown table of the samples at about every tenth of the run."""
    samples = result["samples"]
    step = max(1, len(samples) // 10)
    rows = samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else [])
    lines = ["| s | captured | analysed | attempts | RSS MB | OS threads | open fds | mailboxes | bg jobs |",
             "|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {s['seconds']:.0f} | {s['captured']} | {s['analysed']} | {s['attempts']} | {s['rss_mb']:.0f} | "
              f"{s['os_threads']} | {s['open_fds']} | {s['mailboxes']} | {s['background_jobs']} |" for s in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m signdesk.tools.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=20000, help="frames the worker must analyse")
    parser.add_argument("--mode", choices=("real", "replay"), default="real")
    parser.add_argument("--clips", type=int, default=24, help="clips in the looped stream")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--fps", type=float, default=30.0, help="the pretend camera's frame rate")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--max-growth-mb", type=float, default=50.0)
    parser.add_argument("--json", type=Path, help="write every sample and the verdict here")
    args = parser.parse_args(argv)
    result = run(args.frames, args.mode, args.clips, args.every, args.fps, args.data)
    result["problems"] = verdict(result, args.max_growth_mb)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    print(summary(result))
    print(f"closed in {result['close_s']} s; threads left {result['threads_left'] or 'none'}; "
          f"progress rows written {result['progress_rows']}; problems: {result['problems'] or 'none'}")
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
