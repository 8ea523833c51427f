"""One place that knows where things live: bundled resources (models, assets) and the user's data.

The repository keeps ``models/`` and ``assets/`` at the top level. A wheel maps them into
the package (``signdesk/models``), a PyInstaller bundle unpacks them under ``sys._MEIPASS``,
and a source checkout or editable install finds them beside the package. What the user makes
(custom signs, progress) goes to the platform's user data folder, or ``$SIGNDESK_DATA_DIR``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """Return the path of a bundled resource, e.g. ``resource_path("models")``.

    Looks in the installed package, then a PyInstaller bundle, then the source checkout.
    The first existing candidate wins; if none exists the installed-package path is returned
    so that error messages name a sensible location.
    """
    candidates = [_PACKAGE_DIR.joinpath(*parts)]
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        candidates.append(Path(meipass).joinpath("signdesk", *parts))
        candidates.append(Path(meipass).joinpath(*parts))
    candidates.append(_PACKAGE_DIR.parent.joinpath(*parts))
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


def models_dir() -> Path:
    return resource_path("models")


def assets_dir() -> Path:
    return resource_path("assets")


#: The user data folder (custom signs, progress) unless ``SIGNDESK_DATA_DIR`` names another.
DATA_DIR_ENV = "SIGNDESK_DATA_DIR"


def user_data_dir() -> Path:
    """Where signdesk keeps what the user makes: ``$SIGNDESK_DATA_DIR`` or the platform's folder."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir as platform_data_dir

    return Path(platform_data_dir("signdesk", appauthor=False))
