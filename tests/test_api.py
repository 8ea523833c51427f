"""The front door: ``import signdesk`` is cheap, every API name resolves, and it recognizes a real clip."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import signdesk
from conftest import KARSL_SAMPLE, REPO, SHARED_DATA, need

#: A KArSL test-split clip of sign 0002 (واحد, "1") that the bundled karsl-arabic model gets right.
CLIP_0002 = "01-test-mp4s/01_01_0002_(10_11_16_16_25_04)_c.mp4"


def test_every_api_name_resolves_to_its_module_object():
    assert "LandmarkExtractor" in signdesk.__all__ and "WINDOW_LENGTH" in signdesk.__all__
    for name in signdesk.__all__:
        module = importlib.import_module(signdesk._API[name])
        assert getattr(signdesk, name) is getattr(module, name), name
        assert name in dir(signdesk)
    assert (signdesk.N_LANDMARKS, signdesk.N_CHANNELS, signdesk.WINDOW_LENGTH) == (184, 4, 50)
    assert signdesk.FEATURE_DIM == signdesk.N_LANDMARKS * signdesk.N_CHANNELS
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        signdesk.nothing_here  # noqa: B018


def test_import_signdesk_loads_no_numpy_until_a_name_is_used():
    code = (
        "import sys, signdesk\n"
        "heavy = ('numpy', 'mediapipe', 'onnxruntime', 'cv2', 'PySide6')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
        "signdesk.N_LANDMARKS\n"
        "print('numpy' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    before, after = proc.stdout.splitlines()
    assert before == "[]", f"import signdesk loaded {before}"
    assert after == "True", "using a layout constant imports the layout (and numpy) on demand"


def _recognize(clip: Path) -> list:
    recognizer = signdesk.load_model("karsl-arabic")
    with signdesk.VideoFile(clip) as video, signdesk.LandmarkExtractor() as extractor:
        pipeline = signdesk.Pipeline(recognizer, extractor)
        results = [pipeline.process_frame(f.index, f.time, f.image)[1] for f in video]
        results.append(pipeline.finish())
    return [r for r in results if r is not None]


def test_the_api_recognizes_a_real_clip_as_the_command_does():
    clip = need(KARSL_SAMPLE / CLIP_0002)
    (result,) = _recognize(clip)
    label, probability = result.prediction.best
    assert label.id == "0002" and probability > 0.5
    proc = subprocess.run([sys.executable, "-m", "signdesk", "recognize", str(clip), "--model", "karsl-arabic",
                           "--json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    (record,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert (record["start_frame"], record["end_frame"]) == (result.attempt.start_frame, result.attempt.end_frame)
    assert [c["id"] for c in record["top"]] == [l.id for l, _ in result.prediction.top]
    assert [c["probability"] for c in record["top"]] == [round(p, 4) for _, p in result.prediction.top]


def test_the_readme_example_prints_what_the_readme_says():
    need(KARSL_SAMPLE / CLIP_0002)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    expected = re.search(r"prints `([^`]*)`", section).group(1)
    code = code.replace('"../shared/data/', f'"{SHARED_DATA.as_posix()}/')
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == expected
