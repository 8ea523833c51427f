"""The presenter's activities, the word it recognized, and the lists of signs a class steps through.

Qt-free: the activities, the recognized word and the teacher's lists of signs (every sign, the
model's, one's own, each imported pack, each category) are plain data, so the presenter view
only shows them and they can be tested without a screen.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from signdesk.custom import fold_name
from signdesk.gui.i18n import QT_TR_NOOP, tr
from signdesk.gui.states import PRESENTER_IDLE, PRESENTER_NOT_SURE, QUIZ_HIDDEN, category_text
from signdesk.practice.session import sign_key

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.custom import CustomSign
    from signdesk.recognizer import Label


class Activity(enum.StrEnum):
    """The presenter's activities; the value is what ``SIGNDESK_PRESENTER`` and logs name it by."""

    LIVE = "live"  # the recognized word, huge, with a transcript
    QUIZ = "quiz"  # the same, but each answer stays hidden until revealed
    SHOW = "show"  # a sign's reference animation, large, for the class to copy
    PRACTICE = "practice"  # a sign to make; whoever signs gets the verdict

    @property
    def title(self) -> str:
        return tr(_TITLES[self])

    @property
    def key(self) -> str:
        """The digit that switches to this activity."""
        return str(list(Activity).index(self) + 1)

    @property
    def uses_list(self) -> bool:
        """Steps through a list of signs (next / previous sign)."""
        return self in (Activity.SHOW, Activity.PRACTICE)


_TITLES = {Activity.LIVE: QT_TR_NOOP("Live"), Activity.QUIZ: QT_TR_NOOP("Quiz the class"),
           Activity.SHOW: QT_TR_NOOP("Show the sign"), Activity.PRACTICE: QT_TR_NOOP("Class practice")}


@dataclass
class Shown:
    """One recognized sign in the transcript (hidden until revealed in Quiz mode)."""

    label: Label
    confidence: float
    hidden: bool = False
    sure: bool = True  # at or above the threshold (else shown as "Not sure", not transcribed)


def recognized_word(shown: Shown | None, quiz: bool) -> tuple[str, str]:
    """The word and the line under it for a recognized sign (Live and Quiz the class)."""
    if shown is None:
        return tr(PRESENTER_IDLE), ""
    if shown.hidden:
        return QUIZ_HIDDEN, ""
    if not shown.sure:
        return tr(PRESENTER_NOT_SURE), f"{shown.label.display}?"
    gloss = shown.label.gloss if shown.label.gloss != shown.label.name else ""
    if quiz:
        gloss = f"{gloss}  {shown.confidence:.0%}".strip()
    return shown.label.name, gloss


@dataclass(frozen=True)
class SignList:
    """A named list of signs a class activity can step through."""

    title: str
    signs: tuple[Label, ...]


ALL_SIGNS = QT_TR_NOOP("All signs")
MODEL_SIGNS = QT_TR_NOOP("The model's signs")
MY_SIGNS = QT_TR_NOOP("My signs")


def sign_lists(model_labels: Sequence[Label], custom_signs: Sequence[CustomSign] = (),
               categories: Mapping[str, str] | None = None) -> list[SignList]:
    """Every sign; the model's; one's own (not from a pack); each pack; each category.

    ``categories`` maps a model sign's id to its category (from the model's labels file);
    custom signs carry their own. Empty lists are left out, and a list that repeats the one
    before it (only model signs, say) is not offered twice.
    """
    categories = categories or {}
    own = [s.label for s in custom_signs if not s.pack]
    packs: dict[str, list[Label]] = {}
    for sign in custom_signs:
        if sign.pack:
            packs.setdefault(sign.pack, []).append(sign.label)
    by_category: dict[str, list[Label]] = {}
    for label in model_labels:
        if categories.get(label.id):
            by_category.setdefault(categories[label.id], []).append(label)
    for sign in custom_signs:
        if sign.category:
            by_category.setdefault(sign.category, []).append(sign.label)
    custom = [s.label for s in custom_signs]
    candidates = [SignList(ALL_SIGNS, tuple(model_labels) + tuple(custom))]
    if custom:
        candidates.append(SignList(MODEL_SIGNS, tuple(model_labels)))
    candidates.append(SignList(MY_SIGNS, tuple(own)))
    candidates += [SignList(tr("Pack: %1", name), tuple(signs)) for name, signs in sorted(packs.items())]
    candidates += [SignList(tr("Category: %1", category_text(name)), tuple(signs))
                   for name, signs in sorted(by_category.items())]
    return [c for c in candidates if c.signs]


def model_categories(labels_file: str | Path | None) -> dict[str, str]:
    """Sign id → category from a model's labels file (empty when it has none or cannot be read)."""
    if labels_file is None:
        return {}
    try:
        doc = json.loads(Path(labels_file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    entries = doc.get("labels") if isinstance(doc, dict) else doc
    if not isinstance(entries, list):
        return {}
    return {str(e["id"]): str(e["category"]) for e in entries
            if isinstance(e, dict) and e.get("id") and isinstance(e.get("category"), str) and e["category"]}


def find_sign(signs: Iterable[Label], text: str) -> int | None:
    """The index of the sign named ``text`` (its id, own-language name, gloss or display text), or None."""
    key = fold_name(text)
    if not key:
        return None
    for i, label in enumerate(signs):
        if key in (fold_name(v) for v in (label.id, label.name, label.gloss, label.display) if v):
            return i
    return None


@dataclass
class SignCursor:
    """The chosen list and the sign in it that a class activity is on."""

    lists: list[SignList] = field(default_factory=list)
    list_index: int = 0
    sign_index: int = 0

    def signs(self) -> tuple[Label, ...]:
        """The signs of the chosen list."""
        return self.lists[self.list_index].signs if 0 <= self.list_index < len(self.lists) else ()

    def sign(self) -> Label | None:
        """The sign shown or practised now."""
        signs = self.signs()
        return signs[self.sign_index] if 0 <= self.sign_index < len(signs) else None

    @property
    def title(self) -> str:
        return self.lists[self.list_index].title if 0 <= self.list_index < len(self.lists) else ""

    def replace(self, lists: list[SignList]) -> None:
        """New lists (a new model or new custom signs), keeping the list and sign where they still exist."""
        old_title, old = self.title, self.sign()
        self.lists = lists
        self.list_index = next((i for i, s in enumerate(lists) if s.title == old_title), 0)
        keys = [sign_key(lab) for lab in self.signs()]
        self.sign_index = keys.index(sign_key(old)) if old is not None and sign_key(old) in keys else 0

    def choose_list(self, index: int) -> bool:
        """Step through list ``index`` from its first sign; False when there is no such list."""
        if not 0 <= index < len(self.lists):
            return False
        self.list_index, self.sign_index = index, 0
        return True

    def choose(self, index: int) -> bool:
        if not 0 <= index < len(self.signs()):
            return False
        self.sign_index = index
        return True

    def step(self, by: int) -> Label | None:
        """The next (``by`` = 1) or previous (-1) sign, round the end of the list."""
        n = len(self.signs())
        if n:
            self.sign_index = (self.sign_index + by) % n
        return self.sign()

    def find(self, text: str) -> bool:
        """Go to the sign named ``text`` in the first list (every sign); False when there is none."""
        self.list_index = 0
        index = find_sign(self.signs(), text)
        self.sign_index = index or 0
        return index is not None
