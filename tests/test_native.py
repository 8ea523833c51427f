"""Process settings for MediaPipe's native code: no GPU context, large blocks returned when freed."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

from conftest import REPO
from signdesk import native

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux (glvnd, glibc) settings")

_PROBE = """
import numpy as np, sys
import signdesk.landmarks as lm
if sys.argv[1] == 'off':
    lm.prepare_process_for_mediapipe = lambda: None
extractor = lm.LandmarkExtractor()
extractor.process(np.zeros((120, 160, 3), np.uint8))
maps = open('/proc/self/maps').read()
print('driver' if ('_dri.so' in maps or 'libLLVM' in maps) else 'none')
"""


def _gl_driver_loaded(settings: str) -> bool:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", native.EGL_VENDORS_ENV)}
    env["EGL_PLATFORM"] = "surfaceless"  # Mesa then opens a display without any X server
    proc = subprocess.run([sys.executable, "-c", _PROBE, settings], capture_output=True, text=True,
                          timeout=300, cwd=REPO, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.split()[-1] == "driver"


@linux_only
@pytest.mark.slow
def test_mediapipe_loads_no_gl_driver():
    if not _gl_driver_loaded("off"):
        pytest.skip("MediaPipe finds no EGL driver on this machine (no Mesa libegl), so there is none to keep out")
    assert not _gl_driver_loaded("on")


@linux_only
def test_the_egl_setting_keeps_what_the_user_set(monkeypatch):
    monkeypatch.delenv(native.EGL_VENDORS_ENV, raising=False)
    native.keep_mediapipe_off_the_gpu()
    assert os.environ[native.EGL_VENDORS_ENV] == os.devnull
    monkeypatch.setenv(native.EGL_VENDORS_ENV, "/usr/share/glvnd/egl_vendor.d/50_mesa.json")
    native.keep_mediapipe_off_the_gpu()
    assert os.environ[native.EGL_VENDORS_ENV].endswith("50_mesa.json")


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt")
def test_the_mmap_threshold_is_set_unless_the_user_set_it(monkeypatch):
    monkeypatch.delenv(native.MMAP_THRESHOLD_ENV, raising=False)
    assert native.return_large_blocks_when_freed() is True
    monkeypatch.setenv(native.MMAP_THRESHOLD_ENV, "65536")
    assert native.return_large_blocks_when_freed() is False


_QUIET_PROBE = """
import os, sys, threading
from signdesk.native import quiet_native_stderr

def native(text):  # what MediaPipe's C++ logger does: write to descriptor 2
    os.write(2, text.encode())

entered, leave_first, left_first = threading.Event(), threading.Event(), threading.Event()

def building_a_graph():
    with quiet_native_stderr(True):
        entered.set()
        leave_first.wait()
    left_first.set()

worker = threading.Thread(target=building_a_graph)
worker.start()
entered.wait()
native("native 1\\n")
print("python while quiet", file=sys.stderr, flush=True)
with quiet_native_stderr(True):  # a second user overlaps the first and outlasts it
    leave_first.set()
    left_first.wait()
    native("native 2\\n")
native("native again\\n")
print("python after", file=sys.stderr, flush=True)
"""


def test_quiet_stderr_hides_native_lines_but_not_python_messages_and_survives_overlap():
    done = subprocess.run([sys.executable, "-c", _QUIET_PROBE], cwd=REPO, capture_output=True, text=True,
                          timeout=60, env={k: v for k, v in os.environ.items() if k != "SIGNDESK_MEDIAPIPE_LOGS"})
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["python while quiet", "native again", "python after"]
