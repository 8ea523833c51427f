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
from PySide6.QtCore import QEventLoop, QTimer

from signdesk.gui.app import make_application
from signdesk.gui.main_window import MainWindow
from signdesk.gui.settings import Settings
from signdesk.gui.status import MedianMeter
from signdesk.recognizer import Recognizer


def measure_window(video: Path, recognizer: Recognizer, stride: int = 5, size: tuple[int, int] = (1280, 720),
                   timeout_s: float = 600.0) -> dict:
    """Play ``video`` in the window; returns the figures (see :mod:`signdesk.tools.bench`)."""
    app = make_application(headless_ok=True)
    window = MainWindow(Settings(threshold=0.0, stride=stride, voice=False), store=None)
    window.set_recognizer(recognizer)
    window.resize(*size)
    window.figures.latency = MedianMeter(size=1_000_000)  # keep every value, not the last 30
    starts: list[float] = []  # perf_counter of position 0 of the file, from each frame's capture time
    window.session.picture.connect(lambda packet: starts.append(packet.captured - packet.time))
    shown: list[tuple[float, object]] = []
    window.attempt_shown.connect(lambda result: shown.append((time.perf_counter(), result)))
    loop = QEventLoop()
    window.stream_finished.connect(loop.quit)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    window.show()
    window.open_file(video)
    begin = time.perf_counter()
    loop.exec()
    wall = time.perf_counter() - begin
    processed = window.session.frames_analysed
    skipped = window.session.frames_skipped
    latencies = list(window.figures.latency._values)
    fps_file = window.session.source_info.fps if window.session.source_info is not None else 30.0
    window.close()
    window.shutdown()
    app.processEvents()

    t0 = min(starts) if starts else begin
    delays = [(at - (t0 + (result.attempt.end_frame + 1) / fps_file)) * 1000 for at, result in shown]
    return {
        "video": str(video),
        "wall_s": wall,
        "frames_analysed": processed,
        "frames_skipped": skipped,
        "fps_analysed": processed / wall if wall else 0.0,
        "capture_to_result_ms_median": float(np.median(latencies)) if latencies else None,
        "attempts_shown": len(shown),
        "hands_down_to_screen_ms": delays,
        "hands_down_to_screen_ms_median": float(np.median(delays)) if delays else None,
    }
