"""Process-wide matters of MediaPipe's native code: memory it need not hold, log lines it prints.

Measured on the app with one Holistic graph (``docs/benchmarks.md``, 2026-12-07): the GPU
context below cost ~56 MB of peak memory and glibc's growing mmap threshold ~20-40 MB; fixing
them leaves the landmarks as they were and costs ~3 % of Holistic's speed. Both are Linux
(glibc) matters; elsewhere nothing is changed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import platform
import sys
import threading
from typing import Iterator, TextIO

#: glvnd's list of EGL vendor files; an empty file means no vendor, so no EGL display
EGL_VENDORS_ENV = "__EGL_VENDOR_LIBRARY_FILENAMES"
#: glibc's ``mallopt`` parameter, and the environment variable a user can set it with instead
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_ENV = "MALLOC_MMAP_THRESHOLD_"
#: blocks this large or larger get their own mapping, returned to the system when freed.
#: Measured (docs/benchmarks.md, 2026-12-07): 128 KiB kept ~10 MB more off the peak than 2 MiB
#: but made Holistic ~8 % slower (fresh pages to fault in for every buffer); 2 MiB costs ~3 %.
MMAP_THRESHOLD_BYTES = 2 * 1024 * 1024


def prepare_process_for_mediapipe() -> None:
    """Apply both settings (idempotent); call before the first Holistic graph is built."""
    if not sys.platform.startswith("linux"):
        return
    keep_mediapipe_off_the_gpu()
    return_large_blocks_when_freed()


def keep_mediapipe_off_the_gpu() -> None:
    """Stop MediaPipe from opening an EGL display it never uses.

    The Linux wheel builds every graph with an optional GPU service: it asks EGL for a
    display, and if it gets one it loads the GL driver, although Holistic's models run on the
    CPU (XNNPACK) either way. With Mesa's software renderer that driver is libLLVM. With
    glvnd's vendor list empty, MediaPipe gets no display and skips the service. signdesk paints
    with Qt's raster engine and never uses EGL. glvnd reads the list at the first EGL call, so
    this works after ``import mediapipe`` too; a value the user set is kept.
    """
    os.environ.setdefault(EGL_VENDORS_ENV, os.devnull)


def return_large_blocks_when_freed() -> bool:
    """Fix glibc's mmap threshold (:data:`MMAP_THRESHOLD_BYTES`); True if it was set here.

    By default glibc raises the threshold each time a large block is freed, so MediaPipe's
    per-frame buffers (pictures and tensors of up to several MB, on a dozen threads) end up
    inside per-thread arenas that keep their pages after use. A fixed threshold gives the
    largest of them their own mappings, returned at once. A user's own ``MALLOC_MMAP_THRESHOLD_``
    wins.
    """
    if MMAP_THRESHOLD_ENV in os.environ or platform.libc_ver()[0] != "glibc":
        return False
    try:
        return bool(ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    except (OSError, AttributeError):
        return False


class _QuietStderr:
    """Descriptor 2 pointed at /dev/null while any thread is inside :func:`quiet_native_stderr`.

    Counted, so that overlapping users (a graph being built while another thread resets one)
    restore the terminal only when the last one leaves. Meanwhile Python's ``sys.stderr`` writes
    to the terminal through a copy of the old descriptor: only the C++ log lines go.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved = -1
        self._python_stderr: TextIO | None = None  # sys.stderr before, while the stand-in replaces it
        self._stand_in: TextIO | None = None

    def enter(self) -> bool:
        with self._lock:
            if self._users == 0:
                try:
                    self._saved = os.dup(2)  # the C++ logger writes to descriptor 2, not sys.stderr
                except OSError:  # no descriptor 2 at all (a windowed bundle without a console)
                    return False
                if sys.stderr is not None:
                    sys.stderr.flush()
                    if _writes_to_fd2(sys.stderr):
                        self._python_stderr = sys.stderr
                        self._stand_in = os.fdopen(os.dup(self._saved), "w", buffering=1,
                                                   encoding=sys.stderr.encoding, errors="backslashreplace")
                        sys.stderr = self._stand_in
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                os.close(devnull)
            self._users += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users:
                return
            _flush_c_stdio()
            os.dup2(self._saved, 2)
            os.close(self._saved)
            if self._stand_in is not None:
                self._stand_in.flush()
                if sys.stderr is self._stand_in:  # unless someone replaced it meanwhile
                    sys.stderr = self._python_stderr
                # Not closed here: a thread may still hold it; its last reference closes it.
            self._python_stderr = self._stand_in = None


def _writes_to_fd2(stream: TextIO) -> bool:
    try:
        return stream.fileno() == 2
    except (AttributeError, OSError, ValueError):  # pytest's capture, a StringIO, a closed stream
        return False


_QUIET = _QuietStderr()


@contextlib.contextmanager
def quiet_native_stderr(enabled: bool) -> Iterator[None]:
    """Silence MediaPipe's C++ start-up log lines (they bypass Python's logging).

    Only wraps graph creation and the first frames; set SIGNDESK_MEDIAPIPE_LOGS=1 to see them.
    Python's own messages (tracebacks, warnings, prints to ``sys.stderr``) still show.
    """
    if not enabled or os.environ.get("SIGNDESK_MEDIAPIPE_LOGS") or not _QUIET.enter():
        yield
        return
    try:
        yield
    finally:
        _QUIET.leave()


def _flush_c_stdio() -> None:
    """Flush C-level stdio buffers so buffered native log text lands in /dev/null, not later."""
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError):  # Windows has no CDLL(None); nothing is buffered there
        pass
