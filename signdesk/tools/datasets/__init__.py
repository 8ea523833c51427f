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

The package is split by concern: :mod:`.base` (clips and the adapter interface),
:mod:`.fills` (mapping keypoint sources onto the layout, iris and visibility fills, time
resampling; ``docs/training.md`` measures what the fills cost), :mod:`.karsl` (video
folders) and :mod:`.keypoints` (``.npz`` folders). Every public name is re-exported here.

This package is numpy-only (no torch): training and ``signdesk evaluate`` share it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from signdesk.tools.datasets.base import (
    ASL_NAMES,
    SIGN_ALIASES,
    ClipRef,
    Dataset,
    DatasetError,
    Example,
    Loaded,
    canonical_sign,
)
from signdesk.tools.datasets.fills import (
    CONTOUR_203,
    IRIS_OFFSETS,
    OFFSCREEN_VISIBILITY,
    eye_frame,
    fill_iris,
    fill_pose_visibility,
    fit_iris_offsets,
    from_203,
    interpolate_frames,
    resample_to_timeline,
)
from signdesk.tools.datasets.karsl import ARABIC_NUMBER_WORDS, KARSL_LABELS_FILE, KArSLVideo, KArSLWalead, karsl_files
from signdesk.tools.datasets.keypoints import GISLR, MPData

__all__ = [
    "ARABIC_NUMBER_WORDS", "ASL_NAMES", "CONTOUR_203", "GISLR", "IRIS_OFFSETS", "KARSL_LABELS_FILE", "LAYOUTS",
    "OFFSCREEN_VISIBILITY", "SIGN_ALIASES", "ClipRef", "Dataset", "DatasetError", "Example", "KArSLVideo",
    "KArSLWalead", "Loaded", "MPData", "canonical_sign", "detect_layout", "eye_frame", "fill_iris",
    "fill_pose_visibility", "fit_iris_offsets", "from_203", "interpolate_frames", "open_dataset",
    "resample_to_timeline",
]


def detect_layout(root: str | Path) -> str:
    """The layout name of a folder, from its files."""
    root = Path(root)
    if not root.exists():
        raise DatasetError(f"{root}: no such folder")
    if not root.is_dir():
        raise DatasetError(f"{root}: is a file, not a dataset folder")
    if karsl_files(root):
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
