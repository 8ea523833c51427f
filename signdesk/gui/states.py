"""The states a view shows, as enums, each with its user-facing words written once.

:class:`SourceState` is where the camera or video stands (owned by the recognition session);
:class:`SignState` is what the person in front of it is doing, frame by frame. Views show
these words; nothing else in the app spells them out, so a wording is changed in one place.
No Qt here: the session and the views share it, and tests read it without a screen.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from signdesk.capture import VIDEO_SUFFIXES

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
RAISE_HANDS = "Raise your hands to sign"
STARTING_TRACKER = "Starting the hand tracker…"
VIDEO_ENDED = "Video ended — R to replay"
PAUSED = "Paused"
NO_PICTURE = "No picture yet"
NO_SIGN_IN_VIDEO = "No sign found in this video"
NO_CAMERA_FOUND = "No camera found"  # the problem state's title, and the empty camera list's entry


def sign_hint(state: SignState, live_source: bool) -> str:
    """The hint over the picture for one frame ('' when the person is signing)."""
    if state is SignState.NOBODY:
        return "No one in view — step in front of the camera" if live_source else "No one in view"
    if state is SignState.RESTING:
        return RAISE_HANDS
    return ""


@dataclass(frozen=True)
class Problem:
    """What a problem state says: a title and an explanation around the source's own detail."""

    title: str
    text: str


_FORMATS = ", ".join(s.lstrip(".") for s in VIDEO_SUFFIXES[:5])

_PROBLEMS: dict[SourceState, Problem] = {
    SourceState.NO_CAMERA: Problem(
        NO_CAMERA_FOUND,
        "Connect a webcam — signdesk looks for one every few seconds — or open a video file "
        "to practise with a recording."),
    SourceState.CAMERA_FAILED: Problem(
        "The camera could not be opened",
        "{detail}\n\nIt may be in use by another program, or camera access may be turned off "
        "in your system's privacy settings. signdesk keeps trying every few seconds."),
    SourceState.CAMERA_LOST: Problem(
        "The camera was disconnected",
        "{detail}\n\nsigndesk reconnects as soon as it is back. You can also pick another "
        "camera or open a video file."),
    SourceState.FILE_FAILED: Problem(
        "This video cannot be played",
        "{detail}\n\nsigndesk plays the usual video formats (" + _FORMATS + ", …)."),
}


def problem_text(state: SourceState, detail: str = "") -> tuple[str, str]:
    """(title, explanation) of a problem state."""
    problem = _PROBLEMS[state]
    return problem.title, problem.text.format(detail=detail)


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
        return _TEACH_HINTS[self]

    @property
    def can_record(self) -> bool:
        return self in (TeachState.READY, TeachState.NO_SIGN)


_TEACH_HINTS = {
    TeachState.NO_CAMERA: "No camera is running. Connect one, or pick one in the main window's "
                          "Source menu, or import video files of the sign.",
    TeachState.READY: "Press Record, wait for the countdown, then sign once and lower your hands.",
    TeachState.COUNTDOWN: "Get ready…",
    TeachState.WAITING: "Sign now — lower your hands when the sign is done.",
    TeachState.NO_SIGN: "No sign seen — raise your hands into view, then press Record again.",
    TeachState.FULL: f"{TAKES_MAX} takes is the most a sign can hold: discard one to record another.",
    TeachState.IMPORTING: "Finding the sign in the video files…",
    TeachState.SAVING: "Saving…",
}


class TakeState(enum.StrEnum):
    """A take in the Teach-a-sign list: just recorded (to review) or kept."""

    NEW = "new"
    KEPT = "kept"

    @property
    def label(self) -> str:
        return "New — keep it?" if self is TakeState.NEW else "✓ Kept"


TEACH_TITLE = "Teach a sign"
RERECORD_TITLE = "Record {name} again"
NAME_PLACEHOLDER = "The sign's name, in any language or script"
GLOSS_PLACEHOLDER = "Optional: a gloss or translation, e.g. HELLO"
NAME_IT = "Type the sign's name to save it."
TAKE_ADDED = "Take {n} added — keep it or discard it."
NO_TAKE_IN_ATTEMPT = "That sign had no landmarks to keep; please sign it again."


def takes_summary(kept: int, new: int) -> str:
    """The line above the takes: how many are kept and what is still missing."""
    text = f"{kept} kept" + (f", {new} to review" if new else "")
    if kept < TAKES_WANTED:
        text += f" — record {TAKES_WANTED - kept} more ({TAKES_WANTED}–{TAKES_MAX} takes make a reliable sign)"
    return text


def name_note(name: str, *, known_as: str = "", mine: bool = False) -> str:
    """What the dialog says under the name when the name is already in use."""
    if mine:
        return (f"You already have a sign called “{name}”. Choose another name, or re-record "
                "that sign from My signs.")
    if known_as:
        return (f"“{name}” is a sign the model already knows ({known_as}). Your takes are saved as your "
                "own version of it: signing it your way counts as that sign.")
    return ""


def few_takes_question(n: int) -> tuple[str, str]:
    """(title, text) before saving fewer takes than TAKES_WANTED, and why it matters."""
    takes = "one take" if n == 1 else f"{n} takes"
    return ("Save with only " + takes + "?",
            (f"signdesk learns a sign from the differences between its takes. With {takes} it "
             f"recognizes the sign less reliably; {TAKES_WANTED} or more, each signed a little "
             "differently, work best. You can add takes later with Re-record."))


def discard_question(n: int, name: str) -> tuple[str, str]:
    takes = "1 take" if n == 1 else f"{n} takes"
    sign = f" of “{name}”" if name else ""
    return "Discard the takes?", f"You recorded {takes}{sign} that are not saved. Discard them?"


def saved_message(name: str, takes: int) -> str:
    return f"Saved “{name}” ({takes} takes). signdesk recognizes it from now on."


def damaged_banner(problems: Sequence[str]) -> str:
    """The warning over My signs when some entries could not be read (they are left as they are)."""
    n = len(problems)
    head = ("1 sign could not be read and is not listed. Its files are" if n == 1
            else f"{n} signs could not be read and are not listed. Their files are")
    return head + " left on disk untouched:\n" + "\n".join(f"• {p}" for p in problems)


def delete_question(names: Sequence[str], takes: int) -> tuple[str, str]:
    what = f"“{names[0]}”" if len(names) == 1 else f"{len(names)} signs"
    return (f"Delete {what}?",
            f"Its {takes} recorded takes are removed from this computer. This cannot be undone."
            if len(names) == 1 else
            f"Their {takes} recorded takes are removed from this computer. This cannot be undone.")


def clash_question(name: str, takes: int, pack: str) -> tuple[str, str]:
    """(title, text) when a pack sign has the name of one of the user's own signs."""
    return ("A sign with this name exists",
            (f"You already have a sign called “{name}” ({takes} takes). The pack “{pack}” has its own "
             f"“{name}”.\n\nKeep both: the pack's sign is added under a new name.\nReplace mine: "
             "your takes of it are deleted.\nSkip: the pack's sign is not imported."))


def import_summary(pack: str, added: int, replaced: int, renamed: Sequence[tuple[str, str]], skipped: int) -> str:
    parts = [f"{added} added"] if added else []
    if replaced:
        parts.append(f"{replaced} replaced")
    parts += [f"“{old}” added as “{new}”" for old, new in renamed]
    if skipped:
        parts.append(f"{skipped} skipped")
    return f"Imported “{pack}”: " + (", ".join(parts) if parts else "nothing new") + "."


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
        return _PRACTICE_HINTS[self]


_PRACTICE_HINTS = {
    PracticeState.NO_MODEL: "No sign model is loaded, so attempts cannot be scored.",
    PracticeState.NO_TARGET: "No sign to practise: search, pick a category or press Drill 10.",
    PracticeState.WAITING: "Watch the reference, then sign it to the camera and lower your hands.",
    PracticeState.CORRECT: "",
    PracticeState.WRONG: "",
}

NO_REFERENCE = "No reference for this sign yet: teach it under Signs → Teach a sign to get one."
SEARCH_PLACEHOLDER = "Search signs by name or meaning"
ALL_CATEGORIES = "All categories"
NOTHING_DUE = "Nothing is due for review now."
YOUR_ATTEMPT = "Your attempt"
REFERENCE = "Reference"


def verdict_text(correct: bool, predicted: str) -> str:
    """The verdict headline: recognized, or what the attempt was taken for."""
    return "✓ Recognized" if correct else f"✗ Taken for {predicted}"


def standing_text(confidence: float, rank: int | None, ranked: int) -> str:
    """The target's confidence and rank in the attempt's ranking."""
    where = f"ranked #{rank}" if rank is not None else f"not in the top {ranked}"
    return f"Target confidence {confidence:.0%}, {where}"


def score_text(correct: int, attempts: int, streak: int) -> str:
    return f"Score {correct}/{attempts} · streak {streak}"


def practice_summary_text(attempts: int, correct: int, best_streak: int, mastered: int, to_review: int) -> str:
    """The session summary, one fact a line."""
    share = f" ({correct / attempts:.0%})" if attempts else ""
    return (f"Attempts: {attempts}\nCorrect: {correct}{share}\nBest streak: {best_streak}\n"
            f"Signs mastered: {mastered}\nDue for review: {to_review}")


def progress_problem(problem: str) -> str:
    return f"Your practice history had a problem and was set aside: {problem}"


PROGRESS_FAILED = "Practice history cannot be saved: {why}"

PRESENTER_IDLE = "Sign to the camera"
PRESENTER_NOT_SURE = "Not sure"
QUIZ_HIDDEN = "?"
QUIZ_HINT = "Quiz: press Space to reveal"
PRESENTER_KEYS = "C clear · F freeze · Q quiz · Space reveal · Esc back"
FROZEN = "Frozen (F)"
RECENT = "Recent signs"


__all__: Sequence[str] = (
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
    "practice_summary_text",
    "problem_text",
    "saved_message",
    "score_text",
    "sign_hint",
    "standing_text",
    "takes_summary",
    "verdict_text",
)
