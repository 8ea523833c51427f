"""The real-time parts of ``signdesk bench``: paced like a camera, in the app's threads and window.

A camera-paced run (latest frame wins) for the delay from hands down to the result, a long
soak for memory, the real window played in a process of its own (its analysed rate, paint
interval, hands-down-to-screen delay and peak memory, :mod:`signdesk.gui.measure`), and the
attempt split counts of the live path over real clips with one or two Holistic graphs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.recognizer import Recognizer

#: The real-time run ends when the camera thread closes the hand-over, or stays silent this long.
_CAMERA_SILENCE_S = 30.0


def peak_rss_mb() -> float | None:
    """This process's peak resident memory. On Linux VmHWM, which (unlike ru_maxrss) starts
    afresh at exec and so does not count the benchmark process this one was started from."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return peak_rss_mb() or 0.0


def stats(values: list[float]) -> dict[str, float]:
    v = np.asarray(values, dtype=np.float64)
    return {"median": float(np.median(v)), "p95": float(np.percentile(v, 95)), "n": int(len(v))}


def signing_stream(clips: list[list[NDArray]], rest_frames: int = 20) -> tuple[list[NDArray], list[int]]:
    """The clips with empty frames (nobody in view) before, between and after them.

    Returns the frames and, per clip, the index of the first frame after its sign.
    """
    h, w = clips[0][0].shape[:2]
    blank = np.full((h, w, 3), 40, np.uint8)
    frames: list[NDArray] = []
    ends = []
    for clip in clips:
        frames.extend([blank] * rest_frames)
        frames.extend(clip)
        ends.append(len(frames))
    frames.extend([blank] * rest_frames)
    return frames, ends


def write_video(frames: list[NDArray], path: Path, fps: float = 30.0) -> Path:
    """Write frames as an MJPG .avi (used for the UI run; a temporary file, never kept)."""
    from signdesk.capture import SourceError, opencv_available

    if not opencv_available():
        raise SourceError("the UI run writes its test video with OpenCV, which the installers leave out: "
                          "run signdesk bench --ui from a pip install (pip install signdesk)")
    import cv2

    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def hands_down_latency(clips: list[list[NDArray]], recognizer: Recognizer, stride: int, fps: float = 30.0,
                       rest_frames: int = 20, extractor_options: dict | None = None) -> dict[str, float] | None:
    """Play sign + empty frames in real time (a camera thread at ``fps``, latest frame wins) and
    measure from the capture time of the first frame after the sign to the attempt's result:
    the result the app shows at once (scored at the first hand-down frame) and the one the end
    rule confirms (``confirmed_*``)."""
    from signdesk.handover import Mailbox
    from signdesk.landmarks import LandmarkExtractor
    from signdesk.pipeline import Pipeline

    stream, sign_end_index = signing_stream(clips, rest_frames)
    box = Mailbox()
    captured_at: list[float] = []  # capture time of every frame, dropped ones too, by index

    def camera() -> None:
        try:
            t_next = time.perf_counter()
            for i, image in enumerate(stream):
                t_next += 1 / fps
                time.sleep(max(0.0, t_next - time.perf_counter()))
                captured_at.append(time.perf_counter())
                box.put((i, image))
        finally:
            box.close()  # the reader takes what is left, then sees the end

    delays, confirmed, matched = [], [], 0
    with LandmarkExtractor(**(extractor_options or {})) as extractor:
        pipeline = Pipeline(recognizer, extractor, stride=stride)
        extractor.process(stream[0])
        pipeline.reset()
        thread = threading.Thread(target=camera, daemon=True)
        thread.start()
        while (item := box.take(timeout=_CAMERA_SILENCE_S)) is not None:
            i, image = item
            frame, final = pipeline.process_frame(i, captured_at[i], image)
            now = time.perf_counter()
            ends = [e for e in sign_end_index if e <= i]  # frames come in order: the first after the sign is `end`
            if frame.early is not None and ends:
                delays.append((now - captured_at[ends[-1]]) * 1000)
            if final is not None and ends:
                confirmed.append((now - captured_at[ends[-1]]) * 1000)
                matched += 1
            box.done()
        thread.join()
    if not delays:
        return None
    out = stats(delays)
    out.update({"signs": len(clips), "results": matched,
                "confirmed_median": float(np.median(confirmed)) if confirmed else None})
    return out


def soak(clips: list[list[NDArray]], recognizer: Recognizer, stride: int, seconds: float,
         extractor_options: dict) -> dict[str, float]:
    """Loop the clips for ``seconds``; RSS after warm-up vs at the end."""
    from signdesk.landmarks import LandmarkExtractor
    from signdesk.pipeline import Pipeline

    samples = []
    with LandmarkExtractor(**extractor_options) as extractor:
        pipeline = Pipeline(recognizer, extractor, stride=stride)
        start = time.perf_counter()
        i = 0
        while time.perf_counter() - start < seconds:
            for frames in clips:
                for image in frames:
                    pipeline.process_frame(i, i / 30, image)
                    i += 1
                    if i % 200 == 0:
                        samples.append((time.perf_counter() - start, current_rss_mb()))
    warm = [rss for t, rss in samples if t > min(60.0, seconds / 4)] or [s[1] for s in samples]
    return {"seconds": seconds, "frames": i, "rss_start_mb": warm[0], "rss_end_mb": warm[-1],
            "rss_max_mb": max(warm), "growth_mb": warm[-1] - warm[0]}


def window_run(video: Path, model: str | None, stride: int, threads: int, graphs: int | None = None,
               timeout_s: float = 900.0) -> dict:
    """The real window on ``video`` in a fresh process (:func:`signdesk.gui.measure.main`).

    A process of its own, so that its peak memory is the app's alone, not the benchmark's
    (which holds every decoded clip) and not torch's.
    """
    if getattr(sys, "frozen", False):  # a PyInstaller bundle cannot run ``-m``: measure here instead
        from signdesk.gui.measure import measure_window
        from signdesk.recognizer import Recognizer

        return measure_window(video, Recognizer(model, threads=threads), stride, graphs=graphs)
    cmd = [sys.executable, "-m", "signdesk.gui.measure", str(video), "--stride", str(stride),
           "--threads", str(threads)]
    if model:
        cmd += ["--model", str(model)]
    if graphs:
        cmd += ["--graphs", str(graphs)]
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"the window run failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def split_counts(paths: Sequence[Path], recognizer: Recognizer, graphs: int) -> dict:
    """The app's live path over whole clips of one sign each: how many became several attempts.

    Frames go through ``graphs`` Holistic graphs on alternate frames, two in flight in each
    (as in the app), then the one pipeline path; every frame is analysed. Also gives the top-1 of each clip's longest
    attempt against the clip's sign (KArSL file names carry the sign id).
    """
    from signdesk.alternating import PIPELINE_DEPTH, AlternatingExtractor
    from signdesk.capture import VideoFile
    from signdesk.landmarks import LandmarkExtractor
    from signdesk.pipeline import Pipeline

    split = none = right = 0
    extractors = AlternatingExtractor(LandmarkExtractor, graphs, depth=PIPELINE_DEPTH)
    try:
        for path in paths:
            pipeline = Pipeline(recognizer)
            extractors.reset()
            attempts = []

            def finish_oldest() -> None:
                frame, raw, _ = extractors.collect()
                attempts.append(pipeline.process_landmarks(frame.index, frame.time, raw)[1])

            with VideoFile(path) as video:
                for frame in video:
                    if extractors.full:
                        finish_oldest()
                    extractors.submit(frame, frame.image)
            while extractors.in_flight:
                finish_oldest()
            attempts = [a for a in attempts + [pipeline.finish()] if a is not None]
            split += len(attempts) > 1
            none += not attempts
            if attempts:
                sign = path.name.split("_")[2] if path.name.count("_") >= 2 else ""
                longest = max(attempts, key=lambda a: len(a.attempt.frames))
                right += longest.prediction.best[0].id == sign
    finally:
        extractors.close()
    n = len(paths)
    return {"graphs": graphs, "clips": n, "split": split, "no_attempt": none, "top1": right / n if n else None}
