"""Start-up loads only what it needs: the app never imports the tooling, training code or torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import KARSL_SAMPLE, REPO, need
from signdesk.cli import SUBCOMMANDS

#: Module prefixes that neither the app nor ``--help`` may load.
FORBIDDEN = ("signdesk.train", "signdesk.tools", "torch", "matplotlib")

#: names of the modules really imported (a placeholder of signdesk.deferred is not)
_PRINT_MODULES = ("import json, sys\nfrom signdesk.deferred import is_placeholder\n"
                  "print(json.dumps(sorted(n for n, m in sys.modules.items() if not is_placeholder(m))))\n")


def _modules_after(code: str) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", code + _PRINT_MODULES], capture_output=True, text=True,
                          timeout=300, cwd=REPO, env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def _loaded(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)]


def test_the_app_start_path_loads_no_tooling():
    """Parse no arguments, import the app and its window, make the QApplication."""
    modules = _modules_after(
        "from signdesk.cli import build_parser\n"
        "args = build_parser([]).parse_args([])\n"
        "assert args.command is None\n"
        "import signdesk.gui.app, signdesk.gui.main_window\n"
        "app = signdesk.gui.app.make_application(headless_ok=True)\n"
    )
    assert "signdesk.gui.main_window" in modules and "PySide6.QtWidgets" in modules
    assert _loaded(modules, FORBIDDEN) == []


def test_help_lists_every_subcommand_without_importing_it():
    code = (
        "import contextlib, io\n"
        "from signdesk.cli import SUBCOMMANDS, build_parser\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        "    build_parser(['--help']).parse_args(['--help'])\n"
        "text = ' '.join(out.getvalue().split())\n"
        "missing = [n for n, (_, h) in SUBCOMMANDS.items() if f'{n} {h}' not in text]\n"
        "assert not missing, (missing, text)\n"
    )
    assert _loaded(_modules_after(code), FORBIDDEN) == []


@pytest.mark.parametrize(("argv", "module"), [
    (["evaluate", "some-folder"], "signdesk.tools.evaluate"),
    (["--model", "train", "bench"], "signdesk.tools.bench"),  # an option's value is not the command
    (["-v", "train", "--list-recipes"], "signdesk.train.cli"),
])
def test_only_the_module_of_the_command_being_run_is_imported(argv, module):
    modules = _modules_after(
        "from signdesk.cli import build_parser\n"
        f"args = build_parser({argv!r}).parse_args({argv!r})\n"
    )
    others = {m for m, _ in SUBCOMMANDS.values()} - {module, "signdesk.cli"}
    assert module in modules
    assert not [m for m in others if m in modules]
    assert _loaded(modules, ("torch", "matplotlib")) == []


@pytest.mark.slow
def test_a_screenshot_run_of_the_real_app_loads_no_tooling(tmp_path: Path):
    """The whole start path on a real clip, up to the window on screen and its screenshot.

    MediaPipe's own package imports matplotlib (``mediapipe.python.solutions.drawing_utils``),
    which signdesk.deferred answers with a placeholder: the real one must not be loaded.
    """
    clip = sorted(need(KARSL_SAMPLE / "01-test-mp4s").glob("*.mp4"))[0]
    shot = tmp_path / "window.png"
    modules = _modules_after(
        "from signdesk.cli import main\n"
        f"assert main(['--source', {str(clip)!r}, '--screenshot', {str(shot)!r}]) == 0\n"
    )
    assert shot.stat().st_size > 1000
    assert "signdesk.gui.main_window" in modules and "mediapipe" in modules
    assert _loaded(modules, FORBIDDEN) == []
