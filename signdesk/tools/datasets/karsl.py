"""KArSL-502 video folders: clips named by chapter, signer and sign id, landmarks from MediaPipe.

The labels come from the file names (and ``KARSL-502_Labels.json`` where a copy has it), so a
folder holding only some clips works. Landmarks are extracted by the app's own extractor
through the landmark cache; the walead variant puts its sparse frames back on the original
time line so every clip is seen at the live frame rate.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import numpy as np

from signdesk.tools.datasets.base import ClipRef, Dataset, DatasetError, Example, Loaded
from signdesk.tools.datasets.fills import resample_to_timeline

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

#: KArSL's number signs (ids 0001-0031) are listed as numerals in KARSL-502_Labels.json;
#: the model's own-language name is the Arabic number word.
ARABIC_NUMBER_WORDS: dict[int, str] = {
    0: "صفر", 1: "واحد", 2: "اثنان", 3: "ثلاثة", 4: "أربعة", 5: "خمسة", 6: "ستة", 7: "سبعة",
    8: "ثمانية", 9: "تسعة", 10: "عشرة", 20: "عشرون", 30: "ثلاثون", 40: "أربعون", 50: "خمسون",
    60: "ستون", 70: "سبعون", 80: "ثمانون", 90: "تسعون", 100: "مئة", 200: "مئتان", 300: "ثلاثمئة",
    400: "أربعمئة", 500: "خمسمئة", 600: "ستمئة", 700: "سبعمئة", 800: "ثمانمئة", 900: "تسعمئة",
    1000: "ألف", 1000000: "مليون", 10000000: "عشرة ملايين",
}

_KARSL_NAME = re.compile(r"^(?P<chapter>\d{2})_(?P<signer>\d{2})_(?P<sign>\d{4})_\((?P<stamp>[^)]*)\)_c\.mp4$")
_KARSL_FOLDER = re.compile(r"^(?P<signer>\d{2})-(?P<split>train|test)-mp4s$")
KARSL_LABELS_FILE = "KARSL-502_Labels.json"


def karsl_files(root: Path) -> list[Path]:
    """KArSL-named mp4s in ``root`` itself or in its ``NN-split-mp4s`` subfolders."""
    found = [p for p in root.glob("*.mp4") if _KARSL_NAME.match(p.name)]
    for sub in root.iterdir():
        if sub.is_dir() and _KARSL_FOLDER.match(sub.name):
            found.extend(p for p in sub.glob("*.mp4") if _KARSL_NAME.match(p.name))
    return sorted(found)


class KArSLVideo(Dataset):
    """KArSL-502 mp4 clips named ``<chapter>_<signer>_<signid>_(<timestamp>)_c.mp4``."""

    layout = "karsl-video"
    family = "karsl"
    language = "ar"
    kind = "video"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self._names = self._read_label_names()

    def _read_label_names(self) -> dict[str, tuple[str, str]]:
        """sign id → (Arabic name, English gloss) from a labels json in or above the folder."""
        for folder in (self.root, self.root.parent):
            path = folder / KARSL_LABELS_FILE
            if path.is_file():
                try:
                    doc = json.loads(path.read_text(encoding="utf-8"))
                    ar, en = doc["AR_WORDS"], doc["EN_WORDS"]
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    raise DatasetError(f"{path}: not a KArSL labels file ({exc})") from None
                return {f"{i + 1:04d}": _karsl_name(a, e) for i, (a, e) in enumerate(zip(ar, en))}
        return {}

    def _scan(self) -> Iterable[ClipRef]:
        for path in karsl_files(self.root):
            m = _KARSL_NAME.match(path.name)
            folder = _KARSL_FOLDER.match(path.parent.name)
            yield ClipRef(
                clip_id=path.name,  # signer + sign + recording time: unique across KArSL copies
                label=m["sign"],
                signer=f"karsl-{m['signer']}",
                split=folder["split"] if folder else None,
                path=path,
                source_label=m["sign"],
            )

    def label_info(self, label: str) -> dict[str, str]:
        name, gloss = self._names.get(label, (label, ""))
        return {"name": name, "gloss": gloss, "id": label}

    def video_paths(self) -> list[Path]:
        return [c.path for c in self.clips()]

    def load(self, clips=None, cache_dir=None, workers=2, progress=True) -> Loaded:
        from signdesk.tools.cache import load_videos

        clips = self.clips() if clips is None else list(clips)
        videos, report = load_videos([c.path for c in clips], cache_dir, workers, progress)
        loaded = Loaded([])
        for ref in clips:
            clip = videos.get(ref.path)
            if clip is None:
                loaded.skipped[ref.clip_id] = report.failed.get(str(ref.path), "not extracted")
                continue
            loaded.examples.append(self._example(ref, clip.landmarks))
        return loaded

    def _example(self, ref: ClipRef, frames: NDArray) -> Example:
        return Example(ref, frames)


def _karsl_name(ar: object, en: object) -> tuple[str, str]:
    if isinstance(ar, (int, float)) and int(ar) in ARABIC_NUMBER_WORDS:
        return ARABIC_NUMBER_WORDS[int(ar)], str(en)
    return str(ar), str(en)


class KArSLWalead(KArSLVideo):
    """KArSL clips stored as sparse 18-frame picks, with ``manifest.csv`` giving the picks.

    Each clip is resampled onto its original 30 fps time line (original frame numbers
    first..last): a part present in both neighbouring stored frames is interpolated linearly,
    otherwise the nearest stored frame is repeated. A clip missing from the manifest is used
    as stored (and still loads).
    """

    layout = "karsl-walead"
    MANIFEST = "manifest.csv"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self._frames: dict[str, NDArray] = {}
        self._manifest_names: dict[str, tuple[str, str]] = {}
        path = root / self.MANIFEST
        try:
            with open(path, newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    name = Path(row["file"]).name
                    self._frames[name] = np.array(row["original_frame_numbers"].split(), dtype=np.int64)
                    self._manifest_names[row["sign_id"]] = (row.get("label_ar", ""), row.get("label_en", ""))
        except (OSError, KeyError, ValueError, csv.Error) as exc:
            raise DatasetError(f"{path}: not a readable walead manifest ({exc})") from None

    def label_info(self, label: str) -> dict[str, str]:
        if label not in self._names and label in self._manifest_names:
            name, gloss = self._manifest_names[label]
            return {"name": name or label, "gloss": gloss, "id": label}
        return super().label_info(label)

    def _example(self, ref: ClipRef, frames: NDArray) -> Example:
        numbers = self._frames.get(ref.path.name)
        if numbers is None or len(numbers) != len(frames):
            return Example(ref, frames)
        return Example(ref, resample_to_timeline(frames, numbers), sparse=frames)
