"""``signdesk evaluate DATASET_DIR``: measure a model on a folder of labelled clips.

Runs the same ONNX model through :class:`~signdesk.recognizer.Recognizer` on the same
feature path as the app (extractor in stream mode → normalize → to_window), one window at a
time as the app does, and prints top-1 / top-5 / per-class accuracy, the model's latency per
window, and writes a confusion-matrix PNG. Clips the model cannot be judged on are never
dropped silently: a sign the model does not know, a clip that was used to train the model
(listed in its ``training_clips.json``), or a video that could not be read is counted and
reported with the reason. It also reports how far the model's top-1 confidence can be trusted
(:mod:`signdesk.tools.calibration`): ECE, the threshold for 95 % precision, and the precision
at the app's own "not sure" threshold. No torch needed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from signdesk.tools import calibration

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.tools.datasets import ClipRef, Dataset, Example
    from signdesk.recognizer import ModelInfo, Recognizer

TRAINING_CLIPS_FILE = "training_clips.json"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dataset", type=Path, metavar="DATASET_DIR",
                   help="a folder laid out like one in ../shared/data (KArSL mp4s, MP_Data or GISLR .npz)")
    p.add_argument("--model", metavar="NAME_OR_PATH",
                   help="bundled model name or .onnx file (default: the bundled model whose signs cover the dataset's)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    p.add_argument("--confusion", type=Path, metavar="PATH.png",
                   help="where to write the confusion matrix (default: ./confusion-<model>-<dataset>.png)")
    p.add_argument("--split", choices=("train", "test"), help="only clips of the dataset's own split")
    p.add_argument("--signer", action="append", metavar="ID",
                   help="only clips of this signer (as in the file names, e.g. 01 or baki037); repeatable")
    p.add_argument("--include-training", action="store_true",
                   help="also score clips the model was trained on (inflated figures; off by default)")
    p.add_argument("--aspect", type=float, metavar="W/H", default=None,
                   help="robustness check: rescale x as if the clips had been filmed at this width/height "
                        "ratio instead of their own (e.g. 1.778 for 16:9 on square KArSL clips)")
    p.add_argument("--fill", action="append", choices=("iris", "pose-visibility"), default=[],
                   help="cost check: replace real iris points / pose visibility with the fills the keypoint "
                        "adapters use for sources that lack them (repeatable)")
    p.add_argument("--cache", type=Path, metavar="DIR", help="landmark cache folder for video datasets")
    p.add_argument("--workers", type=int, default=2, help="MediaPipe processes for uncached videos (max 2)")
    few = p.add_argument_group("custom signs (few-shot)")
    few.add_argument("--few-shot", type=_ks, metavar="K",
                     help="enrol K clips per sign as custom signs and score the rest, ranked with the model's signs "
                          "(K or a list such as 1,3,5: one report each)")
    few.add_argument("--personal", action="store_true",
                     help="with --few-shot: enrol from the test person's own other clips (default: other people)")
    few.add_argument("--rounds", type=int, default=3, help="with --few-shot: repeated random enrolments (default 3)")
    few.add_argument("--embedder", metavar="PATH|model",
                     help="with --few-shot: an embedder .onnx, or 'model' for the model's own embedding "
                          "(default: the bundled embedder)")


# --- the measurement (shared with training) ---------------------------------------------------


@dataclass
class Report:
    """Accuracy of one model on a set of clips."""

    model: str
    labels: list  # the model's Label objects, in class order
    truth: list[int] = field(default_factory=list)
    ranked: list[list[int]] = field(default_factory=list)  # top-5 class indices per clip
    confidence: list[float] = field(default_factory=list)  # probability of the top-ranked class per clip
    clip_ids: list[str] = field(default_factory=list)
    signers: list[str] = field(default_factory=list)  # who signed each scored clip
    latency_ms: list[float] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # clip id → reason

    @property
    def n(self) -> int:
        return len(self.truth)

    def topk(self, k: int) -> float:
        if not self.n:
            return float("nan")
        return float(np.mean([t in r[:k] for t, r in zip(self.truth, self.ranked)]))

    def per_signer(self) -> dict[str, dict]:
        """Top-1 per person: one person signing differently hides in the overall figure."""
        hits: dict[str, list[bool]] = {}
        for s, t, r in zip(self.signers, self.truth, self.ranked):
            hits.setdefault(s, []).append(r[0] == t)
        return {s: {"n": len(h), "top1": float(np.mean(h))} for s, h in sorted(hits.items())}

    def per_class(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for i, label in enumerate(self.labels):
            hits = [r[0] == t for t, r in zip(self.truth, self.ranked) if t == i]
            if hits:
                out[label.id or label.name] = {"name": label.name, "gloss": label.gloss, "n": len(hits),
                                               "top1": float(np.mean(hits))}
        return out

    def calibration(self) -> dict:
        """ECE, reliability bins, the 95 %-precision threshold and the app threshold's figures.

        Empty figures when the confidences were not kept (a report built by hand).
        """
        if len(self.confidence) != self.n:
            return {"ece": None, "reliability": [], "precision_threshold": None, "at_app_threshold": None}
        hit = [r[0] == t for t, r in zip(self.truth, self.ranked)]
        conf = self.confidence
        t = calibration.precision_threshold(conf, hit)
        precision, coverage = calibration.precision_at(conf, hit, t) if t is not None else (None, 0.0)
        app = app_threshold()
        app_precision, app_coverage = calibration.precision_at(conf, hit, app)
        at_app = {"threshold": app, "precision": app_precision, "coverage": app_coverage}
        return {
            "ece": calibration.expected_calibration_error(conf, hit),
            "reliability": [b.to_json() for b in calibration.reliability(conf, hit)],
            "precision_threshold": {"target": calibration.TARGET_PRECISION, "threshold": t,
                                    "precision": precision, "coverage": coverage},
            "at_app_threshold": at_app,
        }

    def confusion(self) -> NDArray:
        m = np.zeros((len(self.labels), len(self.labels)), dtype=np.int64)
        for t, r in zip(self.truth, self.ranked):
            m[t, r[0]] += 1
        return m

    def to_json(self) -> dict:
        lat = np.asarray(self.latency_ms) if self.latency_ms else np.zeros(1)
        reasons = Counter(_reason_kind(r) for r in self.skipped.values())
        conf = self.confidence if len(self.confidence) == self.n else [None] * self.n
        return {
            "model": self.model,
            "n": self.n,
            "top1": self.topk(1),
            "top5": self.topk(5),
            "per_class": self.per_class(),
            "per_signer": self.per_signer(),
            **self.calibration(),
            "predictions": [{"clip": c, "true": self.labels[t].id or self.labels[t].name,
                             "top5": [self.labels[i].id or self.labels[i].name for i in r], "confidence": p}
                            for c, t, r, p in zip(self.clip_ids, self.truth, self.ranked, conf)],
            "latency_ms": {"median": float(np.median(lat)), "p95": float(np.percentile(lat, 95))},
            "skipped": {"count": len(self.skipped), "by_reason": dict(reasons),
                        "clips": [{"clip": c, "reason": r} for c, r in sorted(self.skipped.items())]},
        }


def app_threshold() -> float:
    """The app's default "not sure" threshold (a result below it is not shown as the sign), so
    that evaluate reports the precision users get."""
    from signdesk.recognizer import NOT_SURE_THRESHOLD

    return NOT_SURE_THRESHOLD


def _reason_kind(reason: str) -> str:
    return reason.split(":")[0]


def training_clip_keys(info: ModelInfo) -> set[str]:
    """Clip keys (``family:clip_id``) a model was trained on, from ``training_clips.json``."""
    path = info.onnx.parent / TRAINING_CLIPS_FILE
    if not path.is_file():
        return set()
    try:
        return set(json.loads(path.read_text(encoding="utf-8"))["clips"])
    except (OSError, ValueError, KeyError, TypeError):
        from signdesk.recognizer import ModelError

        raise ModelError(f"{path}: unreadable list of training clips") from None


def score(
    recognizer: Recognizer,
    examples: Sequence[Example],
    family: str,
    exclude: set[str] = frozenset(),
    aspect: float | None = None,
    fills: Sequence[str] = (),
) -> Report:
    """Run every example through normalize → to_window → recognizer, one window at a time."""
    from signdesk.windowing import window_of

    index = {label.id: i for i, label in enumerate(recognizer.labels)}
    report = Report(recognizer.name, list(recognizer.labels))
    for e in examples:
        if e.ref.label not in index:
            report.skipped[e.ref.clip_id] = f"unknown sign: {e.ref.label} is not one of the model's signs"
            continue
        if f"{family}:{e.ref.clip_id}" in exclude:
            report.skipped[e.ref.clip_id] = "used in training: this clip trained the model"
            continue
        frames = simulate(e.frames, aspect, fills)
        window = window_of(frames)
        t0 = time.perf_counter()
        probs, _ = recognizer.run(window[None])
        report.latency_ms.append((time.perf_counter() - t0) * 1000)
        report.truth.append(index[e.ref.label])
        report.ranked.append([int(i) for i in np.argsort(-probs[0])[:5]])
        report.confidence.append(float(probs[0, report.ranked[-1][0]]))
        report.clip_ids.append(e.ref.clip_id)
        report.signers.append(e.ref.signer)
    return report


def simulate(frames: NDArray, aspect: float | None, fills: Sequence[str]) -> NDArray:
    """Robustness / fill-cost checks on raw landmarks; returns ``frames`` itself if none asked.

    ``aspect``: x as a camera of width/height ``aspect`` would give it for a square source
    frame. ``fills``: real iris points or pose visibility replaced by the keypoint adapters'
    fills (:func:`signdesk.tools.datasets.fill_iris`, :func:`~signdesk.tools.datasets.fill_pose_visibility`).
    """
    if aspect is None and not fills:
        return frames
    from signdesk.tools.datasets import fill_iris, fill_pose_visibility
    from signdesk.landmarks import POSE_ROWS, VIS, part_present

    out = np.array(frames, dtype=np.float32, copy=True)
    if aspect is not None:
        present = np.any(out[..., :3] != 0, axis=-1)
        out[..., 0] = np.where(present, 0.5 + (out[..., 0] - 0.5) / aspect, 0.0)
    if "iris" in fills:
        fill_iris(out)
    if "pose-visibility" in fills:
        vis = fill_pose_visibility(out[:, POSE_ROWS, :2])
        out[:, POSE_ROWS, VIS] = np.where(part_present(out, "pose")[:, None], vis, 0.0)
    return out


# --- choosing the model ---------------------------------------------------------------------


def default_model(labels: Sequence[str]) -> ModelInfo:
    """The bundled model that knows most of ``labels`` (ties: the smaller label set)."""
    from signdesk.recognizer import ModelError, bundled_models, load_labels
    from signdesk.resources import models_dir

    wanted = set(labels)
    best, best_key = None, (0, 0)
    for info in bundled_models():
        ids = {label.id for label in load_labels(info.labels)[0]}
        key = (len(wanted & ids), -len(ids))
        if key[0] and key > best_key:
            best, best_key = info, key
    if best is None:
        raise ModelError(f"no bundled model in {models_dir()} knows any of this dataset's signs; pass --model")
    return best


# --- output -----------------------------------------------------------------------------------


def write_confusion_png(report: Report, path: Path, title: str) -> Path:
    """Rows = true sign, columns = predicted sign (ids + English gloss; Arabic script is not
    shaped by matplotlib). Written atomically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    m = report.confusion()
    used = np.flatnonzero(m.sum(0) + m.sum(1))
    m = m[np.ix_(used, used)]
    names = [_tick(report.labels[i]) for i in used]
    size = max(5.0, 0.22 * len(used) + 2.5)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(m, cmap="Blues")
    ax.set_xticks(range(len(used)), names, rotation=90, fontsize=7)
    ax.set_yticks(range(len(used)), names, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true sign")
    ax.set_title(title, fontsize=9)
    if len(used) <= 30:
        for (r, c), v in np.ndenumerate(m):
            if v:
                ax.text(c, r, str(v), ha="center", va="center", fontsize=7,
                        color="white" if v > m.max() / 2 else "black")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    from signdesk.files import atomic_path

    try:
        with atomic_path(path, ".png") as tmp:
            fig.savefig(tmp, dpi=110)
    finally:
        plt.close(fig)
    return path


def _tick(label) -> str:
    gloss = label.gloss if label.gloss and label.gloss != label.id else ""
    return f"{label.id} {gloss}".strip() if label.id else label.name


def print_report(report: Report, dataset: str, png: str | None) -> None:
    d = report.to_json()
    print(f"model {report.model} on {dataset}: {report.n} clips scored")
    if report.n:
        print(f"top-1 {d['top1'] * 100:.1f}%   top-5 {d['top5'] * 100:.1f}%   "
              f"latency {d['latency_ms']['median']:.2f} ms median / {d['latency_ms']['p95']:.2f} ms p95 per window")
        if d["ece"] is not None:
            print(f"calibration: ECE {d['ece'] * 100:.1f}% (top-1 confidence against accuracy, "
                  f"{calibration.BINS} bins; 0 = a shown confidence is the chance of being right)")
            print(_precision_line(d["precision_threshold"], d["at_app_threshold"]))
        print("per class (top-1):")
        for key, c in sorted(d["per_class"].items(), key=lambda kv: (kv[1]["top1"], kv[0])):
            gloss = f" {c['gloss']}" if c["gloss"] and c["gloss"] != c["name"] else ""
            print(f"  {key:<12} {c['name']}{gloss}: {c['top1'] * 100:5.1f}% of {c['n']}")
        if len(d["per_signer"]) > 1:
            print("per person (top-1):")
            for who, c in sorted(d["per_signer"].items(), key=lambda kv: (kv[1]["top1"], kv[0])):
                print(f"  {who:<28} {c['top1'] * 100:5.1f}% of {c['n']}")
    if report.skipped:
        print(f"skipped {len(report.skipped)} clips (not silently dropped; --json lists each):")
        for reason, n in Counter(report.skipped.values()).most_common():
            print(f"  {n:4d} × {reason}")
    if png:
        print(f"confusion matrix: {png}")


def _precision_line(pt: dict, app: dict | None) -> str:
    target = f"{pt['target'] * 100:.0f}% precision"
    if pt["threshold"] is None:
        line = f"{target}: no confidence threshold reaches it"
    else:
        line = (f"{target}: top-1 confidence >= {pt['threshold']:.3f} keeps {pt['coverage'] * 100:.1f}% of clips "
                f"(precision {pt['precision'] * 100:.1f}%)")
    if app is not None:
        shown = "no clip" if app["precision"] is None else f"precision {app['precision'] * 100:.1f}%"
        line += (f"; app's \"not sure\" threshold {app['threshold']:.2f}: {shown}, "
                 f"keeps {app['coverage'] * 100:.1f}%")
    return line


# --- the subcommand ---------------------------------------------------------------------------


def _ks(text: str) -> list[int]:
    try:
        ks = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected K or a list such as 1,3,5") from None
    if not ks or min(ks) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: K must be at least 1")
    return ks


def select(ds: Dataset, split: str | None, signers: Sequence[str] | None) -> list[ClipRef]:
    """The dataset's clips, filtered by its own split and by signer ids."""
    from signdesk.cli import CLIError

    clips = ds.clips()
    if split:
        clips = [c for c in clips if c.split == split]
        if not clips:
            raise CLIError(f"{ds.root}: no clips in a '{split}' split (this layout has splits: "
                           f"{sorted({str(c.split) for c in ds.clips()})})")
    if signers:
        want = set(signers)
        clips = [c for c in clips if c.signer in want or c.signer.split("-", 1)[-1] in want]
        if not clips:
            raise CLIError(f"{ds.root}: no clips of signer(s) {', '.join(signers)} "
                           f"(signers here: {', '.join(s.split('-', 1)[-1] for s in ds.signers())})")
    return clips


def run(args: argparse.Namespace) -> int:
    from signdesk.cli import CLIError
    from signdesk.tools.datasets import DatasetError, open_dataset
    from signdesk.recognizer import Recognizer, resolve_model

    if args.aspect is not None and not 0.2 <= args.aspect <= 5:
        raise CLIError("--aspect must be a width/height ratio between 0.2 and 5", 2)
    try:
        ds = open_dataset(args.dataset)
        clips = select(ds, args.split, args.signer)
    except DatasetError as exc:
        raise CLIError(str(exc)) from None
    if args.few_shot is not None:
        from signdesk.tools.fewshot_eval import run_fewshot

        return run_fewshot(args, ds, clips)
    info = resolve_model(args.model) if args.model else default_model(sorted({c.label for c in clips}))
    recognizer = Recognizer(info)
    loaded = ds.load(clips, cache_dir=args.cache, workers=args.workers, progress=not args.json)
    exclude = set() if args.include_training else training_clip_keys(info)
    report = score(recognizer, loaded.examples, ds.family, exclude, args.aspect, args.fill)
    for clip_id, why in loaded.skipped.items():
        report.skipped[clip_id] = f"unreadable: {why}"
    png = None
    if report.n:
        path = args.confusion or Path.cwd() / f"confusion-{info.name}-{args.dataset.resolve().name}.png"
        title = f"{info.name} on {args.dataset.resolve().name}: top-1 {report.topk(1) * 100:.1f}% (n={report.n})"
        try:
            png = str(write_confusion_png(report, path, title))
        except ImportError:
            png = None
            print("signdesk: confusion matrix not written (matplotlib is not installed)", file=sys.stderr)
        except OSError as exc:
            raise CLIError(f"{path}: cannot write the confusion matrix ({exc.strerror or exc})") from None
    if args.json:
        doc = report.to_json()
        doc.update({"dataset": str(args.dataset), "layout": ds.layout, "split": args.split,
                    "signers": args.signer, "aspect": args.aspect, "fill": args.fill, "confusion_png": png})
        print(json.dumps(doc, ensure_ascii=False))
    else:
        print_report(report, str(args.dataset), png)
    if not report.n:
        raise CLIError(f"{args.dataset}: no clip could be scored with model {info.name} "
                       f"({len(report.skipped)} skipped)")
    return 0
