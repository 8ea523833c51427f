"""Which category each practice sign belongs to, so the picker can offer "Numbers", "Health"…

Categories come with the signs: a bundled model's ``labels.json`` entries may carry a
``category`` (the label loader ignores keys it does not use, so older files still load), a
custom sign has the category its pack's manifest or its teacher gave it, and a custom sign
without one falls under :data:`MY_SIGNS`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.custom import CustomSign
    from signdesk.recognizer import Label

#: The category of a custom sign that names none.
MY_SIGNS = "My signs"
#: The labels-file key of a sign's category.
CATEGORY_KEY = "category"

#: KArSL-502 sign ids by chapter (first id, last id, category), for the signs the models know.
KARSL_CHAPTERS = ((1, 31, "Numbers"), (32, 70, "Letters"), (71, 82, "Health"))
#: The categories of the ASL signs the bundled model knows (the datasets carry none).
ASL_CATEGORIES = {
    "goodbye": "Greetings", "hello": "Greetings", "iloveyou": "Greetings", "fine": "Greetings",
    "please": "Courtesy", "thankyou": "Courtesy", "sorry": "Courtesy",
    "help": "Everyday", "no": "Everyday", "yes": "Everyday", "food": "Everyday",
    "i": "Introductions", "my": "Introductions", "name": "Introductions", "you": "Introductions",
    "father": "Family",
}


def category_for(language: str, label_id: str) -> str | None:
    """The category the training command writes into labels.json for a sign, if it has one."""
    if language == "ar" and label_id.isdigit():
        number = int(label_id)
        return next((name for first, last, name in KARSL_CHAPTERS if first <= number <= last), None)
    if language == "asl":
        return ASL_CATEGORIES.get(label_id)
    return None


def label_file_categories(path: str | Path | None) -> dict[str, str]:
    """Sign id → category from a labels file's entries; empty when the file has none or is unreadable.

    A missing category only costs the filter, so a labels file that cannot be read gives an
    empty mapping (the recognizer itself reports a broken labels file).
    """
    if path is None:
        return {}
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    entries = doc.get("labels") if isinstance(doc, dict) else doc
    if not isinstance(entries, list):
        return {}
    return {str(e["id"]): str(e[CATEGORY_KEY]).strip() for e in entries
            if isinstance(e, dict) and e.get("id") and str(e.get(CATEGORY_KEY, "")).strip()}


def sign_categories(labels: Sequence[Label], labels_path: str | Path | None = None,
                    custom_signs: Iterable[CustomSign] = ()) -> dict[str, str]:
    """Sign key (label id, else name) → category for every label that has one.

    Bundled signs take theirs from ``labels_path``; custom signs take their own category, else
    :data:`MY_SIGNS`.
    """
    by_id = label_file_categories(labels_path)
    for sign in custom_signs:
        by_id[sign.label.id] = sign.category.strip() or MY_SIGNS
    found = {}
    for label in labels:
        key = label.id or label.name
        if by_id.get(key):
            found[key] = by_id[key]
    return found
