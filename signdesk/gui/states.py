"""The states a view shows, as enums, each with its user-facing words written once.

:class:`SourceState` is where the camera or video stands (owned by the recognition session);
:class:`SignState` is what the person in front of it is doing, frame by frame. Views show
these words; nothing else in the app spells them out, so a wording is changed in one place.
No widgets here: the session and the views share it, and tests read it without a screen.

The words are English source text for Qt's translations (:mod:`signdesk.gui.i18n`). Constants
are marked with ``QT_TR_NOOP`` and stay English (the views pass them through ``tr()`` where they
show them; the picture's hint and badge are translated when painted); functions and the enums'
``hint`` / ``label`` return the text in the interface language, since they are called at display.
"""

from __future__ import annotations

import enum
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from signdesk.capture import VIDEO_SUFFIXES
from signdesk.gui.i18n import QT_TR_NOOP, tr
from signdesk.gui.source_errors import localized_error

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.pipeline import FrameResult


class SourceState(enum.StrEnum):
    """Where the camera or video stands. A StrEnum: its value is also its name in logs."""

    IDLE = "idle"
    OPENING = "opening"
    PLAYING = "playing"
    ENDED = "ended"
    NO_CAMERA = "no-camera"
    CAMERA_FAILED = "camera-failed"
    CAMERA_LOST = "camera-lost"
    FILE_FAILED = "file-failed"

    @property
    def is_problem(self) -> bool:
        """A state shown instead of the picture, with a way forward."""
        return self in _PROBLEMS

    @property
    def waits_for_user(self) -> bool:
        """Nothing will change until the user (or a newly plugged camera) acts."""
        return self in (SourceState.NO_CAMERA, SourceState.CAMERA_FAILED)


class SignState(enum.StrEnum):
    """What the person in view is doing in one analysed frame."""

    NOBODY = "nobody"  # MediaPipe finds no pose, face or hand
    RESTING = "resting"  # someone is there, hands down
    STARTING = "starting"  # a hand is up; the attempt opens after a frame or two
    SIGNING = "signing"  # an attempt is open

    @classmethod
    def of(cls, frame: FrameResult) -> SignState:
        if frame.signing:
            return cls.SIGNING
        if frame.hand_up:
            return cls.STARTING
        if not frame.detection.person:
            return cls.NOBODY
        return cls.RESTING


#: The hint under the picture and in the result panel while nobody is signing.
RAISE_HANDS = QT_TR_NOOP("Raise your hands to sign")
STARTING_TRACKER = QT_TR_NOOP("Starting the hand tracker…")
VIDEO_ENDED = QT_TR_NOOP("Video ended — R to replay")
PAUSED = QT_TR_NOOP("Paused")
NO_PICTURE = QT_TR_NOOP("No picture yet")
NO_SIGN_IN_VIDEO = QT_TR_NOOP("No sign found in this video")
NO_CAMERA_FOUND = QT_TR_NOOP("No camera found")  # the problem state's title, and the empty camera list's entry
NOBODY_LIVE = QT_TR_NOOP("No one in view — step in front of the camera")
NOBODY = QT_TR_NOOP("No one in view")
CAMERA_NOT_OPENED = QT_TR_NOOP("The camera could not be opened")  # a problem's title, and the welcome's check

#: The bundled signs' categories (signdesk.practice.categories), marked for translation. A
#: pack's own categories are shown as its teacher wrote them.
BUNDLED_CATEGORIES = (
    QT_TR_NOOP("Numbers"), QT_TR_NOOP("Letters"), QT_TR_NOOP("Health"), QT_TR_NOOP("Greetings"),
    QT_TR_NOOP("Courtesy"), QT_TR_NOOP("Everyday"), QT_TR_NOOP("Introductions"), QT_TR_NOOP("Family"),
    QT_TR_NOOP("My signs"),
)


def category_text(name: str) -> str:
    """A category as shown: a bundled one in the interface language, a pack's as it came."""
    return tr(name) if name in BUNDLED_CATEGORIES else name


def sign_hint(state: SignState, live_source: bool) -> str:
    """The hint over the picture for one frame ('' when the person is signing), in English.

    The picture translates it when painting; pass it through ``tr()`` to show it elsewhere.
    """
    if state is SignState.NOBODY:
        return NOBODY_LIVE if live_source else NOBODY
    if state is SignState.RESTING:
        return RAISE_HANDS
    return ""


@dataclass(frozen=True)
class Problem:
    """What a problem state says: a title and an explanation around the source's own detail."""

    title: str
    text: str


_FORMATS = ", ".join(s.lstrip(".") for s in VIDEO_SUFFIXES[:5])

#: English titles and explanations (``%1`` the source's own detail, ``%2`` the video formats).
_PROBLEMS: dict[SourceState, Problem] = {
    SourceState.NO_CAMERA: Problem(
        NO_CAMERA_FOUND,
        QT_TR_NOOP("Connect a webcam — signdesk looks for one every few seconds — or open a video file "
                   "to practise with a recording.")),
    SourceState.CAMERA_FAILED: Problem(
        CAMERA_NOT_OPENED,
        QT_TR_NOOP("%1\n\nIt may be in use by another program, or camera access may be turned off "
                   "in your system's privacy settings. signdesk keeps trying every few seconds.")),
    SourceState.CAMERA_LOST: Problem(
        QT_TR_NOOP("The camera was disconnected"),
        QT_TR_NOOP("%1\n\nsigndesk reconnects as soon as it is back. You can also pick another "
                   "camera or open a video file.")),
    SourceState.FILE_FAILED: Problem(
        QT_TR_NOOP("This video cannot be played"),
        QT_TR_NOOP("%1\n\nsigndesk plays the usual video formats (%2, …).")),
}


def problem_text(state: SourceState, detail: str = "") -> tuple[str, str]:
    """(title, explanation) of a problem state, in the interface language (the detail too)."""
    problem = _PROBLEMS[state]
    return tr(problem.title), tr(problem.text, localized_error(detail), _FORMATS)


def badge_for(state: SourceState, paused: bool) -> str:
    """The small label over the picture's corner."""
    if state is SourceState.ENDED:
        return VIDEO_ENDED
    return PAUSED if paused else ""


# --- custom signs: Teach a sign, My signs, packs ----------------------------------------------

#: Takes a sign should have (fewer can be saved after a warning; the store holds at most 10).
TAKES_WANTED, TAKES_MAX = 3, 10


class TeachState(enum.StrEnum):
    """Where recording in the Teach-a-sign dialog stands; ``hint`` is what the dialog says."""

    NO_CAMERA = "no-camera"  # no live camera in the main window: only video files
    READY = "ready"
    COUNTDOWN = "countdown"  # 3-2-1 over the picture
    WAITING = "waiting"  # the next sign attempt the session reports becomes a take
    NO_SIGN = "no-sign"  # nothing was signed in time
    FULL = "full"  # TAKES_MAX takes: no room for another
    IMPORTING = "importing"  # video files being analysed in the background
    SAVING = "saving"

    @property
    def hint(self) -> str:
        return tr(_TEACH_HINTS[self], TAKES_MAX)

    @property
    def can_record(self) -> bool:
        return self in (TeachState.READY, TeachState.NO_SIGN)


_TEACH_HINTS = {  # %1: TAKES_MAX
    TeachState.NO_CAMERA: QT_TR_NOOP("No camera is running. Connect one, or pick one in the main window's "
                                     "Source menu, or import video files of the sign."),
    TeachState.READY: QT_TR_NOOP("Press Record, wait for the countdown, then sign once and lower your hands."),
    TeachState.COUNTDOWN: QT_TR_NOOP("Get ready…"),
    TeachState.WAITING: QT_TR_NOOP("Sign now — lower your hands when the sign is done."),
    TeachState.NO_SIGN: QT_TR_NOOP("No sign seen — raise your hands into view, then press Record again."),
    TeachState.FULL: QT_TR_NOOP("%1 takes is the most a sign can hold: discard one to record another."),
    TeachState.IMPORTING: QT_TR_NOOP("Finding the sign in the video files…"),
    TeachState.SAVING: QT_TR_NOOP("Saving…"),
}


class TakeState(enum.StrEnum):
    """A take in the Teach-a-sign list: just recorded (to review) or kept."""

    NEW = "new"
    KEPT = "kept"

    @property
    def label(self) -> str:
        return tr("New — keep it?") if self is TakeState.NEW else tr("✓ Kept")


TEACH_TITLE = QT_TR_NOOP("Teach a sign")
NAME_PLACEHOLDER = QT_TR_NOOP("The sign's name, in any language or script")
GLOSS_PLACEHOLDER = QT_TR_NOOP("Optional: a gloss or translation, e.g. HELLO")
NAME_IT = QT_TR_NOOP("Type the sign's name to save it.")
NO_TAKE_IN_ATTEMPT = QT_TR_NOOP("That sign had no landmarks to keep; please sign it again.")


def rerecord_title(name: str) -> str:
    """The Teach dialog's title when it adds takes to an existing sign."""
    return tr("Record %1 again", name)


def take_added(n: int) -> str:
    return tr("Take %1 added — keep it or discard it.", n)


def takes_summary(kept: int, new: int) -> str:
    """The line above the takes: how many are kept and what is still missing."""
    text = tr("%1 kept, %2 to review", kept, new) if new else tr("%1 kept", kept)
    if kept < TAKES_WANTED:
        more = TAKES_WANTED - kept
        text += tr(" — record %1 more (%2–%3 takes make a reliable sign)", more, TAKES_WANTED, TAKES_MAX)
    return text


def name_note(name: str, *, known_as: str = "", mine: bool = False) -> str:
    """What the dialog says under the name when the name is already in use."""
    if mine:
        return tr("You already have a sign called “%1”. Choose another name, or re-record "
                  "that sign from My signs.", name)
    if known_as:
        return tr("“%1” is a sign the model already knows (%2). Your takes are saved as your "
                  "own version of it: signing it your way counts as that sign.", name, known_as)
    return ""


def few_takes_question(n: int) -> tuple[str, str]:
    """(title, text) before saving fewer takes than TAKES_WANTED, and why it matters."""
    if n == 1:
        return (tr("Save with only one take?"),
                tr("signdesk learns a sign from the differences between its takes. With one take it "
                   "recognizes the sign less reliably; %1 or more, each signed a little "
                   "differently, work best. You can add takes later with Re-record.", TAKES_WANTED))
    return (tr("Save with only %1 takes?", n),
            tr("signdesk learns a sign from the differences between its takes. With %1 takes it "
               "recognizes the sign less reliably; %2 or more, each signed a little "
               "differently, work best. You can add takes later with Re-record.", n, TAKES_WANTED))


def discard_question(n: int, name: str) -> tuple[str, str]:
    if name:
        text = (tr("You recorded 1 take of “%1” that are not saved. Discard them?", name) if n == 1 else
                tr("You recorded %1 takes of “%2” that are not saved. Discard them?", n, name))
    else:
        text = (tr("You recorded 1 take that are not saved. Discard them?") if n == 1 else
                tr("You recorded %1 takes that are not saved. Discard them?", n))
    return tr("Discard the takes?"), text


def saved_message(name: str, takes: int) -> str:
    return tr("Saved “%1” (%2 takes). signdesk recognizes it from now on.", name, takes)


def damaged_banner(problems: Sequence[str]) -> str:
    """The warning over My signs when some entries could not be read (they are left as they are)."""
    n = len(problems)
    head = (tr("1 sign could not be read and is not listed. Its files are left on disk untouched:") if n == 1
            else tr("%1 signs could not be read and are not listed. Their files are left on disk untouched:", n))
    return head + "\n" + "\n".join(f"• {p}" for p in problems)


def delete_question(names: Sequence[str], takes: int) -> tuple[str, str]:
    if len(names) == 1:
        return (tr("Delete “%1”?", names[0]),
                tr("Its %1 recorded takes are removed from this computer. This cannot be undone.", takes))
    return (tr("Delete %1 signs?", len(names)),
            tr("Their %1 recorded takes are removed from this computer. This cannot be undone.", takes))


def clash_question(name: str, takes: int, pack: str) -> tuple[str, str]:
    """(title, text) when a pack sign has the name of one of the user's own signs."""
    return (tr("A sign with this name exists"),
            tr("You already have a sign called “%1” (%2 takes). The pack “%3” has its own "
               "“%1”.\n\nKeep both: the pack's sign is added under a new name.\nReplace mine: "
               "your takes of it are deleted.\nSkip: the pack's sign is not imported.", name, takes, pack))


def import_summary(pack: str, added: int, replaced: int, renamed: Sequence[tuple[str, str]], skipped: int) -> str:
    parts = [tr("%1 added", added)] if added else []
    if replaced:
        parts.append(tr("%1 replaced", replaced))
    parts += [tr("“%1” added as “%2”", old, new) for old, new in renamed]
    if skipped:
        parts.append(tr("%1 skipped", skipped))
    what = tr(", ").join(parts) if parts else tr("nothing new")
    return tr("Imported “%1”: %2.", pack, what)


class ViewKind(enum.StrEnum):
    """The views of the main window's stack (also the ``--view`` choices)."""

    RECOGNIZE = "recognize"
    PRACTICE = "practice"
    PRESENTER = "presenter"


class PracticeState(enum.StrEnum):
    """Where a practice round stands, as the practice view shows it."""

    NO_MODEL = "no-model"  # nothing can be scored
    NO_TARGET = "no-target"  # the list is empty (a search found nothing, nothing is due)
    WAITING = "waiting"  # a target is chosen; waiting for an attempt
    CORRECT = "correct"  # the last attempt was the target
    WRONG = "wrong"  # the last attempt was taken for another sign

    @property
    def hint(self) -> str:
        text = _PRACTICE_HINTS[self]
        return tr(text) if text else ""


_PRACTICE_HINTS = {
    PracticeState.NO_MODEL: QT_TR_NOOP("No sign model is loaded, so attempts cannot be scored."),
    PracticeState.NO_TARGET: QT_TR_NOOP("No sign to practise: search, pick a category or press Drill 10."),
    PracticeState.WAITING: QT_TR_NOOP("Watch the reference, then sign it to the camera and lower your hands."),
    PracticeState.CORRECT: "",
    PracticeState.WRONG: "",
}

NO_REFERENCE = QT_TR_NOOP("No reference for this sign yet: teach it under Signs → Teach a sign to get one.")
SEARCH_PLACEHOLDER = QT_TR_NOOP("Search signs by name or meaning")
ALL_CATEGORIES = QT_TR_NOOP("All categories")
NOTHING_DUE = QT_TR_NOOP("Nothing is due for review now.")
YOUR_ATTEMPT = QT_TR_NOOP("Your attempt")
REFERENCE = QT_TR_NOOP("Reference")


def percent(share: float) -> str:
    """A share as a whole percentage ("85%"), the same in both languages."""
    return f"{share:.0%}"


def practice_invite(name: str) -> str:
    """Before an attempt: what to sign (rich text; the name escaped)."""
    bold = f"<b>{html.escape(name)}</b>"
    return tr("Sign %1 when ready: watch the reference, then sign it to the camera and lower your hands.", bold)


def verdict_text(correct: bool, predicted: str) -> str:
    """The verdict headline: recognized, or what the attempt was taken for."""
    return tr("✓ Recognized") if correct else tr("✗ Taken for %1", predicted)


def standing_text(confidence: float, rank: int | None, ranked: int) -> str:
    """The target's confidence and rank in the attempt's ranking."""
    share = percent(confidence)
    if rank is not None:
        return tr("Target confidence %1, ranked #%2", share, rank)
    return tr("Target confidence %1, not in the top %2", share, ranked)


def score_text(correct: int, attempts: int, streak: int) -> str:
    return tr("Score %1/%2 · streak %3", correct, attempts, streak)


def practice_summary_text(attempts: int, correct: int, best_streak: int, mastered: int, to_review: int) -> str:
    """The session summary, one fact a line."""
    if attempts:
        share = percent(correct / attempts)
        right = tr("Correct: %1 (%2)", correct, share)
    else:
        right = tr("Correct: %1", correct)
    return "\n".join([tr("Attempts: %1", attempts), right, tr("Best streak: %1", best_streak),
                      tr("Signs mastered: %1", mastered), tr("Due for review: %1", to_review)])


def progress_problem(problem: str) -> str:
    return tr("Your practice history had a problem and was set aside: %1", problem)


def progress_failed(why: str) -> str:
    return tr("Practice history cannot be saved: %1", why)


PRESENTER_IDLE = QT_TR_NOOP("Sign to the camera")
PRESENTER_NOT_SURE = QT_TR_NOOP("Not sure")
QUIZ_HIDDEN = "?"
QUIZ_HINT = QT_TR_NOOP("Quiz: press Space to reveal")
FROZEN = QT_TR_NOOP("Frozen (F)")
RECENT = QT_TR_NOOP("Recent signs")


__all__: Sequence[str] = (
    "CAMERA_NOT_OPENED",
    "NAME_IT",
    "NO_CAMERA_FOUND",
    "NO_PICTURE",
    "NO_SIGN_IN_VIDEO",
    "PAUSED",
    "RAISE_HANDS",
    "STARTING_TRACKER",
    "TAKES_MAX",
    "TAKES_WANTED",
    "VIDEO_ENDED",
    "PracticeState",
    "Problem",
    "SignState",
    "SourceState",
    "TakeState",
    "TeachState",
    "ViewKind",
    "badge_for",
    "clash_question",
    "damaged_banner",
    "delete_question",
    "discard_question",
    "few_takes_question",
    "import_summary",
    "name_note",
    "percent",
    "practice_invite",
    "practice_summary_text",
    "problem_text",
    "progress_failed",
    "rerecord_title",
    "saved_message",
    "score_text",
    "sign_hint",
    "standing_text",
    "take_added",
    "takes_summary",
    "verdict_text",
)
