"""Dataset adapters: any folder laid out like one in ``../shared/data`` → labelled clips.

One adapter per *layout*, picked by :func:`open_dataset` from the folder's own files (never
from ``SOURCE.md``, which a copy may lack):

======================  ==========================================================================
layout                  recognised by
======================  ==========================================================================
``karsl-video``         ``NN-train-mp4s/`` / ``NN-test-mp4s/`` folders (or the folder itself)
                        holding ``<chapter>_<signer>_<signid>_(<timestamp>)_c.mp4`` files;
                        optional ``KARSL-502_Labels.json`` for sign names
``karsl-walead``        the same, plus a ``manifest.csv`` with ``original_frame_numbers``: each
                        sparse clip is resampled onto its original 30 fps time line
``mpdata``              ``<person>.npz`` files holding ``<sign>`` (n, 30, 203, 3) arrays and
                        ``<sign>__pose_visibility`` (n, 30, 33)
``gislr``               ``participant_<id>.npz`` files with ``landmarks`` / ``offsets`` /
                        ``sign`` (``index.csv`` optional)
======================  ==========================================================================

Labels, signer ids and clip ids come from the folder's structure (file names, array keys),
so a copy holding only some clips, or new clips of the same layout, works. Sign names that
mean the same sign across sources map to one label id (``thanks`` and ``thankyou`` →
``thankyou``). Every clip comes out as raw (unnormalized) ``(T, 184, 4)`` landmarks in
signdesk's layout, at a live-like frame rate; :func:`signdesk.landmarks.normalize` and
:func:`signdesk.windowing.to_window` are applied by the caller, exactly as in the app.

**Keypoint sources on the 184×4 layout** (203-point files: pose 0-32, 128 face-contour
points, left hand, right hand; x, y, z):

- pose rows ← pose 11-16; visibility ← ``__pose_visibility`` where the source has it (MP_Data);
  GISLR has none, so it is filled by :func:`fill_pose_visibility` (1.0 inside the image, else
  0.46, the median MediaPipe gives an off-image joint in MP_Data);
- face rows ← the 128 contour points; the 8 iris ring points (469-472, 474-477) are absent
  from both sources and are filled by :func:`fill_iris` from the eye contour (a fixed
  eye-relative offset per point, fitted on real refined-mesh landmarks); visibility 1.0;
- hands ← the source's left/right hand rows (MediaPipe's own handedness, as the extractor
  uses), visibility 1.0 where detected;
- a part that is missing in a frame (all zeros in MP_Data, NaN in GISLR) stays all zeros, as
  the extractor leaves it. ``docs/training.md`` measures what the fills cost.

This module is numpy-only (no torch): training and ``signdesk evaluate`` share it.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from signdesk.landmarks import (
    FACE_INDICES,
    FACE_ROWS,
    LEFT_EYE_ROWS,
    LEFT_HAND_ROWS,
    LEFT_IRIS_ROWS,
    N_CHANNELS,
    N_LANDMARKS,
    PARTS,
    POSE_INDICES,
    POSE_ROWS,
    RIGHT_EYE_ROWS,
    RIGHT_HAND_ROWS,
    RIGHT_IRIS_ROWS,
    VIS,
    part_present,
)

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray


class DatasetError(ValueError):
    """A folder is not laid out like any known dataset, or a file in it is unreadable."""


# --- labels ---------------------------------------------------------------------------------

#: Source sign names that mean the same sign → one label id.
SIGN_ALIASES: dict[str, str] = {"thanks": "thankyou", "thank you": "thankyou", "i love you": "iloveyou",
                                "see you later": "seeyoulater"}

#: English display names of the ASL label ids (the gloss; ASL has no written form of its own).
ASL_NAMES: dict[str, str] = {
    "thankyou": "thank you", "iloveyou": "I love you", "seeyoulater": "see you later", "i": "I",
}

#: KArSL's number signs (ids 0001-0031) are listed as numerals in KARSL-502_Labels.json;
#: the model's own-language name is the Arabic number word.
ARABIC_NUMBER_WORDS: dict[int, str] = {
    0: "صفر", 1: "واحد", 2: "اثنان", 3: "ثلاثة", 4: "أربعة", 5: "خمسة", 6: "ستة", 7: "سبعة",
    8: "ثمانية", 9: "تسعة", 10: "عشرة", 20: "عشرون", 30: "ثلاثون", 40: "أربعون", 50: "خمسون",
    60: "ستون", 70: "سبعون", 80: "ثمانون", 90: "تسعون", 100: "مئة", 200: "مئتان", 300: "ثلاثمئة",
    400: "أربعمئة", 500: "خمسمئة", 600: "ستمئة", 700: "سبعمئة", 800: "ثمانمئة", 900: "تسعمئة",
    1000: "ألف", 1000000: "مليون", 10000000: "عشرة ملايين",
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


# --- fills for keypoint sources -----------------------------------------------------------------

#: Eye-relative offsets of the iris ring points, in units of the eye width, along
#: (outer→inner corner axis, its perpendicular pointing down in the image, depth).
#: Fitted by :func:`fit_iris_offsets` on the real refined-mesh landmarks of the 527 KArSL
#: train-split clips (signers 01 and 02, 21,184 frames, walead clips resampled); ``tests/test_datasets.py`` refits
#: them on a real clip. (MediaPipe puts the iris ring at the eye contour's mean depth.)
IRIS_OFFSETS: dict[str, NDArray] = {
    "right": np.array([[0.2394, -0.0360, 0.0], [0.0200, -0.2209, 0.0], [-0.1851, -0.0208, 0.0],
                       [0.0381, 0.1638, 0.0]], dtype=np.float32),  # mesh 469, 470, 471, 472
    "left": np.array([[0.2587, -0.0101, 0.0], [0.0601, -0.2358, 0.0], [-0.1567, -0.0396, 0.0],
                      [0.0434, 0.1865, 0.0]], dtype=np.float32),  # mesh 474, 475, 476, 477
}

_EYES = {
    # eye → (contour rows, iris rows, outer corner mesh id, inner corner mesh id)
    "right": (RIGHT_EYE_ROWS, RIGHT_IRIS_ROWS, 33, 133),
    "left": (LEFT_EYE_ROWS, LEFT_IRIS_ROWS, 263, 362),
}
_FACE_POS = {mesh: FACE_ROWS.start + i for i, mesh in enumerate(FACE_INDICES)}


def eye_frame(frames: NDArray, eye: str) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Per frame: eye centre (…, 3), unit axis u (…, 2), unit perpendicular v (…, 2), width (…)."""
    contour, _, outer, inner = _EYES[eye]
    centre = frames[..., list(contour), :3].mean(axis=-2)
    axis = frames[..., _FACE_POS[inner], :2] - frames[..., _FACE_POS[outer], :2]
    width = np.linalg.norm(axis, axis=-1)
    u = axis / np.maximum(width, 1e-9)[..., None]
    if eye == "left":
        u = -u  # both eyes' axes point the same way: to the subject's left
    v = np.stack([-u[..., 1], u[..., 0]], axis=-1)
    return centre, u, v, width


def fit_iris_offsets(frames: NDArray) -> dict[str, NDArray]:
    """Mean eye-relative offsets (4, 3) of each eye's iris ring points over frames with a face."""
    frames = np.asarray(frames, dtype=np.float32).reshape(-1, N_LANDMARKS, N_CHANNELS)
    frames = frames[part_present(frames, "face")]
    if not len(frames):
        raise ValueError("no frame with a detected face to fit iris offsets on")
    out = {}
    for eye, (_, iris, _, _) in _EYES.items():
        centre, u, v, width = eye_frame(frames, eye)
        ok = width > 1e-6
        d = (frames[:, list(iris), :3] - centre[:, None, :])[ok] / width[ok, None, None]
        uu, vv = u[ok, None, :], v[ok, None, :]
        out[eye] = np.stack(
            [(d[..., :2] * uu).sum(-1).mean(0), (d[..., :2] * vv).sum(-1).mean(0), d[..., 2].mean(0)], axis=-1
        ).astype(np.float32)
    return out


def fill_iris(frames: NDArray, offsets: dict[str, NDArray] | None = None) -> NDArray:
    """Write iris ring points (x, y, z, vis=1) from the eye contour into frames with a face.

    Used for sources without a refined face mesh. In place; returns ``frames``.
    """
    offsets = offsets or IRIS_OFFSETS
    has_face = part_present(frames, "face")
    for eye, (_, iris, _, _) in _EYES.items():
        centre, u, v, width = eye_frame(frames, eye)
        off = offsets[eye]  # (4, 3)
        xy = centre[..., None, :2] + width[..., None, None] * (
            off[:, 0, None] * u[..., None, :] + off[:, 1, None] * v[..., None, :]
        )
        z = centre[..., None, 2] + width[..., None] * off[:, 2]
        pts = np.concatenate([xy, z[..., None], np.ones_like(z)[..., None]], axis=-1)
        frames[..., list(iris), :] = np.where(has_face[..., None, None], pts, 0.0)
    return frames


#: Median pose visibility MediaPipe gives one of the six layout joints that lies outside the
#: image, over all MP_Data frames (joints inside the image: median 0.995, filled as 1.0).
OFFSCREEN_VISIBILITY = 0.46


def fill_pose_visibility(pose_xy: NDArray) -> NDArray:
    """Visibility for sources without it: 1.0 for a joint inside the image, else the median
    MediaPipe gives an off-image joint."""
    inside = np.all((pose_xy >= 0.0) & (pose_xy <= 1.0), axis=-1)
    return np.where(inside, 1.0, OFFSCREEN_VISIBILITY).astype(np.float32)


# --- the 203-point keypoint layout ----------------------------------------------------------------

#: The 128 FaceMesh contour indices of the 203-point files (rows 33-160), in order.
CONTOUR_203 = tuple(i for i in FACE_INDICES if i < 468)
_P203_POSE = 0
_P203_FACE = 33
_P203_LEFT = 161
_P203_RIGHT = 182
_FACE_SRC = np.array([_P203_FACE + CONTOUR_203.index(i) for i in FACE_INDICES if i < 468])
_FACE_DST = np.array([_FACE_POS[i] for i in FACE_INDICES if i < 468])


def from_203(points: NDArray, pose_visibility: NDArray | None = None) -> NDArray:
    """Map (T, 203, 3) keypoints (zeros or NaN = missing) onto raw (T, 184, 4) landmarks."""
    pts = np.asarray(points, dtype=np.float32)
    if pts.ndim != 3 or pts.shape[1:] != (203, 3):
        raise DatasetError(f"expected (T, 203, 3) keypoints, got {pts.shape}")
    out = np.zeros((len(pts), N_LANDMARKS, N_CHANNELS), dtype=np.float32)

    def present(block: NDArray) -> NDArray:
        return np.isfinite(block).all(axis=(-1, -2)) & np.any(block != 0, axis=(-1, -2))

    pose = pts[:, [_P203_POSE + i for i in POSE_INDICES]]
    ok = present(pose)
    if pose_visibility is not None:
        vis = np.asarray(pose_visibility, dtype=np.float32)[:, list(POSE_INDICES)]
    else:
        vis = fill_pose_visibility(np.nan_to_num(pose[..., :2], nan=-1.0))
    out[ok, POSE_ROWS, :3] = pose[ok]
    out[ok, POSE_ROWS, VIS] = vis[ok]

    face = pts[:, _FACE_SRC]
    ok = present(face)
    out[np.ix_(ok, _FACE_DST, [0, 1, 2])] = face[ok]
    out[np.ix_(ok, _FACE_DST, [VIS])] = 1.0
    fill_iris(out)

    for src, rows in ((_P203_RIGHT, RIGHT_HAND_ROWS), (_P203_LEFT, LEFT_HAND_ROWS)):
        hand = pts[:, src:src + 21]
        ok = present(hand)
        out[ok, rows, :3] = hand[ok]
        out[ok, rows, VIS] = 1.0
    return out


# --- adapters ---------------------------------------------------------------------------------


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


_KARSL_NAME = re.compile(r"^(?P<chapter>\d{2})_(?P<signer>\d{2})_(?P<sign>\d{4})_\((?P<stamp>[^)]*)\)_c\.mp4$")
_KARSL_FOLDER = re.compile(r"^(?P<signer>\d{2})-(?P<split>train|test)-mp4s$")
KARSL_LABELS_FILE = "KARSL-502_Labels.json"


def _karsl_files(root: Path) -> list[Path]:
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
        for path in _karsl_files(self.root):
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


def resample_to_timeline(frames: NDArray, numbers: NDArray) -> NDArray:
    """Place stored frames at their original frame numbers and fill every frame in between."""
    numbers = np.asarray(numbers, dtype=np.float64)
    if len(numbers) < 2 or np.any(np.diff(numbers) <= 0):
        return frames
    return interpolate_frames(frames, numbers, np.arange(numbers[0], numbers[-1] + 1))


def interpolate_frames(frames: NDArray, src_t: NDArray, dst_t: NDArray) -> NDArray:
    """Landmarks at times ``dst_t`` from frames at increasing times ``src_t``.

    A part present in both neighbouring frames is interpolated linearly; otherwise the
    nearer frame is repeated, so a hand never slides in from (0, 0) and a missing part
    stays missing.
    """
    frames = np.asarray(frames, dtype=np.float32)
    src_t = np.asarray(src_t, dtype=np.float64)
    dst_t = np.clip(np.asarray(dst_t, dtype=np.float64), src_t[0], src_t[-1])
    if len(frames) == 1:
        return np.repeat(frames, len(dst_t), axis=0)
    hi = np.clip(np.searchsorted(src_t, dst_t, side="left"), 1, len(src_t) - 1)
    lo = hi - 1
    w = ((dst_t - src_t[lo]) / (src_t[hi] - src_t[lo])).astype(np.float32)
    a, b = frames[lo], frames[hi]
    out = np.where(w[:, None, None] < 0.5, a, b)
    for part, rows in PARTS.items():
        both = np.flatnonzero(part_present(a, part) & part_present(b, part))
        wb = w[both, None, None]
        out[both, rows] = a[both, rows] * (1 - wb) + b[both, rows] * wb
    return out


class _NpzDataset(Dataset):
    """Keypoint datasets: one ``.npz`` per signer, mapped through :func:`from_203`."""

    kind = "keypoints"
    language = "asl"

    def _open(self, path: Path):
        try:
            return np.load(path)
        except (OSError, ValueError) as exc:
            raise DatasetError(f"{path}: not a readable .npz file ({exc})") from None

    def load(self, clips=None, cache_dir=None, workers=2, progress=True) -> Loaded:
        clips = self.clips() if clips is None else list(clips)
        loaded = Loaded([])
        by_file: dict[Path, list[ClipRef]] = {}
        for ref in clips:
            by_file.setdefault(ref.path, []).append(ref)
        for path, refs in by_file.items():
            with self._open(path) as z:
                for ref in refs:
                    try:
                        points, vis = self._points(z, ref)
                    except (KeyError, ValueError, IndexError) as exc:
                        loaded.skipped[ref.clip_id] = f"unreadable ({exc})"
                        continue
                    if not len(points):
                        loaded.skipped[ref.clip_id] = "no frames"
                        continue
                    loaded.examples.append(Example(ref, from_203(points, vis)))
        return loaded

    def _points(self, z, ref: ClipRef) -> tuple[NDArray, NDArray | None]:  # pragma: no cover
        raise NotImplementedError


class MPData(_NpzDataset):
    """MP_Data-style keypoints: ``<person>.npz`` with ``<sign>`` (n, 30, 203, 3) arrays."""

    layout = "mpdata"
    family = "mpdata"
    VIS_SUFFIX = "__pose_visibility"

    def _scan(self) -> Iterable[ClipRef]:
        for path in sorted(self.root.glob("*.npz")):
            person = path.stem
            with self._open(path) as z:
                for key in z.files:
                    if key.endswith(self.VIS_SUFFIX):
                        continue
                    n = z[key].shape[0]
                    for i in range(n):
                        yield ClipRef(f"{person}/{key}/{i:03d}", canonical_sign(key), f"mpdata-{person}", None,
                                      path, key, i)

    def _points(self, z, ref: ClipRef) -> tuple[NDArray, NDArray | None]:
        vis_key = ref.source_label + self.VIS_SUFFIX
        vis = z[vis_key][ref.index] if vis_key in z.files else None
        return z[ref.source_label][ref.index], vis


class GISLR(_NpzDataset):
    """GISLR keypoints: ``participant_<id>.npz`` with all clips concatenated + offsets."""

    layout = "gislr"
    family = "gislr"

    def _scan(self) -> Iterable[ClipRef]:
        for path in sorted(self.root.glob("participant_*.npz")):
            with self._open(path) as z:
                try:
                    signs, seqs = z["sign"], z["sequence_id"]
                    person = str(z["participant_id"]) if "participant_id" in z.files else path.stem.split("_", 1)[1]
                except KeyError as exc:
                    raise DatasetError(f"{path}: GISLR file without {exc}") from None
            for i, (sign, seq) in enumerate(zip(signs, seqs)):
                yield ClipRef(f"{person}/{int(seq)}", canonical_sign(str(sign)), f"gislr-{person}", None,
                              path, str(sign), i)

    def _points(self, z, ref: ClipRef) -> tuple[NDArray, NDArray | None]:
        off = z["offsets"]
        return z["landmarks"][off[ref.index]:off[ref.index + 1]], None


# --- layout detection ---------------------------------------------------------------------------


def detect_layout(root: str | Path) -> str:
    """The layout name of a folder, from its files."""
    root = Path(root)
    if not root.exists():
        raise DatasetError(f"{root}: no such folder")
    if not root.is_dir():
        raise DatasetError(f"{root}: is a file, not a dataset folder")
    if _karsl_files(root):
        manifest = root / KArSLWalead.MANIFEST
        if manifest.is_file():
            with open(manifest, encoding="utf-8", errors="replace") as fh:
                if "original_frame_numbers" in fh.readline():
                    return KArSLWalead.layout
        return KArSLVideo.layout
    npz = sorted(root.glob("*.npz"))
    if any(p.name.startswith("participant_") for p in npz):
        return GISLR.layout
    for path in npz:
        try:
            with np.load(path) as z:
                keys = set(z.files)
        except (OSError, ValueError):
            continue
        if any(k + MPData.VIS_SUFFIX in keys for k in keys):
            return MPData.layout
    raise DatasetError(
        f"{root}: not a known dataset layout (expected KArSL NN-train-mp4s/NN-test-mp4s clips, "
        "MP_Data <person>.npz or GISLR participant_<id>.npz files)"
    )


LAYOUTS: dict[str, type[Dataset]] = {
    cls.layout: cls for cls in (KArSLVideo, KArSLWalead, MPData, GISLR)
}


def open_dataset(root: str | Path) -> Dataset:
    """The adapter for a folder, picked from its layout."""
    root = Path(root).expanduser()
    return LAYOUTS[detect_layout(root)](root)
