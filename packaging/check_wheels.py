"""Can the Windows and macOS bundles get every run-time wheel? Checked from any machine.

    python packaging/check_wheels.py [PLATFORM ...]

For each platform tag (default: win_amd64, macosx_11_0_arm64, macosx_10_15_x86_64,
macosx_11_0_x86_64) pip resolves signdesk's run-time dependencies plus PyInstaller and the
headless OpenCV that packaging/build.py swaps in, for CPython 3.11, with binary wheels only
(``pip install --dry-run --only-binary=:all: --platform TAG``: the same resolution as
``pip download``, without fetching the wheels). Prints the wheel chosen for each package, or
pip's error; exits 1 if any platform fails. Needs PyPI access; builds nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = ("win_amd64", "macosx_11_0_arm64", "macosx_12_0_arm64", "macosx_14_0_arm64", "macosx_10_15_x86_64",
             "macosx_11_0_x86_64", "macosx_13_0_x86_64")


def requirements() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    reqs = [r.split(";")[0].strip() for r in project["dependencies"]]
    reqs += project["optional-dependencies"]["package"]
    return reqs


def resolve(tag: str, reqs: list[str], python: str = "3.11") -> tuple[bool, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
             "--only-binary=:all:", "--platform", tag, "--python-version", python, "--implementation", "cp",
             "--target", str(Path(tmp) / "target"), "--report", str(report), *reqs],
            capture_output=True, text=True)
        if proc.returncode != 0:
            errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
            return False, errors or proc.stderr.strip().splitlines()[-3:]
        chosen = json.loads(report.read_text())["install"]
        return True, sorted(item["download_info"]["url"].rsplit("/", 1)[-1] for item in chosen)


def main(argv: list[str]) -> int:
    reqs = requirements()
    failed = []
    for tag in argv or PLATFORMS:
        ok, lines = resolve(tag, reqs)
        cv_version = next((name.split("-")[1] for name in lines if name.startswith("opencv_contrib_python-")), None)
        cv = ok and cv_version is not None and resolve(tag, [f"opencv-python-headless=={cv_version}"])[0]
        if cv:
            lines.append(f"(+ opencv_python_headless {cv_version}, which build.py swaps in: found)")
        print(f"== {tag}: {'every wheel found' if ok and cv else 'FAILED'}"
              + ("" if cv or not ok else f" (no opencv-python-headless {cv_version} wheel)"))
        for line in lines:
            print(f"   {line}")
        if not (ok and cv):
            failed.append(tag)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
