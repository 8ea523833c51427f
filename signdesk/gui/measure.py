"""The real window under measurement, for ``signdesk bench --ui``.

Plays a video file in the real :class:`~signdesk.gui.main_window.MainWindow` at the file's own
speed (as a camera would deliver it, latest frame wins) and measures what a user gets: frames
analysed per second while the UI paints, capture-to-result latency, and the delay from the end
of each sign (the first frame after it) to its final result being on screen.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

from signdesk.gui.app import make_application
from signdesk.gui.main_window import MainWindow
from signdesk.gui.settings import Settings
from signdesk.gui.status import MedianMeter
from signdesk.recognizer import Recognizer


class _PaintClock(QObject):
    """Records when a widget paints (an event filter), for the paint-interval figure."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.times.append(time.perf_counter())
        return False


def measure_window(video: Path, recognizer: Recognizer, stride: int = 5, size: tuple[int, int] = (1280, 720),
                   timeout_s: float = 600.0, graphs: int | None = None) -> dict:
    """Play ``video`` in the window; returns the figures (see :mod:`signdesk.tools.bench`)."""
    app = make_application(headless_ok=True)
    window = MainWindow(Settings(threshold=0.0, stride=stride, voice=False), store=None, graphs=graphs)
    window.set_recognizer(recognizer)
    window.resize(*size)
    window.figures.latency = MedianMeter(size=1_000_000)  # keep every value, not the last 30
    starts: list[float] = []  # perf_counter of position 0 of the file, from each frame's capture time
    window.session.picture.connect(lambda packet: starts.append(packet.captured - packet.time))
    analysed: list[float] = []  # when the window got analysed frames (the span of the analysed rate)
    window.session.frame_processed.connect(lambda item: analysed.append(time.perf_counter()))
    first_shown: dict[tuple[int, int], float] = {}  # (start, end frame) → when its result was first on screen
    window.recognition.result_shown.connect(
        lambda r: first_shown.setdefault((r.attempt.start_frame, r.attempt.end_frame), time.perf_counter()))
    shown: list[tuple[float, object]] = []
    window.attempt_shown.connect(lambda result: shown.append(
        (first_shown.get((result.attempt.start_frame, result.attempt.end_frame), time.perf_counter()), result)))
    paints = _PaintClock()
    window.view.installEventFilter(paints)
    loop = QEventLoop()
    window.stream_finished.connect(loop.quit)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    window.show()
    window.open_file(video)
    begin = time.perf_counter()
    loop.exec()
    wall = time.perf_counter() - begin
    span = analysed[-1] - analysed[0] if len(analysed) > 1 else wall
    processed = window.session.frames_analysed
    graphs_used = window.session.processing.graphs
    skipped = window.session.frames_skipped
    latencies = list(window.figures.latency._values)
    fps_file = window.session.source_info.fps if window.session.source_info is not None else 30.0
    window.close()
    window.shutdown()
    app.processEvents()

    intervals = np.diff(paints.times) * 1000 if len(paints.times) > 1 else np.zeros(0)
    t0 = min(starts) if starts else begin
    delays = [(at - (t0 + (result.attempt.end_frame + 1) / fps_file)) * 1000 for at, result in shown]
    return {
        "video": str(video),
        "wall_s": wall,
        "frames_analysed": processed,
        "frames_skipped": skipped,
        "holistic_graphs": graphs_used,
        "fps_analysed": (processed - 1) / span if span > 0 else 0.0,
        "capture_to_result_ms_median": float(np.median(latencies)) if latencies else None,
        "attempts_shown": len(shown),
        "hands_down_to_screen_ms": delays,
        "hands_down_to_screen_ms_median": float(np.median(delays)) if delays else None,
        "paints": len(paints.times),
        "paint_interval_ms_median": float(np.median(intervals)) if len(intervals) else None,
        "paint_interval_p95_ms": float(np.percentile(intervals, 95)) if len(intervals) else None,
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m signdesk.gui.measure VIDEO``: the window's figures as JSON, with this process's peak memory.

    ``signdesk bench --ui`` runs it in a process of its own, so that the peak memory is the
    app's alone (the benchmark itself holds decoded clips and other models).
    """
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m signdesk.gui.measure", description=main.__doc__)
    parser.add_argument("video", type=Path)
    parser.add_argument("--model", default=None)
    parser.add_argument("--stride", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="ONNX Runtime threads")
    parser.add_argument("--graphs", type=int, default=None, help="Holistic graphs side by side (default: the app's)")
    args = parser.parse_args(argv)
    figures = measure_window(args.video, Recognizer(args.model, threads=args.threads), args.stride, graphs=args.graphs)
    from signdesk.tools.realtime import peak_rss_mb

    figures["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
