"""The ``signdesk`` command.

``signdesk`` alone opens the desktop app. Subcommands run the same headless core:
``recognize``, ``extract`` and ``models`` (here), and ``custom``, ``train``, ``evaluate`` and
``bench`` from their own modules. Each subcommand module exposes ``add_arguments(parser)`` and
``run(args) -> int`` and keeps heavy imports (torch, MediaPipe) inside ``run``; only the
module of the subcommand being run is imported at all, so the app and ``signdesk --help``
start without the tooling.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from signdesk import __version__

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.fewshot import CustomRecognizer
    from signdesk.recognizer import Recognizer

#: subcommand → (module, one-line help); modules provide add_arguments() and run().
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "recognize": ("signdesk.cli", "recognize the signs in a video file or an .npz from extract"),
    "extract": ("signdesk.cli", "extract (T, 184, 4) landmarks of a video file to .npz"),
    "models": ("signdesk.cli", "list the bundled models"),
    "custom": ("signdesk.custom_cli", "add, list, rename, remove, export and import custom signs"),
    "practice": ("signdesk.practice_cli", "score the attempts in a clip as practice of one sign, with feedback"),
    "evaluate": ("signdesk.tools.evaluate", "measure a model's accuracy on a dataset folder"),
    "train": ("signdesk.train.cli", "train a model on dataset folders (needs the 'train' extra)"),
    "bench": ("signdesk.tools.bench", "benchmark each pipeline stage on real clips"),
}


class CLIError(Exception):
    """A user-facing error: printed as one line, exit status 1 (or ``code``)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


# --- recognize -----------------------------------------------------------------------------


def _add_model_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="NAME_OR_PATH", help="bundled model name or .onnx file (labels beside it)")
    p.add_argument(
        "--provider", default="cpu", help="ONNX Runtime provider: cpu, cuda, directml or coreml (default cpu)"
    )


def _add_recognize(p: argparse.ArgumentParser) -> None:
    p.add_argument("video", type=Path, metavar="CLIP",
                   help="video file, or .npz of landmarks from signdesk extract (read without MediaPipe)")
    p.add_argument("--top-k", type=int, default=5, metavar="N", help="candidates per sign (default 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object per sign attempt")
    p.add_argument("--stride", type=int, default=5, metavar="K", help="live inference every K frames (default 5)")
    p.add_argument(
        "--whole-clip", action="store_true", help="treat the whole video as one sign (no hands-up segmentation)"
    )
    p.add_argument("--no-custom", action="store_true", help="rank only the model's signs, not your custom signs")
    _add_model_arguments(p)


def _attempt_record(video: Path, result) -> dict:
    a = result.attempt
    return {
        "video": str(video),
        "start": round(a.start_time, 3),
        "end": round(a.end_time, 3),
        "start_frame": a.start_frame,
        "end_frame": a.end_frame,
        "top": [
            {"name": label.name, "gloss": label.gloss, "id": label.id, "probability": round(p, 4)}
            for label, p in result.prediction.top
        ],
    }


def _candidate_text(c: dict) -> str:
    gloss = f" ({c['gloss']})" if c["gloss"] and c["gloss"] != c["name"] else ""
    return f"{c['name']}{gloss} {c['probability'] * 100:.1f}%"


def _print_attempt(rec: dict) -> None:
    cands = "  ".join(f"{i}. {_candidate_text(c)}" for i, c in enumerate(rec["top"], 1))
    print(f"[{rec['start']:.2f}-{rec['end']:.2f} s] {cands}", flush=True)


def run_recognize(args: argparse.Namespace) -> int:
    import contextlib

    import numpy as np

    from signdesk.capture import open_video
    from signdesk.clips import ClipError, is_npz, read_clip
    from signdesk.landmarks import LandmarkExtractor, normalize
    from signdesk.pipeline import STAGES, AttemptResult, Pipeline
    from signdesk.recognizer import Recognizer
    from signdesk.windowing import Attempt, to_window

    if args.top_k < 1:
        raise CLIError("--top-k must be at least 1", 2)
    recognizer = Recognizer(args.model, providers=[args.provider])
    if not args.no_custom:
        recognizer = _with_custom_signs(recognizer, args.verbose)
    clip = video = None
    if is_npz(args.video):  # landmarks already extracted: no MediaPipe
        try:
            clip = read_clip(args.video)
        except ClipError as exc:
            raise CLIError(str(exc)) from None
    else:
        video = open_video(args.video)
    timings: dict[str, list[float]] = {stage: [] for stage in ("decode", *STAGES, "total")}
    results: list[AttemptResult] = []
    frames: list = []
    with contextlib.ExitStack() as stack:
        extractor = None
        if video is not None:
            stack.enter_context(video)
            extractor = stack.enter_context(LandmarkExtractor())
        pipeline = Pipeline(recognizer, extractor, stride=args.stride, top_k=args.top_k)
        index = 0
        while True:
            t0 = _now()
            if video is not None:
                frame = video.read()
                decode_ms = (_now() - t0) * 1000
                if frame is None:
                    break
                result, attempt = pipeline.process_frame(frame.index, frame.time, frame.image)
                timings["decode"].append(decode_ms)
            else:
                if index >= clip.frames:
                    break
                result, attempt = pipeline.process_landmarks(index, float(clip.times[index]), clip.landmarks[index])
                index += 1
            for stage, ms in result.timings.items():
                timings[stage].append(ms)
            timings["total"].append((_now() - t0) * 1000)
            if args.whole_clip:
                frames.append((result.time, result.raw))
            elif attempt is not None:
                results.append(attempt)
                _emit(args, attempt)
        if args.whole_clip:
            if frames:
                raw = np.stack([f for _, f in frames])
                whole = Attempt(0, len(raw) - 1, frames[0][0], frames[-1][0], normalize(raw), raw)
                t0 = _now()
                pred = recognizer.predict(to_window(whole.frames), args.top_k)
                results.append(AttemptResult(whole, pred, (_now() - t0) * 1000))
                _emit(args, results[-1])
        else:
            last = pipeline.finish()
            if last is not None:
                results.append(last)
                _emit(args, last)
    if not results:
        print(f"{args.video}: no sign attempt found (no hand was raised)", file=sys.stderr)
    if args.verbose:
        _print_timings(timings, recognizer.name, results)
    return 0


def _with_custom_signs(recognizer: Recognizer, verbose: bool) -> Recognizer | CustomRecognizer:
    """``recognizer`` ranking the user's custom signs beside its own, if there are any."""
    from signdesk.custom import CustomStore
    from signdesk.custom_cli import custom_recognizer

    signs = CustomStore().load()  # a damaged entry is logged and skipped
    if not signs:
        return recognizer
    ranked = custom_recognizer(recognizer, signs)
    if verbose:
        print(f"{len(signs)} custom signs ranked with {recognizer.name} "
              f"(embedding: {getattr(ranked.embedder, 'name', ranked.embedder.key)})", file=sys.stderr)
    return ranked


def _emit(args: argparse.Namespace, result) -> None:
    rec = _attempt_record(args.video, result)
    if args.json:
        print(json.dumps(rec, ensure_ascii=False), flush=True)
    else:
        _print_attempt(rec)


def _now() -> float:
    import time

    return time.perf_counter()


def _print_timings(timings: dict[str, list[float]], model: str, results: list) -> None:
    import numpy as np

    n = len(timings["total"])
    err = sys.stderr
    print(f"model {model}; {n} frames", file=err)
    print(f"{'stage':<10} {'median ms':>10} {'p95 ms':>8} {'frames':>7}", file=err)
    for stage, values in timings.items():
        if values:
            v = np.asarray(values)
            print(f"{stage:<10} {np.median(v):>10.2f} {np.percentile(v, 95):>8.2f} {len(v):>7}", file=err)
    finals = [r.inference_ms for r in results]
    if finals:
        print(f"final prediction per attempt: {np.median(finals):.2f} ms median", file=err)
    if n:
        print(f"per-frame cost: {np.median(timings['total']):.1f} ms median "
              f"({1000 / np.median(timings['total']):.1f} frames/s)", file=err)


# --- extract -------------------------------------------------------------------------------


def _add_extract(p: argparse.ArgumentParser) -> None:
    p.add_argument("video", type=Path, help="video file")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.npz", help="output .npz file")


def check_writable(path: Path) -> None:
    """Fail before any work if ``path`` cannot be written (missing or read-only folder)."""
    folder = path.parent
    if path.is_dir():
        raise CLIError(f"{path}: is a folder")
    if not folder.is_dir():
        raise CLIError(f"{path}: cannot write (folder {folder} does not exist)")
    if not os.access(folder, os.W_OK):
        raise CLIError(f"{path}: cannot write (folder {folder} is not writable)")


def write_npz_atomic(path: Path, **arrays) -> None:
    """Write ``arrays`` to ``path`` via a temporary file in the same folder, then rename."""
    from signdesk.files import write_npz

    check_writable(path)
    try:
        write_npz(path, **arrays)
    except OSError as exc:
        raise CLIError(f"{path}: cannot write ({exc.strerror or exc})") from None


def run_extract(args: argparse.Namespace) -> int:
    import numpy as np

    from signdesk.capture import open_video
    from signdesk.landmarks import EXTRACTOR_VERSION, LandmarkExtractor, detection_of

    out = args.output
    if out.suffix != ".npz":
        raise CLIError(f"{out}: the output must be a .npz file", 2)
    check_writable(out)
    video = open_video(args.video)
    landmarks, flags, times = [], [], []
    with video, LandmarkExtractor() as extractor:
        for frame in video:
            raw = extractor.process(frame.image)
            d = detection_of(raw)
            landmarks.append(raw)
            flags.append((d.pose, d.face, d.right_hand, d.left_hand))
            times.append(frame.time)
    arr = np.stack(landmarks)
    det = np.asarray(flags, dtype=bool)
    write_npz_atomic(
        out,
        landmarks=arr,
        detected=det,
        detected_parts=np.array(["pose", "face", "right_hand", "left_hand"]),
        times=np.asarray(times, dtype=np.float64),
        fps=np.float64(video.fps),
        source=np.array(str(args.video)),
        extractor_version=np.array(EXTRACTOR_VERSION),
    )
    hands = det[:, 2] | det[:, 3]
    print(
        f"{out}: {len(arr)} frames, landmarks {arr.shape}; person in {int(det.any(axis=1).sum())}, "
        f"hands in {int(hands.sum())}, face in {int(det[:, 1].sum())} frames"
    )
    return 0


# --- models --------------------------------------------------------------------------------


def _add_models(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")


def run_models(args: argparse.Namespace) -> int:
    from signdesk.recognizer import bundled_models, load_labels
    from signdesk.resources import models_dir

    infos = bundled_models()
    rows = []
    for info in infos:
        labels, meta = load_labels(info.labels)
        rows.append({"name": info.name, "signs": len(labels), "language": meta.get("language", ""),
                     "path": str(info.onnx)})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    elif not rows:
        print(f"no bundled models in {models_dir()}")
    else:
        for r in rows:
            print(f"{r['name']:<20} {r['signs']:>4} signs  {r['language']}")
    return 0


_LOCAL = {
    "recognize": (_add_recognize, run_recognize),
    "extract": (_add_extract, run_extract),
    "models": (_add_models, run_models),
}


# --- entry point -----------------------------------------------------------------------------


def _handlers(name: str):
    if name in _LOCAL:
        return _LOCAL[name]
    module = importlib.import_module(SUBCOMMANDS[name][0])
    return module.add_arguments, module.run


def _command_in(argv: Sequence[str], parser: argparse.ArgumentParser) -> str | None:
    """The subcommand ``argv`` runs: its first word that is not a top-level option or its value."""
    with_value = {o for a in parser._actions if a.nargs != 0 for o in a.option_strings}
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token.startswith("-"):
            skip = "=" not in token and (token in with_value or (
                token.startswith("--") and any(o.startswith(token) for o in with_value)))
        else:
            return token if token in SUBCOMMANDS else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line parser for ``argv`` (default: ``sys.argv[1:]``).

    Only the subcommand that ``argv`` runs gets its arguments, so only its module is imported:
    the app starts without loading the tooling, and ``--help`` lists every subcommand from
    :data:`SUBCOMMANDS` alone.
    """
    parser = argparse.ArgumentParser(
        prog="signdesk",
        description="Recognize sign-language words live from a webcam. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"signdesk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="print per-stage timings and details")
    parser.add_argument("--source", metavar="VIDEO_OR_CAMERA", help="app: open this video file or camera index")
    parser.add_argument("--screenshot", type=Path, metavar="OUT.png",
                        help="app: save a screenshot once the first sign is shown (or the video ended), then exit")
    parser.add_argument("--view", choices=("recognize", "practice", "presenter", "progress", "welcome"),
                        default=None,
                        help="app: open this view (with --screenshot: save it once it shows a result; "
                             "progress: the practice progress page, once the history is read; "
                             "welcome: the first-run welcome dialog, once the camera check settled)")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation without a camera or network (models, MediaPipe, data folder)")
    _add_model_arguments(parser)
    active = _command_in(sys.argv[1:] if argv is None else argv, parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name != active:
            continue
        p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                       help="print per-stage timings and details")
        try:
            add, _run = _handlers(name)
            add(p)
        except ImportError as exc:  # an optional part that is not installed
            raise CLIError(f"signdesk {name} is not available: {exc}") from None
    return parser


def _video_without_opencv() -> object | None:
    """Where OpenCV is missing (the bundles), commands and the self-test go through Qt Multimedia.

    That takes a Qt core application (no window); returns it, or None where OpenCV is there
    (or Qt is not: opening a video then says what is missing).
    """
    from signdesk.capture import opencv_available

    if opencv_available():
        return None
    try:
        from PySide6.QtCore import QCoreApplication

        from signdesk.gui import qt_capture
    except ImportError:
        return None
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    qt_capture.install()
    return app


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser(argv)
    except CLIError as exc:
        print(f"signdesk: error: {exc}", file=sys.stderr)
        return exc.code
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="signdesk: %(message)s")
    from signdesk.capture import SourceError
    from signdesk.landmarks import ExtractorError
    from signdesk.recognizer import ModelError

    try:
        if args.command is None and not args.self_test:
            from signdesk.gui.app import run_app

            return run_app(args)
        app = _video_without_opencv()  # noqa: F841 (kept while the command or the self-test runs)
        if args.command is None:
            from signdesk.selftest import main as self_test

            return self_test()
        _, run = _handlers(args.command)
        return int(run(args) or 0)
    except CLIError as exc:
        print(f"signdesk: error: {exc}", file=sys.stderr)
        return exc.code
    except (SourceError, ModelError, ExtractorError) as exc:
        print(f"signdesk: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("signdesk: interrupted", file=sys.stderr)
        return 130
