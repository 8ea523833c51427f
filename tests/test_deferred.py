"""matplotlib, imported by MediaPipe for nothing, stays a placeholder until it is really used."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def _run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_mediapipe_imports_without_loading_matplotlib_and_real_use_gets_the_real_one():
    out = _run(
        "import sys\n"
        "from signdesk.deferred import defer_matplotlib, is_placeholder\n"
        "defer_matplotlib()\n"
        "from mediapipe.python.solutions import drawing_utils, holistic\n"
        "print('placeholder' if is_placeholder(sys.modules['matplotlib.pyplot']) else 'real')\n"
        "print(sorted(m for m in sys.modules if m.startswith('matplotlib.')))\n"
        # what `signdesk evaluate` does for its confusion matrix
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\n"
        "print(type(fig).__name__, drawing_utils.plt.subplots is plt.subplots)\n"
    )
    assert out.splitlines() == ["placeholder", "['matplotlib.pyplot']", "Figure True"]


def test_a_submodule_can_be_imported_while_the_placeholder_stands():
    out = _run(
        "from signdesk.deferred import defer_matplotlib\n"
        "defer_matplotlib()\n"
        "from matplotlib.colors import to_hex\n"
        "print(to_hex((1, 0, 0)))\n"
    )
    assert out.strip() == "#ff0000"


def test_where_matplotlib_is_missing_real_use_raises_importerror():
    """As in the bundle, which leaves matplotlib out: MediaPipe still imports, plotting says why not."""
    out = _run(
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.partition('.')[0] == 'matplotlib':\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from signdesk.deferred import defer_matplotlib\n"
        "defer_matplotlib()\n"
        "from mediapipe.python.solutions import drawing_utils\n"
        "try:\n"
        "    drawing_utils.plt.figure\n"
        "except ImportError as exc:\n"
        "    print('ImportError:', exc)\n"
    )
    assert out.startswith("ImportError: matplotlib.pyplot.figure: matplotlib is not installed")
