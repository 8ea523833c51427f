"""Keypoint datasets (MP_Data, GISLR): one ``.npz`` per signer of 203-point MediaPipe keypoints.

They add signers the KArSL videos lack, but hold keypoints rather than video, so every clip is
mapped onto the app's layout by :func:`~signdesk.tools.datasets.fills.from_203` instead of
going through the extractor.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import numpy as np

from signdesk.tools.datasets.base import ClipRef, Dataset, DatasetError, Example, Loaded, canonical_sign
from signdesk.tools.datasets.fills import from_203

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray


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
