"""Run a bundled (or any) ONNX sign model with ONNX Runtime.

A model is a ``.onnx`` file with a labels file beside it (``<stem>.labels.json`` or
``labels.json``). Bundled models live in ``models/<name>/`` with ``model.onnx``,
``labels.json`` and ``MODEL_CARD.md``. The recognizer checks the model against the feature
layout and the labels before it is used, so a wrong file fails at load time with one clear
line, not with a shape error in the middle of a session.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from signdesk.landmarks import FEATURE_DIM, WINDOW_LENGTH
from signdesk.resources import models_dir

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

#: The ONNX model's tensor names: defined here once; export and the benchmark import them.
INPUT_NAME = "features"  # (batch, WINDOW_LENGTH, FEATURE_DIM) normalized landmarks
LOGITS = "logits"  # (batch, classes)
EMBEDDING = "embedding"  # (batch, hidden) pooled embedding
OUTPUT_NAMES = (LOGITS, EMBEDDING)
MODEL_FILE = "model.onnx"
LABELS_FILE = "labels.json"
CARD_FILE = "MODEL_CARD.md"
#: The default "not sure" line: a top-1 confidence below it is shown as "not sure", not as the
#: sign (the window's setting starts here; ``signdesk evaluate`` reports the precision it gives).
NOT_SURE_THRESHOLD = 0.5

#: Friendly provider names accepted by ``--provider`` and the settings.
PROVIDERS: dict[str, str] = {
    "cpu": "CPUExecutionProvider",
    "cuda": "CUDAExecutionProvider",
    "directml": "DmlExecutionProvider",
    "coreml": "CoreMLExecutionProvider",
}


class ModelError(Exception):
    """A model or labels file is missing, unreadable, or does not fit the feature layout."""


class InferenceError(ModelError):
    """A loaded model failed while classifying (ONNX Runtime raised): the model, not the frame."""


@dataclass(frozen=True)
class Label:
    """One sign the model knows: its own-language name, English gloss, and source id."""

    name: str
    gloss: str = ""
    id: str = ""

    @property
    def display(self) -> str:
        if self.gloss and self.gloss != self.name:
            return f"{self.name} ({self.gloss})"
        return self.name


@dataclass(frozen=True)
class Prediction:
    """Top-k signs with probabilities, best first, and the pooled embedding."""

    top: list[tuple[Label, float]]
    embedding: NDArray

    @property
    def best(self) -> tuple[Label, float]:
        return self.top[0]


@dataclass(frozen=True)
class ModelInfo:
    """A bundled model's files."""

    name: str
    onnx: Path
    labels: Path
    card: Path | None


def _labels_beside(onnx_path: Path) -> Path:
    for candidate in (onnx_path.with_suffix(".labels.json"), onnx_path.parent / LABELS_FILE):
        if candidate.is_file():
            return candidate
    raise ModelError(
        f"{onnx_path}: no labels file beside it "
        f"(expected {onnx_path.with_suffix('.labels.json').name} or {LABELS_FILE})"
    )


def bundled_models(root: Path | None = None) -> list[ModelInfo]:
    """Models shipped with the app, sorted by name."""
    root = models_dir() if root is None else root
    found = []
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            onnx_path = folder / MODEL_FILE
            labels = folder / LABELS_FILE
            if onnx_path.is_file() and labels.is_file():
                card = folder / CARD_FILE
                found.append(ModelInfo(folder.name, onnx_path, labels, card if card.is_file() else None))
    return found


def resolve_model(name_or_path: str | Path | None = None) -> ModelInfo:
    """Find a model by bundled name, ``.onnx`` path or model folder; ``None`` = the default.

    The default is the first bundled model in name order unless ``SIGNDESK_MODEL`` names one.
    """
    import os

    if name_or_path is None:
        name_or_path = os.environ.get("SIGNDESK_MODEL") or None
    models = bundled_models()
    if name_or_path is None:
        if not models:
            raise ModelError(f"no bundled model found in {models_dir()}; pass --model PATH.onnx")
        return models[0]
    text = str(name_or_path)
    for info in models:
        if info.name == text:
            return info
    path = Path(text).expanduser()
    if path.is_dir():
        path = path / MODEL_FILE
    if path.suffix != ".onnx" and not path.exists():
        names = ", ".join(m.name for m in models) or "none"
        raise ModelError(f"{text}: no bundled model of that name (bundled: {names}) and no such .onnx file")
    if not path.is_file():
        raise ModelError(f"{path}: model file not found")
    card = path.parent / CARD_FILE
    return ModelInfo(path.stem if path.name != MODEL_FILE else path.parent.name, path, _labels_beside(path),
                     card if card.is_file() else None)


#: Labels-file keys describing the model beside it: "int8" or "fp32" weights, and whether it
#: averages each window with its mirror image (``signdesk.train.symmetric``).
PRECISION_KEY = "precision"
MIRRORED_KEY = "mirror_averaged"


def load_labels(path: str | Path) -> tuple[list[Label], dict]:
    """Read a labels file: JSON ``{"labels": [{"name", "gloss", "id"} | "name", ...], ...}``.

    A plain JSON list, or a text file with one name per line, is also accepted.
    Returns the labels and the file's other keys (metadata such as the language).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelError(f"{path}: labels file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: cannot read labels file ({exc})") from None
    meta: dict = {}
    if path.suffix == ".json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ModelError(f"{path}: labels file is not valid JSON ({exc.msg}, line {exc.lineno})") from None
        if isinstance(doc, dict):
            entries = doc.get("labels")
            meta = {k: v for k, v in doc.items() if k != "labels"}
        else:
            entries = doc
        if not isinstance(entries, list):
            raise ModelError(f'{path}: labels file has no "labels" list')
    else:
        entries = [line.strip() for line in text.splitlines() if line.strip()]
    labels = []
    for i, entry in enumerate(entries):
        if isinstance(entry, str):
            labels.append(Label(entry))
        elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
            labels.append(Label(entry["name"], str(entry.get("gloss", "")), str(entry.get("id", ""))))
        else:
            raise ModelError(f"{path}: label {i} is not a name or an object with a name")
    if not labels:
        raise ModelError(f"{path}: labels file lists no labels")
    return labels, meta


def _softmax(logits: NDArray) -> NDArray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _providers(requested: Sequence[str]) -> list[str]:
    import onnxruntime as ort

    available = set(ort.get_available_providers())
    chosen = []
    for name in requested:
        full = PROVIDERS.get(name.lower(), name)
        if full in available:
            chosen.append(full)
        else:
            log.warning("ONNX Runtime provider %s is not installed; using the CPU", name)
    if "CPUExecutionProvider" not in chosen:
        chosen.append("CPUExecutionProvider")
    return chosen


def session_options(threads: int | None = None):
    """ONNX Runtime options of every signdesk model: quiet, and ``threads`` pinned if given."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    if threads:
        # Pinned threads must not busy-wait between runs: MediaPipe needs those cores.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


class Recognizer:
    """An ONNX sign model with its labels, ready to classify (50, 736) windows."""

    def __init__(
        self,
        model: str | Path | ModelInfo | None = None,
        providers: Sequence[str] = ("cpu",),
        threads: int | None = None,
    ) -> None:
        import onnxruntime as ort

        info = model if isinstance(model, ModelInfo) else resolve_model(model)
        self.info = info
        self.labels, self.meta = load_labels(info.labels)
        try:
            self._session = ort.InferenceSession(str(info.onnx), session_options(threads),
                                                 providers=_providers(providers))
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf types
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"{info.onnx}: not a valid ONNX model ({first})") from None
        self._check()

    @property
    def name(self) -> str:
        return str(self.meta.get("model", self.info.name))

    @property
    def embedding_dim(self) -> int:
        return self._embedding_dim

    def _check(self) -> None:
        path = self.info.onnx
        inputs = {i.name: i for i in self._session.get_inputs()}
        outputs = {o.name: o for o in self._session.get_outputs()}
        if INPUT_NAME not in inputs:
            raise ModelError(f"{path}: model has no input named {INPUT_NAME!r} (has {', '.join(inputs)})")
        shape = inputs[INPUT_NAME].shape
        if len(shape) != 3:
            raise ModelError(f"{path}: input {INPUT_NAME!r} has shape {shape}, expected (batch, {WINDOW_LENGTH}, {FEATURE_DIM})")
        if shape[2] != FEATURE_DIM:
            raise ModelError(f"{path}: model expects {shape[2]} features per frame, the layout gives {FEATURE_DIM}")
        if isinstance(shape[1], int) and shape[1] != WINDOW_LENGTH:
            raise ModelError(f"{path}: model expects {shape[1]}-frame windows, the app uses {WINDOW_LENGTH}")
        for name, what in ((LOGITS, "classes"), (EMBEDDING, "features")):
            if name not in outputs:
                raise ModelError(f"{path}: model has no output named {name!r} (has {', '.join(outputs)})")
            if len(outputs[name].shape) != 2:  # e.g. a per-frame (sequence) model: another architecture
                raise ModelError(f"{path}: output {name!r} has shape {outputs[name].shape}, expected (batch, {what})"
                                 " — a model of another architecture")
        n_classes = outputs[LOGITS].shape[-1]
        if isinstance(n_classes, int) and n_classes != len(self.labels):
            raise ModelError(
                f"{path}: model has {n_classes} classes but {self.info.labels.name} lists {len(self.labels)} labels"
            )
        dim = outputs[EMBEDDING].shape[-1]
        self._embedding_dim = dim if isinstance(dim, int) else -1

    def run(self, windows: NDArray) -> tuple[NDArray, NDArray]:
        """Raw batch inference: (B, 50, 736) → (probabilities (B, C), embeddings (B, D))."""
        x = np.asarray(windows, dtype=np.float32)
        if x.ndim == 2:
            x = x[None]
        if x.ndim != 3 or x.shape[1:] != (WINDOW_LENGTH, FEATURE_DIM) or not x.shape[0]:  # B=0 aborts ORT
            raise ValueError(f"expected windows of shape (B, {WINDOW_LENGTH}, {FEATURE_DIM}), got {x.shape}")
        if not np.isfinite(x).all():
            raise ValueError("the window holds NaN or infinite values")
        try:
            logits, embedding = self._session.run(list(OUTPUT_NAMES), {INPUT_NAME: x})
        except Exception as exc:  # onnxruntime raises its own Fail/RuntimeException types
            raise InferenceError(f"{self.info.onnx}: the model failed while recognizing ({exc})") from exc
        if logits.shape != (len(x), len(self.labels)) or embedding.ndim != 2 or len(embedding) != len(x):
            # declared shapes can be symbolic; what comes back is checked before anyone indexes it
            raise InferenceError(f"{self.info.onnx}: the model answered shapes {logits.shape} and {embedding.shape}, "
                                 f"expected ({len(x)}, {len(self.labels)}) and ({len(x)}, features)")
        return _softmax(logits), embedding

    def predict(self, window: NDArray, top_k: int = 5) -> Prediction:
        """Classify one window (50, 736) or (1, 50, 736): top-k signs and the embedding."""
        probs, embedding = self.run(window)
        p = probs[0]
        k = max(1, min(top_k, len(self.labels)))
        order = np.argsort(-p)[:k]
        return Prediction([(self.labels[i], float(p[i])) for i in order], embedding[0])


def load_model(model: str | Path | None = None, provider: str = "cpu", threads: int | None = None) -> Recognizer:
    """A bundled model by name, or a ``.onnx`` file with its labels beside it (None: the default)."""
    return Recognizer(model, providers=[provider], threads=threads)
