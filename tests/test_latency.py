"""Latency regression guard: everything outside MediaPipe must stay a small share of a frame.

Absolute times depend on the machine and its load, so this checks a ratio with a wide margin
(target 1.15, fails above 1.5). The figures themselves come from ``signdesk bench``.
"""

from __future__ import annotations

import numpy as np

from signdesk.capture import VideoFile
from signdesk.landmarks import LandmarkExtractor
from signdesk.pipeline import Pipeline
from signdesk.recognizer import Recognizer


def test_pipeline_time_stays_close_to_holistic_time(fixture_model, karsl_train_clips):
    clips = [p for p in karsl_train_clips][:3]
    total, holistic = [], []
    with LandmarkExtractor() as extractor:
        pipeline = Pipeline(Recognizer(fixture_model, threads=1), extractor, stride=5)
        for clip in clips:
            pipeline.reset()
            with VideoFile(clip) as video:
                for frame in video:
                    result, _ = pipeline.process_frame(frame.index, frame.time, frame.image)
                    total.append(sum(result.timings.values()))
                    holistic.append(extractor.last_timings["mediapipe"])
            pipeline.finish()
    ratio = float(np.sum(total) / np.sum(holistic))
    assert len(total) > 30
    assert ratio < 1.5, f"pipeline time is {ratio:.2f}x MediaPipe's (target 1.15): a regression outside MediaPipe"
