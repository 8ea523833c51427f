"""Atomic file writes: a file is either the old one or the complete new one, never half.

Everything signdesk writes (models, labels, landmark caches, extracted features, reports,
screenshots) goes through :func:`atomic_path`, so a full disk or a crash mid-write leaves
the previous file intact. A temporary file is named ``.<target>.<pid>-<random><suffix>``: an
exception removes it at once, and one left by a killed process is found by
:func:`stale_temporaries` (its writer is gone) so stores can tidy it on open.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

#: When this process started using signdesk: a leftover older than that is no write of ours.
STARTED = time.time()
#: An atomic write lasts milliseconds; a temporary untouched this long is no live write's.
STALE_AFTER_S = 60.0
#: ``.<target>.<pid>-<random><suffix>`` (and, before the pid was added, ``.<target>.<random><suffix>``)
_TEMPORARY = re.compile(r"\.(?P<target>.+)\.(?:(?P<pid>\d+)-)?[a-z0-9_]{8}\.[A-Za-z0-9]+")


@contextlib.contextmanager
def atomic_path(path: str | Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary file beside ``path``: renamed onto ``path`` if the block succeeds, else removed."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=suffix, dir=path.parent)
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


def writer_gone(pid: int | None, mtime: float) -> bool:
    """Whether a leftover written by ``pid`` (None: unknown) at ``mtime`` can belong to no live write.

    Its writer is gone if that process no longer runs, or if the file predates this process
    and has not been touched for :data:`STALE_AFTER_S` (an unknown pid, or one reused since).
    """
    if pid is not None and pid != os.getpid() and not pid_alive(pid):
        return True
    return mtime < min(STARTED, time.time() - STALE_AFTER_S)


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs; where that cannot be asked safely, assume it does."""
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it runs, as another user
        return True
    return True


def stale_temporaries(folder: str | Path, target: str | None = None) -> list[Path]:
    """Temporary files of :func:`atomic_path` in ``folder`` (for ``target`` only, if given) whose
    writer is gone: left by a killed process, never read, safe to delete."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if not match or (target is not None and match["target"] != target):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            mtime = entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if writer_gone(int(match["pid"]) if match["pid"] else None, mtime):
            found.append(Path(entry.path))
    return sorted(found)


def remove_stale_temporaries(folder: str | Path, target: str | None = None) -> list[Path]:
    """Delete :func:`stale_temporaries`; returns what was deleted (a file that will not go stays)."""
    removed = []
    for path in stale_temporaries(folder, target):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            logging.getLogger(__name__).warning("could not remove the leftover %s: %s", path, exc)
    return removed


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    """The process umask, read once: reading it means setting it, which races with other threads."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
