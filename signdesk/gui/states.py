"""The states a view shows, as enums, each with its user-facing words written once.

:class:`SourceState` is where the camera or video stands (owned by the recognition session);
:class:`SignState` is what the person in front of it is doing, frame by frame. Views show
these words; nothing else in the app spells them out, so a wording is changed in one place.
No Qt here: the session and the views share it, and tests read it without a screen.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

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


__all__: Sequence[str] = (
    "SourceState", "SignState", "Problem", "problem_text", "sign_hint", "badge_for",
    "RAISE_HANDS", "STARTING_TRACKER", "NO_CAMERA_FOUND", "VIDEO_ENDED", "PAUSED", "NO_PICTURE", "NO_SIGN_IN_VIDEO",
)
