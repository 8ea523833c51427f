"""What every dataset adapter shares: label ids, clip records and the :class:`Dataset` interface.

Kept apart from the layouts so that training and evaluation code can type against clips and
examples without caring which folder layout they came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray


class DatasetError(ValueError):
    """A folder is not laid out like any known dataset, or a file in it is unreadable."""


# --- labels ---------------------------------------------------------------------------------

#: Source sign names that mean the same sign → one label id: the one place where sources'
#: spellings are pooled. Each MP_Data SOURCE.md rates its mappings; only "certain" ones and
#: those measured to be the same sign are here (``docs/training.md``, "Which names are one
#: sign"); the guesses (``howare`` → how, ``whatquestion`` / ``whatrelativeclause`` → what,
#: ``bruh``) stay signs of their own.
SIGN_ALIASES: dict[str, str] = {"thanks": "thankyou", "thank you": "thankyou", "thank-you": "thankyou",
                                "i love you": "iloveyou", "see you later": "seeyoulater",
                                "bye": "goodbye"}  # measured: models never shown "bye" call it goodbye 82 %

#: English display names of the ASL label ids (the gloss; ASL has no written form of its own).
ASL_NAMES: dict[str, str] = {
    "thankyou": "thank you", "iloveyou": "I love you", "seeyoulater": "see you later", "i": "I",
}


def canonical_sign(name: str) -> str:
    """One label id per sign: lower case, aliases merged (``thanks`` → ``thankyou``)."""
    key = name.strip().lower()
    key = SIGN_ALIASES.get(key, key)
    return key.replace(" ", "").replace("_", "") or key


# --- clips ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClipRef:
    """Where one labelled clip is and who signed it (no landmarks loaded yet)."""

    clip_id: str  # unique within the dataset
    label: str  # canonical label id ("0041", "thankyou")
    signer: str  # signer id, unique across sources ("karsl-01", "mpdata-baki037", "gislr-2044")
    split: str | None  # the dataset's own split ("train"/"test") where it has one
    path: Path  # the file that holds the clip
    source_label: str = ""  # the sign name as the source wrote it
    index: int = -1  # position inside a keypoint file


@dataclass
class Example:
    """One loaded clip: raw (T, 184, 4) float32 landmarks in the live frame-rate regime."""

    ref: ClipRef
    frames: NDArray
    sparse: NDArray | None = None  # the stored frames before time resampling (walead clips)


@dataclass
class Loaded:
    """Result of :meth:`Dataset.load`: the examples and the clips that could not be read."""

    examples: list[Example]
    skipped: dict[str, str] = field(default_factory=dict)  # clip_id → reason


# --- the adapter interface ----------------------------------------------------------------------


class Dataset:
    """A folder of labelled clips in one layout."""

    layout = ""
    family = ""  # clips of one family share clip ids across layouts (a model's training list)
    language = ""  # "ar" (KArSL) or "asl"
    kind = "keypoints"  # or "video"

    def __init__(self, root: Path) -> None:
        self.root = root
        self._clips: list[ClipRef] | None = None

    def clips(self) -> list[ClipRef]:
        """Every labelled clip in the folder, in a stable order."""
        if self._clips is None:
            self._clips = sorted(self._scan(), key=lambda c: c.clip_id)
            if not self._clips:
                raise DatasetError(f"{self.root}: no clips found ({self.layout} layout)")
        return self._clips

    def _scan(self) -> Iterable[ClipRef]:  # pragma: no cover - abstract
        raise NotImplementedError

    def labels(self) -> list[str]:
        return sorted({c.label for c in self.clips()})

    def signers(self) -> list[str]:
        return sorted({c.signer for c in self.clips()})

    def label_info(self, label: str) -> dict[str, str]:
        """``{"name", "gloss", "id"}`` of one label id (for a model's labels.json)."""
        name = ASL_NAMES.get(label, label)
        return {"name": name, "gloss": name, "id": label}

    def video_paths(self) -> list[Path]:
        return []

    def load(
        self,
        clips: Sequence[ClipRef] | None = None,
        cache_dir: str | Path | None = None,
        workers: int = 2,
        progress: bool = True,
    ) -> Loaded:
        """Landmarks of ``clips`` (default: all), as raw (T, 184, 4) float32."""
        raise NotImplementedError  # pragma: no cover

    def describe(self) -> str:
        clips = self.clips()
        return (f"{self.root.name}: {self.layout} layout, {len(clips)} clips, {len(self.labels())} signs, "
                f"{len(self.signers())} signers")
