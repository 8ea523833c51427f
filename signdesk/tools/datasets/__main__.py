"""``python -m signdesk.tools.datasets DATASET_DIR...``: fill the landmark cache ahead of training.

Lives here rather than in :mod:`signdesk.tools.cache` so that the cache knows nothing of the
dataset adapters (the adapters use the cache, not the other way round).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from signdesk.tools.cache import ENV_VAR, MAX_WORKERS, default_cache_dir, load_videos
from signdesk.tools.datasets import DatasetError, open_dataset


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m signdesk.tools.datasets DATASET_DIR...``: fill the cache for every video clip found."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m signdesk.tools.datasets", description=main.__doc__)
    parser.add_argument("datasets", nargs="+", type=Path, help="video dataset folders")
    parser.add_argument("--cache", type=Path, help=f"cache folder (default: ${ENV_VAR} or {default_cache_dir()})")
    parser.add_argument("--workers", type=int, default=MAX_WORKERS, help=f"processes (at most {MAX_WORKERS})")
    args = parser.parse_args(argv)
    paths: list[Path] = []
    for folder in args.datasets:
        try:
            paths.extend(open_dataset(folder).video_paths())
        except DatasetError as exc:
            parser.exit(1, f"error: {exc}\n")
    _, report = load_videos(paths, args.cache, args.workers)
    print(f"{len(paths)} clips: {report.cached} already cached, {report.extracted} extracted, "
          f"{len(report.failed)} failed")
    for path, why in report.failed.items():
        print(f"  failed: {path}: {why}")
    return 1 if report.failed else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
