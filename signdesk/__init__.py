"""signdesk: live sign-language word recognition from a webcam, fully offline.

The names below are the headless API, the same core the app and the ``signdesk`` command run::

    import signdesk

    recognizer = signdesk.load_model("karsl-arabic")
    with signdesk.VideoFile("clip.mp4") as video, signdesk.LandmarkExtractor() as extractor:
        pipeline = signdesk.Pipeline(recognizer, extractor)
        ...

Each name is imported on first use (PEP 562), so ``import signdesk`` alone, which the command
does for its version, loads neither numpy nor MediaPipe nor ONNX Runtime.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any



def _version() -> str:
    """signdesk's one version, written only in ``pyproject.toml``.

    A source checkout (also an editable install) reads ``pyproject.toml`` beside the package, so
    the figure never goes stale; an installed wheel and a PyInstaller bundle (whose spec copies
    signdesk's ``dist-info``) read the installed metadata. ``0+unknown`` if neither is there.
    """
    import os

    source = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "pyproject.toml")
    if os.path.isfile(source):
        import tomllib

        try:
            with open(source, "rb") as f:
                project = tomllib.load(f).get("project", {})
            if project.get("name") == "signdesk" and isinstance(project.get("version"), str):
                return project["version"]
        except (OSError, tomllib.TOMLDecodeError):
            pass
    from importlib import metadata

    try:
        return metadata.version("signdesk")
    except metadata.PackageNotFoundError:
        return "0+unknown"


__version__ = _version()

#: public name → the module that defines it
_API: dict[str, str] = {
    **dict.fromkeys(("VideoFile", "Camera", "Frame", "SourceError"), "signdesk.capture"),
    **dict.fromkeys(
        ("LandmarkExtractor", "ExtractorError", "normalize", "HAND_POINTS", "N_POSE", "N_FACE", "N_LANDMARKS",
         "N_CHANNELS", "FEATURE_DIM", "WINDOW_LENGTH", "PARTS"),
        "signdesk.landmarks",
    ),
    **dict.fromkeys(("Pipeline", "FrameResult", "AttemptResult"), "signdesk.pipeline"),
    **dict.fromkeys(
        ("Recognizer", "load_model", "bundled_models", "Label", "Prediction", "ModelError", "InferenceError"),
        "signdesk.recognizer",
    ),
    **dict.fromkeys(("to_window", "window_of"), "signdesk.windowing"),
}

__all__ = sorted(_API)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from signdesk.capture import Camera, Frame, SourceError, VideoFile
    from signdesk.landmarks import (
        FEATURE_DIM,
        HAND_POINTS,
        N_CHANNELS,
        N_FACE,
        N_LANDMARKS,
        N_POSE,
        PARTS,
        WINDOW_LENGTH,
        ExtractorError,
        LandmarkExtractor,
        normalize,
    )
    from signdesk.pipeline import AttemptResult, FrameResult, Pipeline
    from signdesk.recognizer import (
        InferenceError,
        Label,
        ModelError,
        Prediction,
        Recognizer,
        bundled_models,
        load_model,
    )
    from signdesk.windowing import to_window, window_of


def __getattr__(name: str) -> Any:
    """Import the module behind an API name on first use, then keep the name here."""
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'signdesk' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
