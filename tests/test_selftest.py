"""``signdesk --self-test``: every check named, exit 1 naming the failure, and no network needed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from signdesk.recognizer import bundled_models
from signdesk.resources import DATA_DIR_ENV, user_data_dir
from signdesk.selftest import run_checks


def _self_test(env_extra: dict[str, str], prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_extra}
    return subprocess.run([*(prefix or []), sys.executable, "-m", "signdesk", "--self-test"],
                          capture_output=True, text=True, timeout=300, env=env)


def test_self_test_passes_and_names_every_check(tmp_path):
    proc = _self_test({DATA_DIR_ENV: str(tmp_path / "data")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    for info in bundled_models():
        assert f"[     ok] model {info.name}:" in out
    for name in ("MediaPipe Holistic", "user data folder", "cameras"):
        assert f"] {name}:" in out
    assert "signdesk " in out and "mediapipe" in out and out.strip().endswith("self-test passed")
    import signdesk

    lines = dict(line.split(None, 1) for line in out.splitlines()[:10] if line and not line.startswith("["))
    assert lines["signdesk"] == signdesk.__version__  # the one version, from pyproject.toml
    assert lines["installation"].startswith("Python package, ")  # "bundle, <folder>" in the installers
    assert lines["opencv"] != "not installed"
    assert (tmp_path / "data").is_dir() and not list((tmp_path / "data").iterdir()), "the probe file is removed"


def test_an_unwritable_data_folder_fails_the_self_test_by_name(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    proc = _self_test({DATA_DIR_ENV: str(blocker / "data")})
    assert proc.returncode == 1
    assert "[ FAILED] user data folder" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "self-test failed: user data folder"


def test_the_data_folder_can_be_moved(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "portable"))
    assert user_data_dir() == tmp_path / "portable"
    monkeypatch.delenv(DATA_DIR_ENV)
    assert user_data_dir().name == "signdesk"


def test_no_camera_is_a_warning_not_a_failure():
    cameras = next(c for c in run_checks() if c.name == "cameras")
    assert cameras.required is False


@pytest.mark.skipif(shutil.which("unshare") is None or os.geteuid() != 0,
                    reason="needs root and unshare to run without any network")
def test_self_test_runs_with_no_network_at_all(tmp_path):
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -n is not permitted here: {probe.stderr.decode().strip()}")
    proc = _self_test({DATA_DIR_ENV: str(tmp_path / "data")}, prefix=["unshare", "-n"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("self-test passed")
