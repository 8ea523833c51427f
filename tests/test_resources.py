"""Bundled models and assets are found from a checkout, a regular install and a PyInstaller bundle."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from signdesk import resources

REPO = Path(__file__).resolve().parents[1]


def test_checkout_finds_the_top_level_folders():
    assert resources.models_dir() == REPO / "models"
    assert resources.assets_dir() == REPO / "assets"
    assert (resources.assets_dir() / "icon.svg").is_file()


def test_pyinstaller_bundle_location_is_used(tmp_path, monkeypatch):
    bundle = tmp_path / "_internal"
    (bundle / "signdesk" / "models").mkdir(parents=True)
    fake_pkg = tmp_path / "nowhere" / "signdesk"
    monkeypatch.setattr(resources, "_PACKAGE_DIR", fake_pkg)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resources.models_dir() == bundle / "signdesk" / "models"


@pytest.mark.slow
def test_a_regular_install_carries_models_and_assets(tmp_path):
    """Build the wheel, install it (not editable) into a folder, and resolve from there."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = wheels.glob("signdesk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tracked = subprocess.run(["git", "ls-files", "models", "assets"], cwd=REPO, capture_output=True, text=True)
    expected = [f"signdesk/{p}" for p in tracked.stdout.split()] or ["signdesk/models/README.md", "signdesk/assets/icon.svg"]
    for name in expected:
        assert name in names, f"{name} missing from the wheel"
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    probe = subprocess.run(
        [sys.executable, "-c", "from signdesk.resources import models_dir, assets_dir; print(models_dir()); print(assets_dir())"],
        capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": ""}, check=True,
    )
    models, assets = probe.stdout.split()
    assert Path(models) == site / "signdesk" / "models" and Path(models).is_dir()
    assert Path(assets) == site / "signdesk" / "assets" and (Path(assets) / "icon.svg").is_file()
