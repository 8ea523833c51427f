"""Few-shot recognition: custom signs ranked with the bundled model's signs in one list.

A new attempt is embedded (:class:`Embedder`) and compared, by cosine similarity, with the
embeddings of each custom sign's takes. The similarity becomes a logit ``scale * s + bias``
beside the bundled model's own log-probabilities, and one softmax over both gives every sign,
bundled or custom, a probability on the same scale, so the app's "not sure" threshold means
the same for both. ``scale`` and ``bias`` are fitted per embedder and model by
``python -m signdesk.tools.fewshot_eval --model M DATASET... --write`` (see ``docs/custom-signs.md``).

A custom sign whose name or gloss is a bundled sign's (its name, gloss or id) is the user's own
version of that sign: its probability is added to that sign's, so it counts as that sign.

Take embeddings are cached per (embedder, model) pair, keyed by the hashes of their files, and
never reused across models.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Sequence

import numpy as np

from signdesk.custom import CustomSign, Take, fold_name
from signdesk.files import file_hash
from signdesk.recognizer import (
    EMBEDDING,
    Label,
    ModelError,
    Prediction,
    Recognizer,
    session_options,
)
from signdesk.resources import models_dir
from signdesk.windowing import window_of

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

EMBEDDER_DIR = "embedder"
EMBEDDER_FILE = "embedder.onnx"
EMBEDDER_META = "embedder.json"


def model_key(recognizer: Recognizer) -> str:
    """The model file's hash (its name when it has no file, as a test fake): embeddings are
    never reused across models."""
    onnx = Path(recognizer.info.onnx)
    return file_hash(onnx)[:16] if onnx.is_file() else f"name-{recognizer.name}"


def unit_rows(x: NDArray) -> NDArray:
    x = np.asarray(x, dtype=np.float32)
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(norm, 1e-8)


class Embedder(Protocol):
    """Windows (B, 50, 736) → unit-length embeddings (B, D); ``key`` names its weights."""

    key: str

    def embed(self, windows: NDArray) -> NDArray: ...


class ModelEmbedder:
    """The classifier's own pooled embedding (used when no shared embedder is installed)."""

    def __init__(self, recognizer: Recognizer) -> None:
        self.recognizer = recognizer
        self.key = "model-" + model_key(recognizer)
        self.name = f"{recognizer.name} (its own embedding)"

    def embed(self, windows: NDArray) -> NDArray:
        return unit_rows(self.recognizer.run(windows)[1])


class OnnxEmbedder:
    """A shared embedding model (``models/embedder/embedder.onnx``) trained for unseen signs."""

    def __init__(self, path: str | Path | None = None, threads: int | None = None) -> None:
        import onnxruntime as ort

        self.path = Path(path) if path is not None else models_dir() / EMBEDDER_DIR / EMBEDDER_FILE
        if not self.path.is_file():
            raise ModelError(f"{self.path}: embedding model not found")
        meta_path = self.path.with_name(EMBEDDER_META)
        try:
            self.meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        except (OSError, ValueError) as exc:
            raise ModelError(f"{meta_path}: cannot read ({exc})") from None
        try:
            self._session = ort.InferenceSession(str(self.path), session_options(threads),
                                                 providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own types
            raise ModelError(f"{self.path}: not a valid ONNX model ({exc})") from None
        self._input = self._session.get_inputs()[0].name
        self.key = "embedder-" + file_hash(self.path)[:16]
        self.name = str(self.meta.get("name", self.path.parent.name))

    def embed(self, windows: NDArray) -> NDArray:
        x = np.asarray(windows, dtype=np.float32)
        if x.ndim == 2:
            x = x[None]
        (out,) = self._session.run([EMBEDDING], {self._input: x})
        return unit_rows(out)

    def calibration(self, model_name: str) -> Calibration | None:
        doc = self.meta.get("calibration", {})
        entry = doc.get(model_name) or doc.get("default")
        return Calibration.from_json(entry) if isinstance(entry, dict) else None


def default_embedder(recognizer: Recognizer, threads: int | None = None) -> Embedder:
    """The shared embedder if bundled, else the model's own embedding."""
    try:
        return OnnxEmbedder(threads=threads)
    except ModelError as exc:
        log.info("no shared embedder (%s); custom signs use %s's own embedding", exc, recognizer.name)
        return ModelEmbedder(recognizer)


@dataclass(frozen=True)
class Calibration:
    """How a cosine similarity becomes a logit beside the model's log-probabilities.

    The defaults serve a model with no fit of its own (one the user opened): the fits of the
    bundled models (``models/embedder/embedder.json``) lie at scale 12, bias -3.6 to -4.8.
    """

    scale: float = 12.0
    bias: float = -4.2
    method: str = "prototype"  # "prototype" (cosine to the mean take) or "nearest" (best take)

    @classmethod
    def from_json(cls, doc: dict) -> Calibration:
        return cls(float(doc.get("scale", cls.scale)), float(doc.get("bias", cls.bias)),
                   str(doc.get("method", cls.method)))

    def to_json(self) -> dict:
        return {"scale": self.scale, "bias": self.bias, "method": self.method}


class EmbeddingCache:
    """Take embeddings on disk, one ``.npz`` per embedder key (take digest → vector)."""

    def __init__(self, root: str | Path | None, key: str) -> None:
        self.path = None if root is None else Path(root) / f"{key}.npz"
        self._vectors: dict[str, NDArray] = {}
        self._dirty = False
        if self.path is not None and self.path.is_file():
            try:
                with np.load(self.path, allow_pickle=False) as data:
                    self._vectors = {k: data[k] for k in data.files}
            except (OSError, ValueError, KeyError, EOFError) as exc:
                log.warning("embedding cache %s unreadable (%s); re-embedding", self.path, exc)

    def get(self, digest: str) -> NDArray | None:
        return self._vectors.get(digest)

    def put(self, digest: str, vector: NDArray) -> None:
        self._vectors[digest] = np.asarray(vector, dtype=np.float32)
        self._dirty = True

    def flush(self) -> None:
        if self.path is None or not self._dirty:
            return
        from signdesk.files import write_npz

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_npz(self.path, **self._vectors)
            self._dirty = False
        except OSError as exc:  # a cache: losing it costs time, never data
            log.warning("could not write the embedding cache %s: %s", self.path, exc)


def embed_takes(embedder: Embedder, takes: Sequence[Take], cache: EmbeddingCache | None = None) -> NDArray:
    """Unit embeddings (N, D) of ``takes``, from the cache where it has them."""
    out: list[NDArray | None] = [cache.get(t.digest) if cache else None for t in takes]
    missing = [i for i, v in enumerate(out) if v is None]
    if missing:
        vectors = embedder.embed(np.stack([window_of(takes[i].landmarks) for i in missing]))
        for i, v in zip(missing, vectors):
            out[i] = v
            if cache:
                cache.put(takes[i].digest, v)
        if cache:
            cache.flush()
    return np.stack(out) if out else np.zeros((0, 0), np.float32)


def _bundled_index(labels: Sequence[Label]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, label in enumerate(labels):
        for text in (label.name, label.gloss, label.id):
            if fold_name(text):
                index.setdefault(fold_name(text), i)
    return index


@dataclass(frozen=True)
class Enrolled:
    """The custom signs as the matcher uses them: one row of take embeddings per take."""

    signs: tuple[CustomSign, ...] = ()
    vectors: NDArray = field(default_factory=lambda: np.zeros((0, 0), np.float32))  # (N takes, D)
    owner: NDArray = field(default_factory=lambda: np.zeros(0, np.int64))  # take → sign index
    target: NDArray = field(default_factory=lambda: np.zeros(0, np.int64))  # sign → output column
    prototypes: NDArray = field(default_factory=lambda: np.zeros((0, 0), np.float32))  # (signs, D) unit means


def custom_logits(embeddings: NDArray, enrolled: Enrolled, calibration: Calibration) -> NDArray:
    """(B, D) unit embeddings → (B, n signs) logits ``scale * similarity + bias``."""
    n = int(enrolled.target.shape[0])
    if n == 0:
        return np.zeros((len(embeddings), 0), np.float32)
    if calibration.method == "nearest":
        sims = embeddings @ enrolled.vectors.T  # (B, N takes)
        scores = np.full((len(embeddings), n), -1.0, np.float32)
        for j in range(n):
            scores[:, j] = sims[:, enrolled.owner == j].max(axis=1)
    else:
        scores = embeddings @ enrolled.prototypes.T
    return calibration.scale * scores + calibration.bias


def combine(probs: NDArray, embeddings: NDArray, enrolled: Enrolled, calibration: Calibration,
            n_labels: int) -> NDArray:
    """One softmax over the model's log-probabilities and the custom signs' logits.

    Returns (B, ``n_labels``) probabilities: the model's columns first, then each custom sign's
    column (``enrolled.target``); a custom sign that is a version of a model sign adds to it.
    """
    logits = np.concatenate([np.log(np.maximum(probs, 1e-12)), custom_logits(embeddings, enrolled, calibration)],
                            axis=1)
    logits -= logits.max(axis=1, keepdims=True)
    joint = np.exp(logits)
    joint /= joint.sum(axis=1, keepdims=True)
    n_bundled = probs.shape[1]
    out = np.zeros((len(joint), n_labels), np.float32)
    out[:, :n_bundled] = joint[:, :n_bundled]
    np.add.at(out.T, enrolled.target, joint[:, n_bundled:].T)
    return out


def enrol(names: Sequence[tuple[str, str]], vectors: NDArray, owner: NDArray,
          model_labels: Sequence[Label]) -> tuple[Enrolled, list[int | None]]:
    """Match custom signs ``(name, gloss)`` to model signs; returns the matcher and, per sign,
    the model sign it is a version of (``None`` for a new sign, which gets its own column)."""
    index = _bundled_index(model_labels)
    target, versions = [], []
    column = len(model_labels)
    for name, gloss in names:
        i = index.get(fold_name(name), index.get(fold_name(gloss)))
        versions.append(i)
        if i is None:
            target.append(column)
            column += 1
        else:
            target.append(i)
    vectors = np.asarray(vectors, np.float32)
    owner = np.asarray(owner, np.int64)
    prototypes = (unit_rows(np.stack([vectors[owner == j].mean(axis=0) for j in range(len(names))]))
                  if len(names) else np.zeros((0, 0), np.float32))
    return Enrolled((), vectors, owner, np.asarray(target, np.int64), prototypes), versions


class CustomRecognizer:
    """A bundled :class:`Recognizer` plus custom signs, with the Recognizer's interface.

    ``labels`` lists the model's signs, then the custom signs that are not a version of one
    of them. Safe to use from a worker thread while :meth:`set_signs` runs on another: the
    enrolled signs are swapped as one object.
    """

    def __init__(
        self,
        recognizer: Recognizer,
        signs: Sequence[CustomSign] = (),
        embedder: Embedder | None = None,
        calibration: Calibration | None = None,
        cache_dir: str | Path | None = None,
    ) -> None:
        self.recognizer = recognizer
        self.embedder = embedder if embedder is not None else default_embedder(recognizer)
        if calibration is None and hasattr(self.embedder, "calibration"):
            calibration = self.embedder.calibration(recognizer.name)
        self.calibration = calibration or Calibration()
        self.cache_dir = cache_dir
        self._model_key = model_key(recognizer)
        self._lock = threading.Lock()
        self._enrolled = Enrolled()
        self._labels: list[Label] = list(recognizer.labels)
        self.set_signs(signs)

    # --- the Recognizer interface ----------------------------------------------------------

    @property
    def info(self):
        return self.recognizer.info

    @property
    def meta(self) -> dict:
        return self.recognizer.meta

    @property
    def name(self) -> str:
        return self.recognizer.name

    @property
    def labels(self) -> list[Label]:
        return self._labels

    @property
    def custom_signs(self) -> tuple[CustomSign, ...]:
        return self._enrolled.signs

    # --- custom signs ----------------------------------------------------------------------

    def cache_key(self) -> str:
        """Embedder and model file hashes: embeddings are never reused across either."""
        return f"{self.embedder.key}-{self._model_key}"

    def set_signs(self, signs: Sequence[CustomSign]) -> None:
        """Enrol ``signs`` (embedding takes not in the cache); takes effect for the next window."""
        signs = tuple(s for s in signs if s.takes)
        cache = EmbeddingCache(self.cache_dir, self.cache_key()) if self.cache_dir is not None else None
        takes = [t for s in signs for t in s.takes]
        vectors = embed_takes(self.embedder, takes, cache) if takes else np.zeros((0, 0), np.float32)
        owner = np.array([j for j, s in enumerate(signs) for _ in s.takes], dtype=np.int64)
        matcher, versions = enrol([(s.name, s.gloss) for s in signs], vectors, owner, self.recognizer.labels)
        enrolled = replace(matcher, signs=signs)
        labels = list(self.recognizer.labels) + [s.label for s, v in zip(signs, versions) if v is None]
        n_bundled = len(self.recognizer.labels)
        with self._lock:
            self._enrolled = enrolled
            self._labels = labels
        log.info("%d custom signs enrolled (%d takes, %d own versions of %s signs)", len(signs), len(takes),
                 int((enrolled.target < n_bundled).sum()), self.recognizer.name)

    # --- recognition -----------------------------------------------------------------------

    def scores(self, windows: NDArray) -> tuple[NDArray, NDArray, list[Label]]:
        """Probabilities over :attr:`labels` (B, L), the embeddings (B, D) and those labels."""
        with self._lock:
            enrolled, labels = self._enrolled, self._labels
        probs, model_embedding = self.recognizer.run(windows)
        if not enrolled.signs:
            return probs, model_embedding, labels
        x = np.asarray(windows, dtype=np.float32)
        emb = self.embedder.embed(x if x.ndim == 3 else x[None])
        return combine(probs, emb, enrolled, self.calibration, len(labels)), emb, labels

    def run(self, windows: NDArray) -> tuple[NDArray, NDArray]:
        probs, emb, _ = self.scores(windows)
        return probs, emb

    def predict(self, window: NDArray, top_k: int = 5) -> Prediction:
        probs, emb, labels = self.scores(window)
        p = probs[0]
        k = max(1, min(top_k, len(labels)))
        order = np.argsort(-p)[:k]
        return Prediction([(labels[i], float(p[i])) for i in order], emb[0])
