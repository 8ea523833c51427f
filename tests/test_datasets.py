"""Dataset adapters on the real folders in ../shared/data and on partial copies of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from signdesk.tools.datasets import (
    CONTOUR_203,
    IRIS_OFFSETS,
    DatasetError,
    canonical_sign,
    detect_layout,
    fill_iris,
    fit_iris_offsets,
    from_203,
    open_dataset,
    resample_to_timeline,
)
from signdesk.landmarks import (
    FACE_INDICES,
    LEFT_HAND_ROWS,
    LEFT_IRIS_ROWS,
    LEFT_EYE_ROWS,
    RIGHT_EYE_ROWS,
    RIGHT_HAND_ROWS,
    RIGHT_IRIS_ROWS,
    part_present,
)
from conftest import GISLR, KARSL_SAMPLE, KARSL_WALEAD, MPDATA, need


@pytest.mark.parametrize(
    ("folder", "layout", "n_clips", "n_signs", "n_signers"),
    [
        (KARSL_SAMPLE, "karsl-video", 126, 70, 1),
        (KARSL_WALEAD, "karsl-walead", 601, 12, 2),
        (MPDATA, "mpdata", 2820, 23, 19),
        (GISLR, "gislr", 670, 2, 19),
        (MPDATA.parent / "mpdata-holistic-multisigner-2", "mpdata", 2367, 32, 21),
        (MPDATA.parent / "mpdata-noface-multisigner", "mpdata", 510, 15, 2),
    ],
)
def test_shared_folders_are_recognised(folder: Path, layout: str, n_clips: int, n_signs: int, n_signers: int) -> None:
    ds = open_dataset(need(folder))
    assert ds.layout == layout
    assert (len(ds.clips()), len(ds.labels()), len(ds.signers())) == (n_clips, n_signs, n_signers)
    assert len({c.clip_id for c in ds.clips()}) == n_clips


def test_karsl_clip_fields_come_from_the_file_name() -> None:
    ds = open_dataset(need(KARSL_SAMPLE))
    clip = next(c for c in ds.clips() if c.clip_id.startswith("02_01_0041_") and "train" in str(c.path))
    assert (clip.label, clip.signer, clip.split) == ("0041", "karsl-01", "train")
    assert ds.label_info("0041") == {"name": "ر", "gloss": "raa", "id": "0041"}  # label index 40
    assert ds.label_info("0006") == {"name": "خمسة", "gloss": "5", "id": "0006"}


def _partial_copy(src: Path, dst: Path, subfolder: str, n: int) -> list[Path]:
    (dst / subfolder).mkdir(parents=True)
    files = sorted((src / subfolder).glob("*.mp4"))[:n]
    for f in files:
        (dst / subfolder / f.name).symlink_to(f)
    return files


def test_partial_walead_copy_without_manifest_or_labels_still_loads(tmp_path: Path) -> None:
    """Only one NN-test-mp4s folder, no manifest.csv, no labels json: plain KArSL layout."""
    files = _partial_copy(need(KARSL_WALEAD), tmp_path, "02-test-mp4s", 2)
    ds = open_dataset(tmp_path)
    assert ds.layout == "karsl-video"
    assert [c.signer for c in ds.clips()] == ["karsl-02", "karsl-02"]
    assert {c.split for c in ds.clips()} == {"test"}
    assert ds.label_info(ds.clips()[0].label)["id"] == files[0].name.split("_")[2]


def test_a_new_signer_folder_is_parsed(tmp_path: Path) -> None:
    """Clips of a signer the shared data does not have (03) keep their own signer id."""
    src = sorted(need(KARSL_WALEAD / "01-test-mp4s").glob("*.mp4"))[0]
    (tmp_path / "03-test-mp4s").mkdir()
    (tmp_path / "03-test-mp4s" / src.name.replace("_01_", "_03_", 1)).symlink_to(src)
    ds = open_dataset(tmp_path)
    assert ds.signers() == ["karsl-03"]
    # pointing at the clip folder itself also works (split unknown then)
    inner = open_dataset(tmp_path / "03-test-mp4s")
    assert inner.clips()[0].label == ds.clips()[0].label


def test_walead_clips_are_resampled_onto_their_original_timeline(tmp_path: Path) -> None:
    folder = need(KARSL_WALEAD)
    shutil.copy(folder / "manifest.csv", tmp_path / "manifest.csv")
    _partial_copy(folder, tmp_path, "01-test-mp4s", 1)
    ds = open_dataset(tmp_path)
    assert ds.layout == "karsl-walead"
    (ex,) = ds.load(workers=1, progress=False).examples
    import csv

    with open(folder / "manifest.csv", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["file"].endswith(ex.ref.clip_id))
    numbers = np.array(row["original_frame_numbers"].split(), dtype=int)
    assert ex.sparse is not None and len(ex.sparse) == 18
    assert len(ex.frames) == numbers[-1] - numbers[0] + 1
    # every stored frame sits, unchanged, at its original frame number
    np.testing.assert_array_equal(ex.frames[numbers - numbers[0]], ex.sparse)


def test_resampling_interpolates_only_parts_present_on_both_sides() -> None:
    frames = np.zeros((2, 184, 4), dtype=np.float32)
    frames[0, RIGHT_HAND_ROWS], frames[1, RIGHT_HAND_ROWS] = 1.0, 3.0
    frames[0, LEFT_HAND_ROWS] = 5.0  # left hand only in the first frame
    out = resample_to_timeline(frames, np.array([10, 14]))
    assert out.shape == (5, 184, 4)
    np.testing.assert_allclose(out[:, RIGHT_HAND_ROWS.start, 0], [1.0, 1.5, 2.0, 2.5, 3.0])
    # the left hand is repeated from the nearer frame, never blended with "missing" (zeros)
    np.testing.assert_array_equal(out[:, LEFT_HAND_ROWS.start, 0], [5.0, 5.0, 0.0, 0.0, 0.0])


def test_sign_names_that_mean_the_same_sign_share_a_label() -> None:
    assert canonical_sign("thanks") == canonical_sign("thankyou") == canonical_sign("Thank You") == "thankyou"
    ds = open_dataset(need(MPDATA))
    people = {c.signer for c in ds.clips() if c.label == "thankyou"}
    assert "mpdata-AkashSharma095" in people  # recorded as "thanks"
    assert "mpdata-hirak214" in people  # recorded as "thankyou"
    assert "thanks" not in ds.labels()


def test_measured_and_certain_aliases_pool_names_and_guesses_stay_apart() -> None:
    assert canonical_sign("thank-you") == "thankyou" and canonical_sign("bye") == "goodbye"
    assert canonical_sign("howare") == "howare" and canonical_sign("whatquestion") == "whatquestion"
    part2 = open_dataset(need(MPDATA.parent / "mpdata-holistic-multisigner-2"))
    assert "mpdata-techgeekshinobi" in {c.signer for c in part2.clips() if c.label == "goodbye"}  # recorded as "bye"
    assert "bye" not in part2.labels()


def test_sequences_of_any_length_load_whole() -> None:
    """Part 2's people recorded 15, 20, 30 or 60 frames per sequence; each clip keeps all of them."""
    ds = open_dataset(need(MPDATA.parent / "mpdata-holistic-multisigner-2"))
    want = {"mpdata-daita-sur": 15, "mpdata-techgeekshinobi": 20, "mpdata-chetanyamahana": 60, "mpdata-krheng14": 30}
    picked = [next(c for c in ds.clips() if c.signer == s) for s in want]
    loaded = ds.load(picked, progress=False)
    assert {e.ref.signer: len(e.frames) for e in loaded.examples} == want
    from signdesk.windowing import window_of

    assert all(window_of(e.frames).shape == (50, 736) for e in loaded.examples)


def test_the_face_less_folder_loads_with_the_face_not_detected() -> None:
    """Its face rows were never recorded: they must reach the model as "no face", never as a face at 0,0."""
    ds = open_dataset(need(MPDATA.parent / "mpdata-noface-multisigner"))
    loaded = ds.load([c for c in ds.clips()][::25], progress=False)
    assert loaded.examples and not loaded.skipped
    for e in loaded.examples:
        assert not part_present(e.frames, "face").any()
        assert part_present(e.frames, "pose").all()
    frames = np.concatenate([e.frames for e in loaded.examples])
    assert (part_present(frames, "left_hand") | part_present(frames, "right_hand")).mean() > 0.2  # as SOURCE.md


def test_203_point_files_map_onto_the_layout() -> None:
    rng = np.random.default_rng(0)
    pts = rng.uniform(0.2, 0.8, (3, 203, 3)).astype(np.float32)
    vis = rng.uniform(0, 1, (3, 33)).astype(np.float32)
    pts[1, 161:182] = 0.0  # left hand missing (MP_Data style)
    pts[2, 182:203] = np.nan  # right hand missing (GISLR style)
    out = from_203(pts, vis)
    np.testing.assert_array_equal(out[:, 0:6, :3], pts[:, 11:17])
    np.testing.assert_array_equal(out[:, 0:6, 3], vis[:, 11:17])
    np.testing.assert_array_equal(out[0, LEFT_HAND_ROWS, :3], pts[0, 161:182])
    np.testing.assert_array_equal(out[0, RIGHT_HAND_ROWS, :3], pts[0, 182:203])
    assert not part_present(out[1], "left_hand") and part_present(out[1], "right_hand")
    assert not part_present(out[2], "right_hand") and part_present(out[2], "left_hand")
    mesh = FACE_INDICES.index(61)
    np.testing.assert_array_equal(out[0, 6 + mesh, :3], pts[0, 33 + CONTOUR_203.index(61)])
    assert np.all(out[:, RIGHT_IRIS_ROWS + LEFT_IRIS_ROWS, 3] == 1.0)  # filled, marked as detected


def test_gislr_pose_visibility_is_filled_from_image_bounds() -> None:
    ds = open_dataset(need(GISLR))
    (ex,) = ds.load(ds.clips()[:1], progress=False).examples
    vis = ex.frames[:, 0:6, 3]
    inside = np.all((ex.frames[:, 0:6, :2] >= 0) & (ex.frames[:, 0:6, :2] <= 1), axis=-1)
    assert np.all(vis[inside] == 1.0) and np.all(vis[~inside] < 0.5)


def test_iris_fill_lands_near_the_real_iris(karsl_features: np.ndarray) -> None:
    """On a real refined-mesh clip: the fill is within a fifth of an eye width of the truth."""
    real = karsl_features[part_present(karsl_features, "face")]
    filled = fill_iris(real.copy())
    width = np.linalg.norm(real[:, list(LEFT_EYE_ROWS), :2].mean(1) - real[:, list(RIGHT_EYE_ROWS), :2].mean(1), axis=-1)
    rows = list(RIGHT_IRIS_ROWS + LEFT_IRIS_ROWS)
    err = np.linalg.norm(filled[:, rows, :2] - real[:, rows, :2], axis=-1) / width[:, None]
    assert err.mean() < 0.1, err.mean()
    # and the constants are what the fit gives (within gaze variation on one clip)
    refit = fit_iris_offsets(real)
    for eye in ("left", "right"):
        assert np.abs(refit[eye] - IRIS_OFFSETS[eye]).max() < 0.1


def test_unknown_folders_get_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such folder"):
        detect_layout(tmp_path / "missing")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(DatasetError, match="is a file"):
        detect_layout(tmp_path / "notes.txt")
    with pytest.raises(DatasetError, match="not a known dataset layout"):
        detect_layout(tmp_path)
    (tmp_path / "broken.npz").write_bytes(b"not a zip")
    with pytest.raises(DatasetError, match="not a known dataset layout"):
        detect_layout(tmp_path)
