"""The feature layout, the extractor on real clips, and normalization."""

from __future__ import annotations

import numpy as np
import pytest

from signdesk import landmarks as L


def test_face_indices_are_the_union_of_mediapipe_contours_and_irises():
    from mediapipe.python.solutions import face_mesh_connections as fmc

    union = sorted({i for edge in fmc.FACEMESH_CONTOURS | fmc.FACEMESH_IRISES for i in edge})
    assert len(union) == 136
    assert list(L.FACE_INDICES) == union
    assert max(L.FACE_INDICES) < 478  # refined mesh (irises are 468-477)


def test_layout_counts_and_rows():
    assert (L.N_POSE, L.N_FACE, L.HAND_POINTS) == (6, 136, 21)
    assert L.N_LANDMARKS == 184 and L.N_CHANNELS == 4 and L.FEATURE_DIM == 736
    rows = [r for s in L.PARTS.values() for r in range(s.start, s.stop)]
    assert rows == list(range(184)), "parts must tile the 184 rows in order"
    assert list(L.PARTS) == ["pose", "face", "right_hand", "left_hand"]
    assert L.POSE_INDICES == (11, 12, 13, 14, 15, 16)
    for eye in (L.LEFT_EYE_ROWS, L.RIGHT_EYE_ROWS, L.LEFT_IRIS_ROWS, L.RIGHT_IRIS_ROWS):
        assert all(L.FACE_ROWS.start <= r < L.FACE_ROWS.stop for r in eye)


def test_overlay_connections_stay_inside_the_layout():
    segments = L.overlay_connections()
    assert len(segments) == 5 + 124 + 2 * 21
    assert all(0 <= a < 184 and 0 <= b < 184 for a, b in segments)


def test_extractor_on_a_real_clip(karsl_features):
    feats = karsl_features
    assert feats.dtype == np.float32 and feats.ndim == 3 and feats.shape[1:] == (184, 4)
    assert len(feats) >= 10
    present = {part: L.part_present(feats, part) for part in L.PARTS}
    # The signer faces the camera with the right hand up throughout this clip.
    assert present["pose"].all() and present["face"].all()
    assert present["right_hand"].mean() > 0.9
    # Detected face/hand points have visibility 1; pose visibility is MediaPipe's, in [0, 1].
    assert np.all(feats[present["face"]][:, L.FACE_ROWS, L.VIS] == 1.0)
    assert np.all(feats[present["right_hand"]][:, L.RIGHT_HAND_ROWS, L.VIS] == 1.0)
    assert np.all((feats[:, L.POSE_ROWS, L.VIS] >= 0) & (feats[:, L.POSE_ROWS, L.VIS] <= 1))
    xy = feats[present["face"]][:, L.FACE_ROWS, :2]
    assert np.all((xy > 0) & (xy < 1)), "face points are normalized image coordinates"


def test_missing_parts_are_all_zeros(karsl_features):
    feats = karsl_features
    no_left = ~L.part_present(feats, "left_hand")
    assert no_left.any(), "this clip is one-handed: the left hand is missing in some frames"
    assert np.all(feats[no_left][:, L.LEFT_HAND_ROWS] == 0)


def test_a_frame_with_no_person_is_all_zeros():
    blank = np.full((240, 320, 3), 90, dtype=np.uint8)
    with L.LandmarkExtractor() as extractor:
        out = extractor.process(blank)
    assert out.shape == (184, 4) and out.dtype == np.float32
    assert not np.any(out)
    assert not L.detection_of(out).person


def test_extractor_rejects_a_bad_frame():
    with L.LandmarkExtractor() as extractor:
        with pytest.raises(L.ExtractorError, match="colour channels"):
            extractor.process(np.zeros((10, 10, 2), dtype=np.uint8))  # (grey and BGRA are converted)
    with pytest.raises(L.ExtractorError, match="closed"):
        extractor.process(np.zeros((10, 10, 3), dtype=np.uint8))


def test_right_hand_rows_hold_the_signers_right_hand(karsl_features):
    """MediaPipe's right hand is the one on the pose model's right wrist (pose 16)."""
    feats = karsl_features[L.part_present(karsl_features, "right_hand")]
    wrist = feats[:, L.RIGHT_HAND_ROWS.start, :2]
    to_right = np.linalg.norm(wrist - feats[:, L.POSE_RIGHT_WRIST_ROW, :2], axis=1)
    to_left = np.linalg.norm(wrist - feats[:, L.POSE_LEFT_WRIST_ROW, :2], axis=1)
    assert np.median(to_right) < 0.05
    assert np.all(to_right < to_left)
    # Unmirrored frame: the signer's right hand appears on the image's left half.
    assert np.median(wrist[:, 0]) < 0.5


def test_downscaling_before_holistic_keeps_normalized_coordinates(karsl_clip):
    import cv2

    from signdesk.capture import VideoFile

    with VideoFile(karsl_clip) as video:
        image = video.read().image
    big = cv2.resize(image, (768, 768), interpolation=cv2.INTER_LINEAR)
    with L.LandmarkExtractor(static=True) as full, L.LandmarkExtractor(static=True, max_side=256) as small:
        a, b = full.process(big), small.process(big)
    both = L.part_present(a, "face") and L.part_present(b, "face")
    assert both
    assert np.abs(a[L.FACE_ROWS, :2] - b[L.FACE_ROWS, :2]).max() < 0.02


def test_without_the_refined_mesh_only_the_iris_rows_stay_zero(karsl_clip):
    from signdesk.capture import VideoFile

    with VideoFile(karsl_clip) as video:
        image = video.read().image
    with L.LandmarkExtractor(static=True) as refined, L.LandmarkExtractor(static=True, refine_face=False) as plain:
        a, b = refined.process(image), plain.process(image)
    iris = list(L.LEFT_IRIS_ROWS + L.RIGHT_IRIS_ROWS)
    assert L.part_present(a, "face") and np.all(a[iris, 3] == 1.0)
    assert np.all(b[iris] == 0.0)
    rest = [r for r in range(L.FACE_ROWS.start, L.FACE_ROWS.stop) if r not in iris]
    assert np.all(b[rest, 3] == 1.0) and np.abs(a[rest, :2] - b[rest, :2]).max() < 0.02


# --- normalization ---------------------------------------------------------------------------


def _moved(frames: np.ndarray, shift: tuple[float, float], scale: float) -> np.ndarray:
    """The same scene shifted and zoomed in the image (missing parts stay zero)."""
    out = frames.copy()
    present = np.any(frames[..., :3] != 0, axis=-1)
    out[..., 0] = np.where(present, frames[..., 0] * scale + shift[0], 0)
    out[..., 1] = np.where(present, frames[..., 1] * scale + shift[1], 0)
    out[..., 2] = np.where(present, frames[..., 2] * scale, 0)
    return out


def test_normalize_is_invariant_to_translation_and_scale(karsl_features):
    base = L.normalize(karsl_features)
    for shift, scale in (((0.1, -0.05), 1.0), ((0.0, 0.0), 0.6), ((-0.2, 0.13), 1.7)):
        moved = L.normalize(_moved(karsl_features, shift, scale))
        np.testing.assert_allclose(moved, base, atol=2e-4)


def test_normalize_centres_and_scales_each_part(karsl_features):
    n = L.normalize(karsl_features)
    pose = n[:, L.POSE_ROWS]
    np.testing.assert_allclose((pose[:, 0, :2] + pose[:, 1, :2]) / 2, 0, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(pose[:, 0, :2] - pose[:, 1, :2], axis=1), 1, atol=1e-5)
    eyes = (n[:, L.LEFT_EYE_ROWS, :2].mean(1), n[:, L.RIGHT_EYE_ROWS, :2].mean(1))
    np.testing.assert_allclose((eyes[0] + eyes[1]) / 2, 0, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(eyes[0] - eyes[1], axis=1), 1, atol=1e-5)
    has = L.part_present(karsl_features, "right_hand")
    hand = n[has][:, L.RIGHT_HAND_ROWS]
    np.testing.assert_allclose(hand[:, 0, :3], 0, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(hand[:, 9, :2], axis=1), 1, atol=1e-5)
    # visibility is untouched
    np.testing.assert_array_equal(n[..., L.VIS], karsl_features[..., L.VIS])


def test_normalize_keeps_zeros_zero_and_is_pure(karsl_features):
    frame = karsl_features[0].copy()
    frame[L.LEFT_HAND_ROWS] = 0
    frame[L.FACE_ROWS] = 0
    before = frame.copy()
    n = L.normalize(frame)
    np.testing.assert_array_equal(frame, before)
    assert not np.any(n[L.LEFT_HAND_ROWS]) and not np.any(n[L.FACE_ROWS])
    assert np.any(n[L.RIGHT_HAND_ROWS])
    assert not np.any(L.normalize(np.zeros((3, 184, 4), np.float32)))


def test_normalize_rejects_a_wrong_shape():
    with pytest.raises(ValueError, match="184, 4"):
        L.normalize(np.zeros((10, 736), np.float32))


def test_resize_nearest_keeps_whole_pixels_and_the_layout():
    """The resize used where OpenCV is missing (the installers): size (w, h), pixels taken as they are."""
    image = np.arange(6 * 8 * 3, dtype=np.uint16).reshape(6, 8, 3).astype(np.uint8)
    small = L.resize_nearest(image, (4, 3))
    assert small.shape == (3, 4, 3) and small.flags.c_contiguous
    np.testing.assert_array_equal(small, image[1::2, 1::2])  # halving takes every other pixel
    large = L.resize_nearest(image, (16, 12))
    np.testing.assert_array_equal(large[::2, ::2], image)
