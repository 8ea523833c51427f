"""The practice feedback sentences in the interface language.

:mod:`signdesk.practice.feedback` is Qt-free and says each sentence in English (the CLI and the
JSON keep it), and also as a message id with parameters. Here each id has an English source
text with ``%1``, ``%2``… for Qt's translations, and each word parameter (a hand, a height, a
direction…) is translated in a context of its own, since one English word ("left") needs
different words in Arabic as a hand and as a side. In English the result is the core's sentence.
"""

from __future__ import annotations

from collections.abc import Iterable

from signdesk.gui.i18n import QT_TR_NOOP, QT_TRANSLATE_NOOP, translate, tr
from signdesk.practice.feedback import FeedbackItem, Param

#: Message id → (source text, the parameters that fill %1, %2…).
SENTENCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "hands.same": (QT_TR_NOOP("Hands: %1 used, as in the reference."), ("count",)),
    "hands.none": (QT_TR_NOOP("No hand was seen signing: raise your hands into view of the camera."), ()),
    "hands.both": (QT_TR_NOOP("Use both hands: the sign is made with two hands, you used one."), ()),
    "hands.one": (QT_TR_NOOP("Use one hand: the sign is made with your %1 hand only, you used two."), ("hand",)),
    "hands.other": (QT_TR_NOOP("Use your %1 hand: the reference signs with it, you used your %2."),
                    ("hand", "used")),
    "view.ok": (QT_TR_NOOP("Your %1 hand stayed in view."), ("hand",)),
    "view.out": (QT_TR_NOOP("Your %1 hand was out of view for %2 of the sign."), ("hand", "fraction")),
    "location.ok": (QT_TR_NOOP("Your %1 hand was in the right place."), ("hand",)),
    "location.low": (QT_TR_NOOP("Your %1 hand was lower than the reference: bring it up to %2."),
                     ("hand", "level")),
    "location.high": (QT_TR_NOOP("Your %1 hand was higher than the reference: bring it down to %2."),
                      ("hand", "level")),
    "location.side": (QT_TR_NOOP("Your %1 hand was too far to your %2: move it toward your %3, %4."),
                      ("hand", "away", "toward", "side")),
    "movement.ok": (QT_TR_NOOP("Your %1 hand moved about as much as in the reference."), ("hand",)),
    "movement.more": (QT_TR_NOOP("Move more: your %1 hand travelled %2 as in the reference."), ("hand", "times")),
    "movement.less": (QT_TR_NOOP("Move less: your %1 hand travelled %2 as in the reference."), ("hand", "times")),
    "direction.ok": (QT_TR_NOOP("Your %1 hand moved the right way."), ("hand",)),
    "direction.off": (QT_TR_NOOP("Move your %1 hand %2: in the reference it ends %2 from where it starts; "
                                 "yours moved %3."), ("hand", "wanted", "mine")),
    "handshape.ok": (QT_TR_NOOP("Handshape of the %1 hand matches the reference."), ("hand",)),
    "handshape.off": (QT_TR_NOOP("Handshape of the %1 hand differs from the reference (%2)."), ("hand", "kinds")),
    "duration.ok": (QT_TR_NOOP("Timing: %1 s, the reference %2 s."), ("seconds", "reference_seconds")),
    "duration.short": (QT_TR_NOOP("Too short: the sign took %1 s, the reference %2 s."),
                       ("seconds", "reference_seconds")),
    "duration.long": (QT_TR_NOOP("Too long: the sign took %1 s, the reference %2 s."),
                      ("seconds", "reference_seconds")),
    "body.you": (QT_TR_NOOP("Place, movement and handshape were not compared: your shoulders were not seen. "
                            "Sit so that your upper body is in view."), ()),
    "body.reference": (QT_TR_NOOP("Place, movement and handshape were not compared: the reference's shoulders "
                                  "were not seen. Sit so that your upper body is in view."), ()),
    "no_reference": (QT_TR_NOOP("No reference is available for this sign yet, so only whether it was recognized "
                                "is shown; record a reference take to get feedback on hands, place and "
                                "movement."), ()),
    "all_good": (QT_TR_NOOP("Close to the reference: hands, place, movement, handshape and timing all match."), ()),
}

#: Word parameter → the translation context of its words.
CONTEXTS = {"hand": "FeedbackHand", "used": "FeedbackHand", "count": "FeedbackCount", "level": "FeedbackLevel",
            "away": "FeedbackSide", "toward": "FeedbackSide", "side": "FeedbackPlace", "times": "FeedbackTimes",
            "wanted": "FeedbackDirection", "mine": "FeedbackDirection", "kinds": "FeedbackHandshape"}

#: Every word the core puts in a parameter, marked for lupdate (their contexts as above).
WORDS = (
    QT_TRANSLATE_NOOP("FeedbackHand", "left"), QT_TRANSLATE_NOOP("FeedbackHand", "right"),
    QT_TRANSLATE_NOOP("FeedbackCount", "none"), QT_TRANSLATE_NOOP("FeedbackCount", "one"),
    QT_TRANSLATE_NOOP("FeedbackCount", "two"),
    QT_TRANSLATE_NOOP("FeedbackSide", "left"), QT_TRANSLATE_NOOP("FeedbackSide", "right"),
    QT_TRANSLATE_NOOP("FeedbackLevel", "above the head"), QT_TRANSLATE_NOOP("FeedbackLevel", "forehead height"),
    QT_TRANSLATE_NOOP("FeedbackLevel", "face height"), QT_TRANSLATE_NOOP("FeedbackLevel", "chin height"),
    QT_TRANSLATE_NOOP("FeedbackLevel", "neck height"), QT_TRANSLATE_NOOP("FeedbackLevel", "chest height"),
    QT_TRANSLATE_NOOP("FeedbackLevel", "waist height"),
    QT_TRANSLATE_NOOP("FeedbackPlace", "in front of your right side"),
    QT_TRANSLATE_NOOP("FeedbackPlace", "in front of your left side"),
    QT_TRANSLATE_NOOP("FeedbackPlace", "in front of the middle of your body"),
    QT_TRANSLATE_NOOP("FeedbackTimes", "about a quarter as far"), QT_TRANSLATE_NOOP("FeedbackTimes", "about a third as far"),
    QT_TRANSLATE_NOOP("FeedbackTimes", "about half as far"), QT_TRANSLATE_NOOP("FeedbackTimes", "about two thirds as far"),
    QT_TRANSLATE_NOOP("FeedbackTimes", "about as far"),
    QT_TRANSLATE_NOOP("FeedbackTimes", "about one and a half times as far"),
    QT_TRANSLATE_NOOP("FeedbackTimes", "about twice as far"), QT_TRANSLATE_NOOP("FeedbackTimes", "about three times as far"),
    QT_TRANSLATE_NOOP("FeedbackTimes", "many times as far"),
    QT_TRANSLATE_NOOP("FeedbackDirection", "up"), QT_TRANSLATE_NOOP("FeedbackDirection", "down"),
    QT_TRANSLATE_NOOP("FeedbackDirection", "to your right"), QT_TRANSLATE_NOOP("FeedbackDirection", "to your left"),
    QT_TRANSLATE_NOOP("FeedbackDirection", "up and to your right"),
    QT_TRANSLATE_NOOP("FeedbackDirection", "up and to your left"),
    QT_TRANSLATE_NOOP("FeedbackDirection", "down and to your right"),
    QT_TRANSLATE_NOOP("FeedbackDirection", "down and to your left"),
    QT_TRANSLATE_NOOP("FeedbackDirection", "hardly at all"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "fingers more bent"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "fingers straighter"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "fingers more spread"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "fingers closer together"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "thumb more bent"), QT_TRANSLATE_NOOP("FeedbackHandshape", "thumb straighter"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "index finger more bent"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "index finger straighter"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "middle finger more bent"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "middle finger straighter"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "ring finger more bent"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "ring finger straighter"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "little finger more bent"),
    QT_TRANSLATE_NOOP("FeedbackHandshape", "little finger straighter"),
)


def _param(name: str, value: Param) -> str:
    """One parameter as shown: numbers formatted as in English, words translated in their context."""
    if name == "fraction":
        return f"{float(value):.0%}"
    if isinstance(value, (int, float)):
        return f"{float(value):.1f}"
    if isinstance(value, tuple):
        return tr(", ").join(translate(CONTEXTS[name], word) for word in value)
    return translate(CONTEXTS[name], value)


def feedback_text(item: FeedbackItem) -> str:
    """``item``'s sentence in the interface language (its English message when its id is unknown)."""
    known = SENTENCES.get(item.key)
    if known is None:
        return item.message
    text, names = known
    return tr(text, *(_param(name, item.params[name]) for name in names))


def feedback_lines(items: Iterable[FeedbackItem]) -> list[str]:
    return [feedback_text(item) for item in items]
