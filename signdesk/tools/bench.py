"""``signdesk bench``: per-stage cost of the real pipeline on real clips.

Runs decode → MediaPipe Holistic → packing → normalization → window → ONNX inference on real
clips (default: KArSL test clips from ``../shared/data``), at a camera-like size (frames resized
to 640×480) and at the clips' native size, and prints a table with median and p95 per frame,
processed frames per second and peak memory. It also measures the model alone (batch 1, fp32
and int8, torch vs ONNX when torch is installed), the delay from the end of a sign (hands
down) to its result in a real-time run paced like a camera with latest-frame-wins hand-over,
and optionally memory over a long soak run.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from signdesk.tools.realtime import (
    hands_down_latency,
    peak_rss_mb,
    signing_stream,
    soak,
    split_counts,
    stats,
    window_run,
    write_video,
)

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.recognizer import Recognizer

DEFAULT_CLIPS = 6
STAGES = ("decode", "convert", "mediapipe", "pack", "normalize", "window", "inference", "end_to_end")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("videos", nargs="*", type=Path, help=f"clips (default: {DEFAULT_CLIPS} real clips from ../shared/data)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--size", default="640x480", help="camera-like frame size, WxH (default 640x480)")
    p.add_argument("--model", metavar="NAME_OR_PATH", help="bundled model name or .onnx file")
    p.add_argument("--stride", type=int, default=5, help="live inference every K frames (default 5)")
    p.add_argument("--threads", type=int, default=1, help="ONNX Runtime threads (default 1: MediaPipe keeps a core)")
    p.add_argument("--max-side", type=int, default=None, help="downscale frames to this size before Holistic")
    p.add_argument("--no-refine-face", action="store_true",
                   help="time Holistic without the refined face mesh (no iris points; the models expect them)")
    p.add_argument("--fp32", type=Path, metavar="ONNX",
                   help="time this fp32 original beside a bundled int8 model (e.g. runs/<run>/model.onnx)")
    p.add_argument("--soak", type=float, default=0, metavar="SECONDS",
                   help="also loop the clips for this long and report memory growth")
    p.add_argument("--skip-latency", action="store_true", help="skip the real-time hands-down latency run")
    p.add_argument("--ui", action="store_true",
                   help="also play the clips (at --size, 30 fps, with pauses) in the real window, in a process "
                        "of its own, and measure it (analysed rate, paint interval, hands down → screen, memory)")
    p.add_argument("--graphs", type=int, default=None,
                   help="Holistic graphs side by side in the window (default: the app's, 2 on 2+ cores)")
    p.add_argument("--splits", type=Path, nargs="?", const=True, default=None, metavar="FOLDER",
                   help="also count sign attempts split in two by the live path, with 1 graph and with the app's, "
                        "over every clip of a KArSL folder (default: ../shared/data/karsl502-signer01-sample)")


def default_clips_root() -> Path:
    """``../shared/data`` beside the checkout, or ``$SIGNDESK_SHARED_DATA``."""
    return Path(os.environ.get("SIGNDESK_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))


def default_clips(n: int = DEFAULT_CLIPS) -> list[Path]:
    from signdesk.cli import CLIError

    folder = default_clips_root() / "karsl502-signer01-sample" / "01-test-mp4s"
    clips = sorted(folder.glob("*.mp4"))
    if not clips:
        raise CLIError(f"no clips given and none found in {folder}; pass video files")
    step = max(1, len(clips) // n)
    return clips[::step][:n]


def _parse_size(text: str) -> tuple[int, int]:
    from signdesk.cli import CLIError

    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise CLIError(f"--size {text}: expected WxH, e.g. 640x480", 2) from None
    if w < 32 or h < 32:
        raise CLIError(f"--size {text}: too small", 2)
    return w, h


def load_frames(paths: list[Path], size: tuple[int, int] | None) -> tuple[list[list[NDArray]], list[float]]:
    """Decode every clip (resized to ``size`` when given); returns the frames and decode ms per frame.

    Where OpenCV is missing (the installers), clips are read through the app's Qt Multimedia
    sources, which decode ahead in Qt's thread (the "decode" figure is then the hand-over only),
    and resized to the nearest pixels.
    """
    from signdesk.capture import open_video
    from signdesk.landmarks import resize

    clips, decode_ms = [], []
    for path in paths:
        frames = []
        with open_video(path) as video:
            while True:
                t0 = time.perf_counter()
                frame = video.read()
                if frame is None:
                    break
                image = frame.image
                if size is not None and (image.shape[1], image.shape[0]) != size:
                    image = resize(image, size, linear=True)
                decode_ms.append((time.perf_counter() - t0) * 1000)
                frames.append(image)
        clips.append(frames)
    return clips, decode_ms


@dataclass
class PipelineRun:
    label: str
    size: str
    timings: dict[str, list[float]] = field(default_factory=dict)
    frames: int = 0
    wall_s: float = 0.0
    landmarks: list[NDArray] = field(default_factory=list)  # per clip, raw (T, 184, 4)

    def row(self, stage: str) -> dict[str, float] | None:
        values = self.timings.get(stage)
        return stats(values) if values else None

    @property
    def fps(self) -> float:
        return self.frames / self.wall_s if self.wall_s else 0.0


def run_pipeline(label: str, clips: list[list[NDArray]], decode_ms: list[float], recognizer: Recognizer,
                 stride: int, extractor_options: dict) -> PipelineRun:
    """Every frame of every clip through the real pipeline; per-stage timings."""
    from signdesk.landmarks import LandmarkExtractor
    from signdesk.pipeline import Pipeline

    h, w = clips[0][0].shape[:2]
    run = PipelineRun(label, f"{w}x{h}", {stage: [] for stage in STAGES})
    run.timings["decode"] = list(decode_ms)
    with LandmarkExtractor(**extractor_options) as extractor:
        pipeline = Pipeline(recognizer, extractor, stride=stride)
        extractor.process(clips[0][0])  # warm-up: graph start and first-frame allocation
        pipeline.reset()
        start = time.perf_counter()
        for frames in clips:
            pipeline.reset()
            raws = []
            for i, image in enumerate(frames):
                t0 = time.perf_counter()
                result, _ = pipeline.process_frame(i, i / 30, image)
                run.timings["end_to_end"].append((time.perf_counter() - t0) * 1000)
                for stage, ms in extractor.last_timings.items():
                    run.timings[stage].append(ms)
                for stage in ("normalize", "window", "inference"):
                    if stage in result.timings:
                        run.timings[stage].append(result.timings[stage])
                run.frames += 1
                raws.append(result.raw)
            run.landmarks.append(np.stack(raws))
            pipeline.finish()
        run.wall_s = time.perf_counter() - start
    return run


def model_latency(session_path: Path, windows: NDArray, threads: int, runs: int = 200) -> dict[str, float]:
    """Median/p95 ms of one batch-1 window through an ONNX file."""
    import onnxruntime as ort

    from signdesk.recognizer import INPUT_NAME

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(str(session_path), options, providers=["CPUExecutionProvider"])
    times = []
    for i in range(runs + 10):
        x = windows[i % len(windows)][None]
        t0 = time.perf_counter()
        session.run(None, {INPUT_NAME: x})
        if i >= 10:
            times.append((time.perf_counter() - t0) * 1000)
    return stats(times)


def other_variant(recognizer: Recognizer, fp32_path: Path | None, workdir: Path) -> tuple[str, Path | None, str]:
    """The variant to time beside the shipped model: (precision, path or None, how it was got).

    A shipped fp32 model is quantized now (as ``signdesk train`` does); a shipped int8 model's
    fp32 original is not bundled, so it is timed only when ``--fp32`` names it.
    """
    from signdesk.tools.quantize import quantize_int8
    from signdesk.recognizer import PRECISION_KEY

    if recognizer.meta.get(PRECISION_KEY, "fp32") == "int8":
        if fp32_path is None:
            return "fp32", None, "the bundled model is int8; pass --fp32 runs/<run>/model.onnx to time its original"
        return "fp32", fp32_path, f"from {fp32_path}"
    try:
        return "int8", quantize_int8(recognizer.info.onnx, workdir / "model.int8.onnx"), "quantized now"
    except Exception as exc:  # the quantizer raises many kinds; the bench reports and goes on
        return "int8", None, f"quantization failed ({exc})"


def torch_latency(num_classes: int, windows: NDArray, threads: int, mirrored: bool,
                  runs: int = 100) -> dict[str, float] | None:
    """The same architecture in PyTorch (weights do not change the cost), or None without torch.

    ``mirrored``: the bundled models average each window with its mirror image (one batch of 2).
    """
    try:
        import torch
    except ImportError:
        return None
    from signdesk.train.model import SignModel

    torch.set_num_threads(threads)
    model = SignModel(num_classes).eval()
    if mirrored:
        from signdesk.train.symmetric import MirrorAveraged

        model = MirrorAveraged(model).eval()
    times = []
    with torch.inference_mode():
        for i in range(runs + 5):
            x = torch.from_numpy(windows[i % len(windows)][None])
            t0 = time.perf_counter()
            model(x)
            if i >= 5:
                times.append((time.perf_counter() - t0) * 1000)
    return stats(times)


def run(args: argparse.Namespace) -> int:
    from signdesk.cli import CLIError
    from signdesk.recognizer import MIRRORED_KEY, PRECISION_KEY, Recognizer
    from signdesk.windowing import window_of

    size = _parse_size(args.size)
    if args.stride < 1:
        raise CLIError("--stride must be at least 1", 2)
    paths = list(args.videos) or default_clips()
    recognizer = Recognizer(args.model, threads=args.threads)
    report: dict = {"model": recognizer.name, "clips": [str(p) for p in paths], "stride": args.stride,
                    "onnx_threads": args.threads, "max_side": args.max_side,
                    "refine_face": not args.no_refine_face, "machine": _machine()}

    runs = []
    camera_clips, camera_decode = load_frames(paths, size)
    options = {"max_side": args.max_side, "refine_face": not args.no_refine_face}
    runs.append(run_pipeline("camera size", camera_clips, camera_decode, recognizer, args.stride, options))
    native_clips, native_decode = load_frames(paths, None)
    runs.append(run_pipeline("native size", native_clips, native_decode, recognizer, args.stride, options))
    pipeline_rss = peak_rss_mb()  # before the model-only measurements load torch or the quantizer

    windows = np.stack([window_of(raw) for raw in runs[1].landmarks[:4]])
    precision = recognizer.meta.get(PRECISION_KEY, "fp32")
    variants = {precision: model_latency(recognizer.info.onnx, windows, args.threads)}
    with tempfile.TemporaryDirectory() as tmp:
        other, other_path, other_how = other_variant(recognizer, args.fp32, Path(tmp))
        variants[other] = model_latency(other_path, windows, args.threads) if other_path else None
    torch_stats = torch_latency(len(recognizer.labels), windows, args.threads,
                                mirrored=bool(recognizer.meta.get(MIRRORED_KEY)))
    latency = None if args.skip_latency else hands_down_latency(camera_clips, recognizer, args.stride,
                                                                 extractor_options=options)
    soak_stats = soak(camera_clips, recognizer, args.stride, args.soak, options) if args.soak > 0 else None
    ui = None
    if args.ui:
        with tempfile.TemporaryDirectory() as tmp:
            video = write_video(signing_stream(camera_clips)[0], Path(tmp) / "signing.avi")
            ui = window_run(video, args.model, args.stride, args.threads, args.graphs)
    splits = None
    if args.splits is not None:
        from signdesk.gui.analysis import default_graphs

        folder = default_clips_root() / "karsl502-signer01-sample" if args.splits is True else args.splits
        clips = sorted(folder.rglob("*.mp4"))
        if not clips:
            raise CLIError(f"--splits {folder}: no .mp4 clips found")
        graphs = args.graphs or default_graphs()
        splits = [split_counts(clips, recognizer, g) for g in sorted({1, graphs})]

    main_run = runs[0]
    holistic_ms = [a + b + c for a, b, c in zip(main_run.timings["convert"], main_run.timings["mediapipe"],
                                                 main_run.timings["pack"])]
    frame_median = float(np.median(main_run.timings["end_to_end"]))
    report.update({
        "fps_end_to_end": main_run.fps,
        "frame_ms_median": frame_median,
        "holistic_ms_median": float(np.median(holistic_ms)),
        "mediapipe_ms_median": float(np.median(main_run.timings["mediapipe"])),
        "frame_over_holistic": frame_median / float(np.median(main_run.timings["mediapipe"])),
        "onnx_ms_median": variants[precision]["median"],
        "onnx_precision": precision,
        "onnx_fp32_ms_median": variants["fp32"]["median"] if variants["fp32"] else None,
        "onnx_int8_ms_median": variants["int8"]["median"] if variants["int8"] else None,
        "other_variant": other_how,
        "torch_ms_median": torch_stats["median"] if torch_stats else None,
        "hands_down_to_result_ms_median": latency["median"] if latency else None,
        "serial_fps": main_run.fps,
        "ui_fps": ui["fps_analysed"] if ui else None,
        "ui_ratio": ui["fps_analysed"] / main_run.fps if ui and main_run.fps else None,
        "paint_interval_p95_ms": ui["paint_interval_p95_ms"] if ui else None,
        "hands_down_to_screen_ms_median": ui["hands_down_to_screen_ms_median"] if ui else None,
        "peak_rss_mb": ui["peak_rss_mb"] if ui and ui.get("peak_rss_mb") else pipeline_rss,
        "pipeline_peak_rss_mb": pipeline_rss,
        "splits": splits,
        "peak_rss_with_torch_mb": peak_rss_mb(),
        "runs": {r.label: {"size": r.size, "frames": r.frames, "fps": r.fps,
                           "stages": {s: r.row(s) for s in STAGES if r.row(s)}} for r in runs},
        "model_latency": {"onnx_fp32": variants["fp32"], "onnx_int8": variants["int8"], "torch": torch_stats},
        "hands_down_latency": latency,
        "soak": soak_stats,
        "ui": ui,
    })
    if args.json:
        print(json.dumps(report))
    else:
        _print_report(report, runs)
    return 0


def _machine() -> dict[str, str | int]:
    import platform

    import onnxruntime

    return {"system": platform.platform(), "cpu": platform.processor() or platform.machine(),
            "cores": os.cpu_count() or 0, "python": platform.python_version(), "onnxruntime": onnxruntime.__version__}


def _print_report(report: dict, runs: list[PipelineRun]) -> None:
    from signdesk.landmarks import WINDOW_LENGTH

    print(f"model {report['model']}, {len(report['clips'])} clips, inference every {report['stride']} frames, "
          f"ONNX threads {report['onnx_threads']}, Holistic input max side {report['max_side'] or 'full'}")
    for r in runs:
        print(f"\n{r.label} ({r.size}): {r.frames} frames, {r.fps:.1f} processed frames/s")
        print(f"  {'stage':<11} {'median ms':>10} {'p95 ms':>8} {'count':>6}")
        for stage in STAGES:
            row = r.row(stage)
            if row:
                print(f"  {stage:<11} {row['median']:>10.2f} {row['p95']:>8.2f} {row['n']:>6}")
    ml = report["model_latency"]
    print(f"\nmodel alone, one {WINDOW_LENGTH}-frame window, batch 1 (the app runs the {report['onnx_precision']} model):")
    for name in ("onnx_fp32", "onnx_int8", "torch"):
        row = ml[name]
        shipped = " (shipped)" if name == f"onnx_{report['onnx_precision']}" else ""
        if row:
            print(f"  {name:<11} {row['median']:>10.2f} {row['p95']:>8.2f} ms (median, p95){shipped}")
        else:
            why = "torch not installed" if name == "torch" else report["other_variant"]
            print(f"  {name:<11} not measured ({why})")
    print(f"\nframe time / MediaPipe time: {report['frame_over_holistic']:.3f}")
    lat = report["hands_down_latency"]
    if lat:
        confirmed = lat.get("confirmed_median")
        print(f"hands down → result (real-time run at 30 fps): {lat['median']:.0f} ms median, "
              f"{lat['p95']:.0f} ms p95 over {lat['results']} signs"
              + (f" (confirmed by the end rule after {confirmed:.0f} ms)" if confirmed is not None else ""))
    if report["soak"]:
        s = report["soak"]
        print(f"soak {s['seconds']:.0f} s, {s['frames']} frames: RSS {s['rss_start_mb']:.0f} → {s['rss_end_mb']:.0f} MB "
              f"(max {s['rss_max_mb']:.0f}, growth {s['growth_mb']:+.1f} MB)")
    if report["ui"]:
        u = report["ui"]
        paint = u["paint_interval_p95_ms"]
        print(f"real window ({u['holistic_graphs']} Holistic graph(s)), {report['runs']['camera size']['size']} video "
              f"at 30 fps: {u['fps_analysed']:.1f} frames analysed/s = {report['ui_ratio']:.2f} × the serial "
              f"{report['serial_fps']:.1f} ({u['frames_analysed']} analysed, {u['frames_skipped']} skipped); "
              f"paint interval p95 {paint:.0f} ms; capture → result {u['capture_to_result_ms_median']:.0f} ms median; "
              "hands down → result on screen "
              + (f"{u['hands_down_to_screen_ms_median']:.0f} ms median over {u['attempts_shown']} signs"
                 if u["hands_down_to_screen_ms_median"] is not None else "not measured (no sign shown)")
              + f"; peak RSS of the app {u['peak_rss_mb']:.0f} MB")
    for row in report["splits"] or []:
        print(f"live path with {row['graphs']} Holistic graph(s) over {row['clips']} one-sign clips: "
              f"{row['split']} split into several attempts, {row['no_attempt']} without one, "
              f"top-1 of the longest attempt {row['top1'] * 100:.1f} %")
    print(f"peak RSS of the headless pipeline: {report['pipeline_peak_rss_mb']:.0f} MB "
          f"({report['peak_rss_with_torch_mb']:.0f} MB after the torch/int8 comparisons)")
