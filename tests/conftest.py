"""Shared fixtures: paths to the real clips in ../shared/data and an untrained fixture model.

Tests that need ../shared skip with a clear reason when it is absent; in CI it is present.
The fixture model is built from ``signdesk.train.model`` with random weights: it exercises the
ONNX/recognizer/CLI plumbing and is never presented as a trained model.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("SIGNDESK_SHARED_DATA", REPO.parent / "shared" / "data"))
KARSL_SAMPLE = SHARED_DATA / "karsl502-signer01-sample"
KARSL_WALEAD = SHARED_DATA / "karsl502-signs0071-0082-walead"
MPDATA = SHARED_DATA / "mpdata-holistic-multisigner"
GISLR = SHARED_DATA / "gislr-asl-signs-hello-thankyou-21signers"


@pytest.fixture(autouse=True)
def _private_user_data(tmp_path_factory, monkeypatch):
    """Every test gets its own empty user data folder: never the tester's custom signs."""
    monkeypatch.setenv("SIGNDESK_DATA_DIR", str(tmp_path_factory.mktemp("user-data")))


def need(path: Path) -> Path:
    """Skip the calling test, with a reason, when a shared dataset is absent."""
    if not path.exists():
        pytest.skip(f"real data not available: {path} is absent (clone signdesk beside ../shared)")
    return path


@pytest.fixture(scope="session")
def karsl_train_clips() -> list[Path]:
    return sorted(need(KARSL_SAMPLE / "01-train-mp4s").glob("*.mp4"))


@pytest.fixture(scope="session")
def karsl_clip(karsl_train_clips: list[Path]) -> Path:
    """A real KArSL clip (sign 0041, the letter ر) with the signer's right hand up throughout."""
    return next(p for p in karsl_train_clips if "_0041_" in p.name)


FIXTURE_LABELS = [
    {"name": "واحد", "gloss": "one", "id": "0002"},
    {"name": "اثنان", "gloss": "two", "id": "0003"},
    {"name": "hello", "gloss": "hello", "id": "hello"},
    {"name": "thank you", "gloss": "thank you", "id": "thankyou"},
    {"name": "yes", "gloss": "yes", "id": "yes"},
    {"name": "no", "gloss": "no", "id": "no"},
]


@pytest.fixture(scope="session")
def fixture_labels() -> list[dict]:
    """The labels of ``fixture_model``, in class order."""
    return [dict(entry) for entry in FIXTURE_LABELS]


@pytest.fixture(scope="session")
def fixture_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An UNTRAINED model exported from signdesk.train.model (random weights, 6 labels).

    Returns the path of ``model.onnx``; ``labels.json`` lies beside it.
    """
    torch = pytest.importorskip("torch", reason="the fixture model is built with torch (train extra)")
    from signdesk.tools.export import export_onnx, write_labels
    from signdesk.train.model import SignModel

    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("fixture-model")
    model = SignModel(num_classes=len(FIXTURE_LABELS)).eval()
    path = export_onnx(model, folder / "model.onnx")
    write_labels(folder / "labels.json", FIXTURE_LABELS, {"model": "fixture-untrained", "language": "test"})
    torch.save(model.state_dict(), folder / "weights.pt")
    return path


@pytest.fixture(scope="session")
def fixture_torch_model(fixture_model: Path):
    """The torch twin of ``fixture_model`` (same weights), for parity checks."""
    import torch

    from signdesk.train.model import SignModel

    model = SignModel(num_classes=len(FIXTURE_LABELS))
    model.load_state_dict(torch.load(fixture_model.parent / "weights.pt"))
    return model.eval()


def labels_of(path: Path) -> list[str]:
    return [entry["name"] for entry in json.loads(path.read_text(encoding="utf-8"))["labels"]]


@pytest.fixture(scope="session")
def karsl_features(karsl_clip: Path) -> np.ndarray:
    """Raw (T, 184, 4) landmarks of ``karsl_clip``, extracted once per test session."""
    from signdesk.capture import VideoFile
    from signdesk.landmarks import LandmarkExtractor

    with VideoFile(karsl_clip) as video, LandmarkExtractor() as extractor:
        return np.stack([extractor.process(f.image) for f in video])
