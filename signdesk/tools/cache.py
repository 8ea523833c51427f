"""Landmarks of video clips, extracted once and kept in a git-ignored cache.

Training and ``signdesk evaluate`` both need the (T, 184, 4) landmarks of every clip in a
video dataset. MediaPipe costs ~45 ms a frame here, so each clip is extracted once, by the
same :class:`~signdesk.landmarks.LandmarkExtractor` in stream mode that the app runs (reset
at every clip boundary), and stored under a key made of the file's content hash and
:data:`~signdesk.landmarks.EXTRACTOR_VERSION`: a renamed or copied clip is found again, an
edited clip or a new extractor recipe is extracted afresh.

Where the cache lives, first match wins: ``--cache DIR`` / ``cache_dir=``, the
``SIGNDESK_CACHE`` environment variable, ``<repo>/cache/landmarks`` when running from a
source checkout (``cache/`` is git-ignored), else the user cache folder from platformdirs.
Every entry is written atomically (temp file + rename), so an interrupted run resumes where
it stopped and never leaves half a file.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from signdesk.files import file_hash, write_npz
from signdesk.landmarks import EXTRACTOR_VERSION, N_CHANNELS, N_LANDMARKS

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

ENV_VAR = "SIGNDESK_CACHE"
MAX_WORKERS = 2  # MediaPipe uses more than one thread per process; more workers only thrash here

_REPO = Path(__file__).resolve().parents[2]


class CacheError(RuntimeError):
    """The cache folder cannot be used, or a clip could not be extracted."""


def default_cache_dir() -> Path:
    """The cache folder when none is given: env var, checkout ``cache/``, or user cache."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    if (_REPO / "pyproject.toml").is_file() and (_REPO / ".git").exists():
        return _REPO / "cache" / "landmarks"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("signdesk")) / "landmarks"


@dataclass(frozen=True)
class Clip:
    """Extracted landmarks of one video: raw (T, 184, 4) float32 and the file's frame rate."""

    landmarks: NDArray
    fps: float


class LandmarkCache:
    """Content-addressed store of extracted clips: ``<root>/<EXTRACTOR_VERSION>/<h[:2]>/<h>.npz``."""

    def __init__(self, cache_dir: str | Path | None = None) -> None:
        self.root = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
        self.folder = self.root / EXTRACTOR_VERSION

    def entry(self, digest: str) -> Path:
        return self.folder / digest[:2] / f"{digest}.npz"

    def load(self, digest: str) -> Clip | None:
        """The cached clip, or ``None`` if absent or unreadable (it is then extracted again)."""
        path = self.entry(digest)
        if not path.is_file():
            return None
        try:
            with np.load(path) as z:
                landmarks = z["landmarks"]
                if str(z["extractor_version"]) != EXTRACTOR_VERSION or landmarks.ndim != 3 or \
                        landmarks.shape[1:] != (N_LANDMARKS, N_CHANNELS):
                    return None
                return Clip(landmarks.astype(np.float32), float(z["fps"]))
        except (OSError, KeyError, ValueError, EOFError):
            return None

    def store(self, digest: str, clip: Clip, source: str) -> Path:
        """Write one entry atomically."""
        path = self.entry(digest)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_npz(
                path,
                landmarks=clip.landmarks.astype(np.float32),
                fps=np.float64(clip.fps),
                extractor_version=np.array(EXTRACTOR_VERSION),
                source=np.array(source),
            )
        except OSError as exc:
            raise CacheError(f"{path.parent}: cannot write the landmark cache ({exc.strerror or exc})") from None
        return path


# --- extraction (runs in worker processes) ---------------------------------------------------

_worker_extractor = None


def _init_worker() -> None:
    """One extractor per worker process; one thread for OpenCV so two workers share 2 cores."""
    global _worker_extractor
    import cv2

    cv2.setNumThreads(1)
    from signdesk.landmarks import LandmarkExtractor

    _worker_extractor = LandmarkExtractor(static=False)


def extract_video(path: str | Path, extractor=None) -> Clip:
    """Landmarks of every frame of one video, stream mode, tracking reset at the clip start."""
    from signdesk.capture import VideoFile
    from signdesk.landmarks import LandmarkExtractor

    own = extractor is None
    if own:
        extractor = LandmarkExtractor(static=False)
    try:
        extractor.reset()
        with VideoFile(path) as video:
            frames = [extractor.process(frame.image) for frame in video]
            fps = video.fps
    finally:
        if own:
            extractor.close()
    if not frames:
        raise CacheError(f"{path}: the video has no frames")
    return Clip(np.stack(frames).astype(np.float32), fps)


def _extract_job(path: str) -> tuple[str, Clip | None, str]:
    try:
        return path, extract_video(path, _worker_extractor), ""
    except Exception as exc:  # a bad clip must not stop the others; reported by the caller
        return path, None, f"{type(exc).__name__}: {exc}"


# --- public entry point -----------------------------------------------------------------------


@dataclass
class ExtractionReport:
    """What :func:`load_videos` did: clips found in the cache, extracted now, failed."""

    cached: int = 0
    extracted: int = 0
    failed: dict[str, str] | None = None


def load_videos(
    paths: Sequence[str | Path],
    cache_dir: str | Path | None = None,
    workers: int = MAX_WORKERS,
    progress: bool = True,
) -> tuple[dict[Path, Clip], ExtractionReport]:
    """Landmarks of ``paths``, from the cache or extracted now over a process pool.

    Returns the clips that could be read (by path) and a report; a clip that fails (damaged
    file) is listed in ``report.failed`` with the reason instead of stopping the run.
    """
    cache = LandmarkCache(cache_dir)
    clips: dict[Path, Clip] = {}
    report = ExtractionReport(failed={})
    todo: dict[str, str] = {}  # path -> digest
    for p in map(Path, paths):
        try:
            digest = file_hash(p)
        except OSError as exc:
            report.failed[str(p)] = f"cannot read ({exc.strerror or exc})"
            continue
        clip = cache.load(digest)
        if clip is None:
            todo[str(p)] = digest
        else:
            clips[p] = clip
            report.cached += 1
    if todo:
        from signdesk.capture import SourceError, opencv_available

        if not opencv_available():  # the installers: the worker processes would have no decoder
            raise SourceError(f"{len(todo)} video(s) need their landmarks extracted, which needs OpenCV; the "
                              "installers leave it out: run this from a pip install (pip install signdesk), "
                              "or give landmark files (.npz from signdesk extract)")
        for path, clip, error in _run_pool(list(todo), workers, progress):
            if clip is None:
                report.failed[path] = error
                continue
            cache.store(todo[path], clip, Path(path).name)
            clips[Path(path)] = clip
            report.extracted += 1
    return clips, report


def _run_pool(paths: list[str], workers: int, progress: bool) -> Iterable[tuple[str, Clip | None, str]]:
    from tqdm import tqdm

    import multiprocessing as mp

    workers = max(1, min(workers, MAX_WORKERS, len(paths)))
    bar = tqdm(total=len(paths), desc="extracting landmarks", unit="clip", disable=not progress)
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_init_worker) as pool:
            futures = [pool.submit(_extract_job, p) for p in paths]
            for future in as_completed(futures):
                bar.update(1)
                yield future.result()
    finally:
        bar.close()
