"""Build the desktop bundle and wrap it for the current platform.

    python packaging/build.py            # dist/signdesk/ + an installer/archive in dist/

Linux: dist/signdesk-<version>-linux-x86_64.tar.gz with a .desktop launcher and an install.sh.
Windows: dist/signdesk/ then Inno Setup (iscc packaging/windows/signdesk.iss) makes the setup.exe.
macOS: dist/signdesk.app, then dist/signdesk-<version>.dmg (hdiutil).
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from signdesk import __version__

    return __version__


def pyinstaller() -> None:
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", str(DIST),
         "--workpath", str(ROOT / "build"), str(ROOT / "packaging" / "signdesk.spec")],
        check=True,
    )


def smoke_test() -> None:
    """The bundle must start MediaPipe and find its models without the source tree."""
    exe = DIST / "signdesk" / ("signdesk.exe" if sys.platform == "win32" else "signdesk")
    if exe.exists():
        subprocess.run([str(exe), "models"], check=True, cwd=DIST)


def linux_archive() -> Path:
    target = DIST / f"signdesk-{version()}-linux-{platform.machine()}.tar.gz"
    shutil.copy(ROOT / "packaging" / "linux" / "signdesk.desktop", DIST / "signdesk" / "signdesk.desktop")
    shutil.copy(ROOT / "packaging" / "linux" / "install.sh", DIST / "signdesk" / "install.sh")
    shutil.copy(ROOT / "assets" / "icon.svg", DIST / "signdesk" / "signdesk.svg")
    with tarfile.open(target, "w:gz") as tar:
        tar.add(DIST / "signdesk", arcname="signdesk")
    return target


def mac_dmg() -> Path:
    target = DIST / f"signdesk-{version()}.dmg"
    subprocess.run(["hdiutil", "create", "-volname", "signdesk", "-srcfolder", str(DIST / "signdesk.app"),
                    "-ov", "-format", "UDZO", str(target)], check=True)
    return target


def main() -> int:
    pyinstaller()
    smoke_test()
    if sys.platform.startswith("linux"):
        print(linux_archive())
    elif sys.platform == "darwin":
        print(mac_dmg())
    else:
        print("bundle ready in dist/signdesk; now run: iscc packaging/windows/signdesk.iss")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
