"""What the keypoint adapters' fills cost, measured on real live-extracted features.

The keypoint sources (MP_Data, GISLR) lack the 8 iris ring points, and GISLR lacks pose
visibility; :mod:`signdesk.tools.datasets` fills them with :func:`~signdesk.tools.datasets.fill_iris` and
:func:`~signdesk.tools.datasets.fill_pose_visibility`. KArSL videos go through the app's own
extractor, so they carry the real values: replacing those with the fills shows what the fills
change (a) in the features, after :func:`~signdesk.landmarks.normalize`, against how much the
real points move from one frame to the next, and (b) in a trained model's accuracy.

Run: ``python -m signdesk.train.fillcost [--model NAME_OR_ONNX] [--data DIR]`` (numpy and
onnxruntime only; the landmark cache must hold the KArSL clips or they are extracted).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from signdesk.tools.datasets import eye_frame, fill_iris, fill_pose_visibility
from signdesk.landmarks import (
    LEFT_IRIS_ROWS,
    POSE_ROWS,
    RIGHT_IRIS_ROWS,
    VIS,
    normalize,
    part_present,
)

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.tools.datasets import Example

IRIS_ROWS = list(RIGHT_IRIS_ROWS) + list(LEFT_IRIS_ROWS)
#: Model variants scored by :func:`model_cost`: name → fills applied to every test clip.
VARIANTS: dict[str, tuple[str, ...]] = {
    "real": (),
    "iris filled": ("iris",),
    "pose visibility filled": ("pose-visibility",),
    "both filled": ("iris", "pose-visibility"),
}


def _iris_steps(real: NDArray, face: NDArray) -> NDArray:
    """|frame-to-frame change| of normalized iris x/y over consecutive frames that both have a face."""
    both = face[1:] & face[:-1]
    return np.abs(real[1:, IRIS_ROWS, :2] - real[:-1, IRIS_ROWS, :2])[both].reshape(-1)


def _mean(parts: list[NDArray]) -> float:
    values = np.concatenate(parts) if parts else np.zeros(0)
    return float(values.mean()) if len(values) else float("nan")


def iris_motion(clips: Sequence[NDArray]) -> float:
    """Mean frame-to-frame motion of the real iris points: the scale the fill's error is read against."""
    steps = []
    for raw in clips:
        raw = np.asarray(raw, dtype=np.float32)
        steps.append(_iris_steps(normalize(raw), part_present(raw, "face")))
    return _mean(steps)


def iris_cost(clips: Sequence[NDArray]) -> dict[str, float]:
    """Filled vs real iris points over every frame with a face.

    ``xy_abs`` / ``z_abs``: mean absolute difference per coordinate in normalized face units
    (1 = the inter-ocular distance); ``eye_widths``: mean image-plane distance between a filled
    and a real point in eye widths; ``motion_xy``: mean absolute frame-to-frame change of the
    real iris points (normalized, consecutive frames both with a face) and
    ``within_clip_std_xy``: their mean per-clip standard deviation (gaze and mesh jitter), for scale.
    """
    xy, z, eye, motion, spread = [], [], [], [], []
    for raw in clips:
        raw = np.asarray(raw, dtype=np.float32)
        face = part_present(raw, "face")
        if not face.any():
            continue
        raw_filled = fill_iris(raw.copy())
        real = normalize(raw)
        d = normalize(raw_filled)[face][:, IRIS_ROWS, :3] - real[face][:, IRIS_ROWS, :3]
        xy.append(np.abs(d[..., :2]).reshape(-1))
        z.append(np.abs(d[..., 2]).reshape(-1))
        for eye_name, rows in (("right", list(RIGHT_IRIS_ROWS)), ("left", list(LEFT_IRIS_ROWS))):
            width = eye_frame(raw[face], eye_name)[3]
            gap = np.linalg.norm(raw_filled[face][:, rows, :2] - raw[face][:, rows, :2], axis=-1)
            eye.append((gap / np.maximum(width, 1e-9)[:, None]).reshape(-1))
        spread.append(real[face][:, IRIS_ROWS, :2].std(axis=0).reshape(-1))
        motion.append(_iris_steps(real, face))
    if not xy:
        raise ValueError("no frame with a detected face among the clips")
    return {
        "clips": len(xy),
        "frames": int(sum(len(a) for a in z) // len(IRIS_ROWS)),
        "xy_abs": float(np.concatenate(xy).mean()),
        "z_abs": float(np.concatenate(z).mean()),
        "eye_widths": float(np.concatenate(eye).mean()),
        "eye_widths_p95": float(np.percentile(np.concatenate(eye), 95)),
        "motion_xy": _mean(motion),
        "within_clip_std_xy": float(np.concatenate(spread).mean()),
    }


def pose_visibility_cost(clips: Sequence[NDArray]) -> dict[str, float]:
    """Filled vs real pose visibility of the six layout joints over frames with a pose.

    ``abs``: mean absolute difference; ``off_by_0_2``: share of joint-frames where they differ
    by more than 0.2; ``real_mean`` / ``filled_mean``: the two means.
    """
    real, filled = [], []
    for raw in clips:
        raw = np.asarray(raw, dtype=np.float32)
        pose = part_present(raw, "pose")
        real.append(raw[pose][:, POSE_ROWS, VIS].reshape(-1))
        filled.append(fill_pose_visibility(raw[pose][:, POSE_ROWS, :2]).reshape(-1))
    r, f = np.concatenate(real), np.concatenate(filled)
    if not len(r):
        raise ValueError("no frame with a detected pose among the clips")
    return {"abs": float(np.abs(f - r).mean()), "off_by_0_2": float(np.mean(np.abs(f - r) > 0.2)),
            "real_mean": float(r.mean()), "filled_mean": float(f.mean())}


def model_cost(recognizer, examples: Sequence[Example], family: str, exclude: set[str]) -> dict[str, dict]:
    """Top-1 / top-5 of ``recognizer`` on the same clips with real features and with each fill;
    ``changed``: clips whose top-1 prediction differs from the one on real features."""
    from signdesk.tools.evaluate import score

    out, base = {}, None
    for name, fills in VARIANTS.items():
        report = score(recognizer, examples, family, exclude, fills=fills)
        top1 = [r[0] for r in report.ranked]
        base = top1 if base is None else base
        out[name] = {"n": report.n, "top1": report.topk(1), "top5": report.topk(5),
                     "changed": int(sum(a != b for a, b in zip(top1, base)))}
    return out


def karsl_test_examples(data: Path, cache: Path | None) -> tuple[str, list[Example]]:
    """The KArSL test-split clips we hold (sample + walead folders), landmarks from the cache."""
    from signdesk.tools.datasets import open_dataset
    from signdesk.train.recipes import KARSL_SAMPLE, KARSL_WALEAD

    examples: list[Example] = []
    family = ""
    for name in (KARSL_SAMPLE, KARSL_WALEAD):
        ds = open_dataset(data / name)
        family = ds.family
        loaded = ds.load([c for c in ds.clips() if c.split == "test"], cache_dir=cache, progress=False)
        examples += loaded.examples
    return family, examples


def measure(model: str, data: Path, cache: Path | None) -> dict:
    """Every figure: feature cost on the KArSL test clips (live-extracted), and model cost."""
    from signdesk.tools.evaluate import training_clip_keys
    from signdesk.recognizer import Recognizer, resolve_model

    family, examples = karsl_test_examples(data, cache)
    # Feature cost on frames the extractor really produced (not the walead time resampling).
    stored = [e.sparse if e.sparse is not None else e.frames for e in examples]
    video = [e.frames for e in examples if e.sparse is None]  # real consecutive frames, for motion
    info = resolve_model(model)
    return {
        "clips": len(examples),
        "iris": {**iris_cost(stored), "motion_xy_consecutive_video_frames": iris_motion(video)},
        "pose_visibility": pose_visibility_cost(stored),
        "model": str(info.onnx),
        "accuracy": model_cost(Recognizer(info), examples, family, training_clip_keys(info)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    from signdesk.train.cli import default_data_root

    p = argparse.ArgumentParser(prog="python -m signdesk.train.fillcost", description=__doc__.split("\n")[0])
    p.add_argument("--model", default="karsl-arabic", help="bundled model name or .onnx path (default karsl-arabic)")
    p.add_argument("--data", type=Path, default=default_data_root(), help="folder holding the KArSL datasets")
    p.add_argument("--cache", type=Path, default=None, help="landmark cache folder")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    doc = measure(args.model, args.data, args.cache)
    if args.json:
        print(json.dumps(doc))
        return 0
    iris, vis = doc["iris"], doc["pose_visibility"]
    print(f"KArSL test-split clips: {doc['clips']} (live-extracted landmarks)")
    print(f"iris fill ({iris['frames']} frames with a face): mean |filled - real| x/y {iris['xy_abs']:.4f}, "
          f"z {iris['z_abs']:.4f} normalized face units (1 = inter-ocular distance); "
          f"{iris['eye_widths']:.3f} eye widths (p95 {iris['eye_widths_p95']:.3f})")
    print(f"  real iris frame-to-frame motion x/y: {iris['motion_xy']:.4f} (all stored frames), "
          f"{iris['motion_xy_consecutive_video_frames']:.4f} (consecutive frames of full-rate videos); "
          f"within-clip spread (std) {iris['within_clip_std_xy']:.4f}")
    print(f"pose visibility fill: mean |filled - real| {vis['abs']:.3f}; differs by > 0.2 on "
          f"{vis['off_by_0_2'] * 100:.1f}% of joint-frames; mean real {vis['real_mean']:.3f}, "
          f"filled {vis['filled_mean']:.3f}")
    print(f"model {doc['model']}:")
    for name, r in doc["accuracy"].items():
        print(f"  {name:<24} top-1 {r['top1'] * 100:5.1f}%  top-5 {r['top5'] * 100:5.1f}%  (n={r['n']}; "
              f"top-1 prediction changed on {r['changed']})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
