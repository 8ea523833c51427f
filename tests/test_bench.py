"""``signdesk bench`` runs the real pipeline on a real clip and reports every figure it promises."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


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
    assert report["onnx_precision"] == "fp32" and report["model_latency"]["onnx_fp32"]["n"] == 200
    assert report["model_latency"]["onnx_int8"]["n"] == 200, report["other_variant"]  # quantized during the run
    assert report["hands_down_latency"]["results"] == 1


def test_bench_rejects_a_bad_size(fixture_model, karsl_clip):
    proc = subprocess.run([sys.executable, "-m", "signdesk", "bench", str(karsl_clip), "--size", "big",
                           "--model", str(fixture_model)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "expected WxH" in proc.stderr and "Traceback" not in proc.stderr


def test_a_bundled_int8_model_is_timed_beside_its_fp32_only_when_named(tmp_path):
    from signdesk.tools.bench import other_variant
    from signdesk.recognizer import PRECISION_KEY, Recognizer, bundled_models

    shipped = [m for m in bundled_models() if Recognizer(m.name).meta.get(PRECISION_KEY) == "int8"]
    if not shipped:
        pytest.skip("no bundled int8 model")
    recognizer = Recognizer(shipped[0].name)
    precision, path, how = other_variant(recognizer, None, tmp_path)
    assert (precision, path) == ("fp32", None) and "--fp32" in how
    named = tmp_path / "model.onnx"
    assert other_variant(recognizer, named, tmp_path)[:2] == ("fp32", named)
