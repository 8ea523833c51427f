"""``signdesk bench`` runs the real pipeline on a real clip and reports every figure it promises."""

from __future__ import annotations

import json
import subprocess
import sys


def test_bench_json_reports_the_promised_figures(fixture_model, karsl_clip):
    proc = subprocess.run(
        [sys.executable, "-m", "signdesk", "bench", str(karsl_clip), "--model", str(fixture_model), "--json",
         "--size", "320x240"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    for key in ("fps_end_to_end", "frame_ms_median", "holistic_ms_median", "onnx_ms_median", "peak_rss_mb"):
        assert isinstance(report[key], float) and report[key] > 0, key
    assert report["frame_ms_median"] >= report["mediapipe_ms_median"]
    camera = report["runs"]["camera size"]
    assert camera["size"] == "320x240" and report["runs"]["native size"]["size"] == "256x256"
    assert camera["frames"] > 10
    assert {"decode", "mediapipe", "pack", "normalize", "window", "inference", "end_to_end"} <= set(camera["stages"])
    assert report["model_latency"]["onnx_fp32"]["n"] == 200
    assert report["hands_down_latency"]["results"] == 1


def test_bench_rejects_a_bad_size(fixture_model, karsl_clip):
    proc = subprocess.run([sys.executable, "-m", "signdesk", "bench", str(karsl_clip), "--size", "big",
                           "--model", str(fixture_model)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "expected WxH" in proc.stderr and "Traceback" not in proc.stderr
