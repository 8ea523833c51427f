"""``signdesk --self-test``: does this installation work, without a camera and without a network?

The same checks in every bundle and every install: each bundled model loads and classifies a
window, MediaPipe Holistic starts and analyses a frame, the user data folder can be written,
and the cameras found are listed (none is not a failure: a desktop may have none). Versions
and timings are printed; the exit status is 0, or 1 with the failing checks named. Nothing
here reads the recorded datasets or touches the network.
"""

from __future__ import annotations

import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from signdesk.resources import user_data_dir

@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    ms: float
    required: bool = True  # a failing optional check is reported but does not fail the self-test


def _timed(name: str, run: Callable[[], str], required: bool = True) -> Check:
    t0 = time.perf_counter()
    try:
        detail, ok = run(), True
    except Exception as exc:  # every failure becomes a named, one-line result
        detail, ok = f"{type(exc).__name__}: {exc}".splitlines()[0], False
    return Check(name, ok, detail, (time.perf_counter() - t0) * 1000, required)


def _check_model(name: str) -> str:
    import numpy as np

    from signdesk.landmarks import FEATURE_DIM, WINDOW_LENGTH
    from signdesk.recognizer import Recognizer

    recognizer = Recognizer(name, threads=1)
    rng = np.random.default_rng(0)
    window = rng.normal(0.0, 0.5, (WINDOW_LENGTH, FEATURE_DIM)).astype(np.float32)  # synthetic, no recording
    prediction = recognizer.predict(window, top_k=3)
    probs = [p for _, p in prediction.top]
    if not all(np.isfinite(probs)) or not np.isfinite(prediction.embedding).all():
        raise ValueError("the model gave non-finite output")
    return f"{len(recognizer.labels)} signs, {recognizer.meta.get('precision', 'fp32')}, top-1 {prediction.best[0].id}"


def _check_holistic() -> str:
    import numpy as np

    from signdesk.landmarks import N_CHANNELS, N_LANDMARKS, LandmarkExtractor

    frame = np.full((480, 640, 3), 90, np.uint8)  # an empty grey picture: nobody in view
    with LandmarkExtractor() as extractor:
        raw = extractor.process(frame)
    if raw.shape != (N_LANDMARKS, N_CHANNELS) or not np.isfinite(raw).all():
        raise ValueError(f"unexpected landmarks {raw.shape}")
    return "model_complexity 1, refined face mesh; a 640×480 frame analysed"


def _check_data_dir() -> str:
    from signdesk.files import atomic_path

    folder = user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / ".signdesk-self-test"
    with atomic_path(probe) as tmp:
        tmp.write_text("ok", encoding="utf-8")
    probe.unlink()
    return str(folder)


def _check_cameras() -> str:
    from signdesk.capture import list_cameras

    cameras = list_cameras()
    return ", ".join(f"{c.index}: {c.name}" for c in cameras) if cameras else "none found (not an error)"


def _check_video() -> str:
    """What decodes video files and drives cameras: OpenCV, or (the bundles) Qt Multimedia's FFmpeg.

    Without OpenCV, ``signdesk --self-test`` has already registered the Qt sources, inside a Qt
    core application (signdesk.cli).
    """
    from signdesk.capture import opencv_available

    if opencv_available():
        import cv2

        return f"OpenCV {cv2.__version__}"
    from PySide6.QtMultimedia import QMediaFormat

    formats = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Decode)
    wanted = {QMediaFormat.FileFormat.MPEG4: "MP4", QMediaFormat.FileFormat.AVI: "AVI",
              QMediaFormat.FileFormat.WebM: "WebM", QMediaFormat.FileFormat.QuickTime: "MOV"}
    readable = [name for fmt, name in wanted.items() if fmt in formats]
    if "MP4" not in readable:
        raise RuntimeError("Qt Multimedia cannot decode MP4 (its FFmpeg backend did not load)")
    return f"Qt Multimedia (FFmpeg backend): {', '.join(readable)}"


#: OpenCV comes as one of these wheels (the bundles carry opencv-python-headless, at the version MediaPipe got).
OPENCV_DISTS = ("opencv-contrib-python", "opencv-contrib-python-headless", "opencv-python", "opencv-python-headless")


def installation() -> str:
    """Where this signdesk runs from: a PyInstaller bundle (the installers) or a Python install."""
    if getattr(sys, "frozen", False):
        return f"bundle, {Path(sys.executable).resolve().parent}"
    return f"Python package, {Path(__file__).resolve().parent}"


def versions() -> dict[str, str]:
    from importlib import metadata

    from signdesk import __version__

    def version_of(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    found = {"signdesk": __version__, "installation": installation(), "python": platform.python_version(),
             "system": platform.platform()}
    for dist in ("numpy", "onnxruntime", "mediapipe", "PySide6-Essentials"):
        found[dist] = version_of(dist)
    opencv = next(((d, v) for d in OPENCV_DISTS if (v := version_of(d)) != "not installed"), None)
    found["opencv"] = f"{opencv[1]} ({opencv[0]})" if opencv else "not installed"
    return found


def run_checks() -> list[Check]:
    from signdesk.recognizer import bundled_models

    checks = [_timed(f"model {info.name}", lambda name=info.name: _check_model(name)) for info in bundled_models()]
    if not checks:
        checks.append(Check("bundled models", False, "no bundled model found", 0.0))
    checks.append(_timed("MediaPipe Holistic", _check_holistic))
    checks.append(_timed("user data folder", _check_data_dir))
    checks.append(_timed("video", _check_video))
    checks.append(_timed("cameras", _check_cameras, required=False))
    return checks


def main() -> int:
    """Print versions and each check with its time; 0 when every required check passed."""
    for name, version in versions().items():
        print(f"{name:<22} {version}")
    checks = run_checks()
    for c in checks:
        mark = "ok" if c.ok else ("FAILED" if c.required else "warning")
        print(f"[{mark:>7}] {c.name}: {c.detail} ({c.ms:.0f} ms)")
    failed = [c.name for c in checks if c.required and not c.ok]
    print(f"self-test failed: {', '.join(failed)}" if failed else "self-test passed")
    return 1 if failed else 0
