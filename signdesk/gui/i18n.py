"""The interface language: Qt translators (``.qm``), the layout direction, the user's choice.

Strings go through ``translate(context, text)`` (lupdate finds every call of a function named
``translate``), so the same source works with or without a translator installed. Module-level
constants are marked with :func:`QT_TRANSLATE_NOOP` and translated where they are shown,
because they are evaluated before the translator is loaded. The compiled translations live
in ``assets/translations`` (``signdesk_ar.qm``); Qt's own (``qtbase_ar.qm``, the standard
buttons and file dialogs) come from PySide6's translations folder.
"""

from __future__ import annotations

import enum
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from signdesk.resources import assets_dir

log = logging.getLogger(__name__)

#: Set to any value to never show the welcome dialog (tests, kiosks, scripted runs).
NO_WELCOME_ENV = "SIGNDESK_NO_WELCOME"
#: GUI modules whose strings are not marked for translation yet (kept out of lupdate's input):
#: compat.py's only message is printed to the terminal before Qt (or a translator) is up.
NOT_YET_TRANSLATED = ("compat.py",)
#: Qt's own catalogues loaded beside the app's, for standard buttons and dialogs.
QT_CATALOGUES = ("qtbase", "qtmultimedia")
#: The translators installed now (kept alive here; Qt holds only pointers to them).
_installed: list[QTranslator] = []


class Language(enum.StrEnum):
    """Interface languages that ship with the app; the value is the settings / file code."""

    ENGLISH = "en"
    ARABIC = "ar"

    @property
    def native_name(self) -> str:
        """The language's name in itself, as a language picker shows it."""
        return {Language.ENGLISH: "English", Language.ARABIC: "العربية"}[self]

    @property
    def right_to_left(self) -> bool:
        return self is Language.ARABIC


def translate(context: str, text: str) -> str:
    """``text`` in the interface language (itself when there is no translation)."""
    return QCoreApplication.translate(context, text)


def tr(text: str, *args: object) -> str:
    """``text`` in the interface language, with ``%1``, ``%2``… replaced by ``args``.

    The context is empty, as lupdate records it for a bare ``tr("…")``. Never pass a string
    literal or f-string as an argument: lupdate would take it for a disambiguation comment.
    """
    out = QCoreApplication.translate("", text)
    for i in range(len(args), 0, -1):  # %10 before %1
        out = out.replace(f"%{i}", str(args[i - 1]))
    return out


def isolated(text: object) -> str:
    """``text`` as a left-to-right island inside a right-to-left line (file names, "1280×720").

    Without it the bidi algorithm reorders the runs of numbers and Latin names in an Arabic
    interface ("720×1280"). In a left-to-right interface the text is returned as it is.
    """
    if QGuiApplication.layoutDirection() != Qt.LayoutDirection.RightToLeft:
        return str(text)
    return f"\u2066{text}\u2069"


def QT_TR_NOOP(text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks a constant for lupdate (context ""); pass it through :func:`tr` where it is shown."""
    return text


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks a constant for lupdate without translating it (translate it where it is shown)."""
    return text


def system_language(locale: QLocale | None = None) -> Language:
    """The shipped language closest to the system's: Arabic for any Arabic locale, else English."""
    locale = locale if locale is not None else QLocale.system()
    return Language.ARABIC if locale.language() == QLocale.Language.Arabic else Language.ENGLISH


def chosen_language(saved: str) -> Language:
    """The saved choice, or the system's language when nothing (or nonsense) was saved."""
    try:
        return Language(saved)
    except ValueError:
        return system_language()


def translations_dir() -> Path:
    """Where the app's compiled ``signdesk_<lang>.qm`` files are (bundled with the assets)."""
    return assets_dir() / "translations"


def qt_translations_dir() -> Path:
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def install_language(language: Language, app: QApplication | None = None) -> list[QTranslator]:
    """Install the translators of ``language`` (removing earlier ones) and its layout direction.

    Returns the translators installed; they are also kept in this module so that Python does
    not collect them while Qt still uses them. A missing ``.qm`` is logged, and
    the interface stays in English, but the direction still follows the language.
    """
    app = app or QApplication.instance()
    if app is None:
        return []
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    installed: list[QTranslator] = []
    if language is not Language.ENGLISH:
        own = QTranslator(app)
        if own.load(f"signdesk_{language.value}", str(translations_dir())):
            installed.append(own)
        else:
            log.warning("no translation for %s in %s", language.value, translations_dir())
        for catalogue in QT_CATALOGUES:
            qt = QTranslator(app)
            if qt.load(f"{catalogue}_{language.value}", str(qt_translations_dir())):
                installed.append(qt)
    for translator in installed:
        app.installTranslator(translator)
    _installed.extend(installed)
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if language.right_to_left
                           else Qt.LayoutDirection.LeftToRight)
    return installed


def current_language() -> Language:
    """The language installed last by :func:`install_language` (English before any)."""
    app = QApplication.instance()
    return Language.ARABIC if app is not None and app.layoutDirection() == Qt.LayoutDirection.RightToLeft \
        else Language.ENGLISH


def welcome_disabled() -> bool:
    """True when the environment asks never to show the welcome dialog."""
    return bool(os.environ.get(NO_WELCOME_ENV))


def gui_sources() -> list[Path]:
    """The Python files lupdate reads: the GUI package, less :data:`NOT_YET_TRANSLATED`."""
    return sorted(p for p in Path(__file__).parent.glob("*.py") if p.name not in NOT_YET_TRANSLATED)


def qt_tool(name: str) -> str:
    """``pyside6-lupdate`` / ``pyside6-lrelease``: beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found (it comes with PySide6)")
    return found


def update_translations() -> None:
    """Refresh each ``.ts`` from the code (new strings come in unfinished), then compile the ``.qm``.

    ``python -m signdesk.gui.i18n``; translate the unfinished entries (Qt Linguist, or by hand)
    and run it again. tests/gui/test_i18n.py fails while an entry is unfinished or a ``.qm`` is stale.
    """
    files = [str(p) for p in gui_sources()]
    for language in Language:
        if language is Language.ENGLISH:
            continue
        ts = translations_dir() / f"signdesk_{language.value}.ts"
        subprocess.run([qt_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none",
                        "-target-language", language.value, *files, "-ts", str(ts)], check=True)
        subprocess.run([qt_tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


if __name__ == "__main__":
    update_translations()
