"""Show the sign: a sign's reference plays large as a skeleton for the class to copy.

The reference is a custom or pack sign's reference take, else the bundled model's averaged
reference (:func:`signdesk.practice.session.default_reference_source`); never video. Lookups
read files, so they run in the session's background thread and are kept once found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from signdesk.gui.i18n import QT_TR_NOOP, tr
from signdesk.gui.skeleton import SkeletonView
from signdesk.practice.session import sign_key

if TYPE_CHECKING:  # pragma: no cover

    from signdesk.gui.session import RecognitionSession
    from signdesk.recognizer import Label

NO_REFERENCE = QT_TR_NOOP("No reference animation for this sign")
LOADING = "…"


class ReferenceLoader:
    """Finds each sign's reference once, in the background; ``forget`` after a model or signs change."""

    def __init__(self, session: RecognitionSession, owner: QWidget) -> None:
        self.session = session
        self.owner = owner
        self._found: dict[str, Any] = {}
        self._serial = 0

    def cached(self, label: Label) -> tuple[bool, Any]:
        """(known, reference): whether the lookup is done, and its answer (None: the sign has none)."""
        key = sign_key(label)
        return key in self._found, self._found.get(key)

    def forget(self) -> None:
        self._found.clear()
        self._serial += 1

    def lookup(self, label: Label, done: Callable[[Label, Any], None]) -> None:
        """``done(label, reference)`` on the UI thread: at once when known, else after the background lookup."""
        known, ref = self.cached(label)
        if known:
            done(label, ref)
            return
        from signdesk.practice.session import default_reference_source
        from signdesk.practice_cli import reference_source

        recognizer = self.session.recognizer
        source = default_reference_source(getattr(recognizer, "info", ""),
                                          custom=reference_source(list(self.session.custom_signs)))
        serial = self._serial

        def found(ref: Any, error: BaseException | None) -> None:
            if serial != self._serial:
                return  # the model or the signs changed meanwhile
            ref = None if error is not None else ref
            self._found[sign_key(label)] = ref
            done(label, ref)

        self.session.run_in_background(lambda: source(label), found, owner=self.owner)


class ShowPanel(SkeletonView):
    """The reference, as large as the screen allows, on the presenter's background."""

    def __init__(self, background: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.BACKGROUND = background

    def show_reference(self, ref: Any, known: bool = True) -> None:
        """Play ``ref`` ((raw, fps), or None: the placeholder says there is none)."""
        self.set_placeholder(tr(NO_REFERENCE) if known else LOADING)
        if ref is None:
            self.set_take(None)
        else:
            self.set_take(*ref)
