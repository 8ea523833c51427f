"""Atomic file writes: a file is either the old one or the complete new one, never half.

Everything signdesk writes (models, labels, landmark caches, extracted features, reports,
screenshots) goes through :func:`atomic_path`, so a full disk or a crash mid-write leaves
the previous file intact and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator


@contextlib.contextmanager
def atomic_path(path: str | Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary file beside ``path``: renamed onto ``path`` if the block succeeds, else removed."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the result is an ordinary file
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_json(path: str | Path, doc: Any) -> Path:
    """``doc`` as UTF-8 JSON (non-ASCII kept readable), atomically."""
    with atomic_path(path, ".json") as tmp:
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return Path(path)


def write_npz(path: str | Path, **arrays: Any) -> Path:
    """Compressed ``.npz`` of ``arrays``, flushed to disk before it replaces ``path``."""
    import numpy as np

    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez_compressed(fh, **arrays)
        fh.flush()
        os.fsync(fh.fileno())
    return Path(path)


def file_hash(path: str | Path) -> str:
    """sha256 of a file's bytes (hex): keys caches to the exact file they were made from."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    """The process umask, read once: reading it means setting it, which races with other threads."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
