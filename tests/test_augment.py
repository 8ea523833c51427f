"""Augmentation: the mirror map (derived from real faces), flip equivariance, the random changes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from signdesk.landmarks import (
    FACE_INDICES,
    FACE_ROWS,
    LEFT_EYE_ROWS,
    LEFT_HAND_ROWS,
    RIGHT_EYE_ROWS,
    RIGHT_HAND_ROWS,
    FACE_MIRROR,
    mirror_rows,
    normalize,
    part_present,
)
from signdesk.train.augment import (
    AugmentConfig,
    augment,
    derive_face_mirror,
    flip,
    spatial,
    temporal,
)


def _mesh_mirror() -> dict[int, int]:
    return {FACE_INDICES[i]: FACE_INDICES[j] for i, j in enumerate(FACE_MIRROR)}


def test_face_mirror_table_is_rederived_from_a_real_clip(karsl_features: np.ndarray) -> None:
    assert derive_face_mirror(karsl_features) == FACE_MIRROR


def test_face_mirror_is_an_involution_with_the_known_facemesh_pairs() -> None:
    table = np.asarray(FACE_MIRROR)
    assert sorted(table) == list(range(len(FACE_INDICES)))
    np.testing.assert_array_equal(table[table], np.arange(len(table)))
    m = _mesh_mirror()
    for a, b in [(33, 263), (133, 362), (61, 291), (234, 454), (127, 356), (70, 300), (159, 386),
                 (145, 374), (469, 476), (471, 474), (470, 475), (472, 477)]:
        assert m[a] == b and m[b] == a
    for midline in (0, 10, 13, 14, 17, 152):
        assert m[midline] == midline
    right_eye = {FACE_INDICES[r - FACE_ROWS.start] for r in RIGHT_EYE_ROWS}
    left_eye = {FACE_INDICES[r - FACE_ROWS.start] for r in LEFT_EYE_ROWS}
    assert {m[i] for i in right_eye} == left_eye


def test_a_bad_derivation_fails_loudly() -> None:
    with pytest.raises(ValueError, match="at least 5 frames"):
        derive_face_mirror(np.zeros((3, 184, 4), dtype=np.float32))


def test_mirror_rows_swap_pose_pairs_and_hands() -> None:
    perm = mirror_rows()
    np.testing.assert_array_equal(perm[:6], [1, 0, 3, 2, 5, 4])
    np.testing.assert_array_equal(perm[RIGHT_HAND_ROWS], np.arange(LEFT_HAND_ROWS.start, LEFT_HAND_ROWS.stop))
    np.testing.assert_array_equal(perm[LEFT_HAND_ROWS], np.arange(RIGHT_HAND_ROWS.start, RIGHT_HAND_ROWS.stop))


def test_flip_twice_is_identity_and_commutes_with_normalize(karsl_features: np.ndarray) -> None:
    raw = karsl_features
    np.testing.assert_allclose(flip(flip(raw)), raw, atol=1e-6)
    # normalize(flip(raw)) == mirror of normalize(raw): x negated, rows permuted
    expected = normalize(raw)[:, mirror_rows()]
    expected[..., 0] *= -1
    np.testing.assert_allclose(normalize(flip(raw)), expected, atol=1e-4)
    # a real flip moves the signing hand to the other hand's rows
    assert part_present(raw, "right_hand").sum() == part_present(flip(raw), "left_hand").sum()


def test_flipped_face_looks_like_a_face(karsl_features: np.ndarray) -> None:
    """A face is nearly symmetric, so its mirror image (through the table) lies on itself."""
    face = normalize(karsl_features)[:, FACE_ROWS, :2].mean(0)
    mirrored = normalize(flip(karsl_features))[:, FACE_ROWS, :2].mean(0)
    good = np.abs(face - mirrored).mean()
    assert good < 0.4 * np.abs(face - face * [-1, 1]).mean()  # x mirrored with rows kept: wrong
    assert good < 0.5 * np.abs(face - mirrored[np.roll(np.arange(len(face)), 1)]).mean()


def test_off_config_changes_nothing(karsl_features: np.ndarray) -> None:
    rng = np.random.default_rng(0)
    np.testing.assert_allclose(augment(karsl_features, AugmentConfig.off(), rng), karsl_features, atol=1e-6)


def test_augment_is_reproducible_and_keeps_missing_parts_missing(karsl_features: np.ndarray) -> None:
    cfg = AugmentConfig()
    a = augment(karsl_features, cfg, np.random.default_rng(5))
    b = augment(karsl_features, cfg, np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)
    for seed in range(20):
        out = augment(karsl_features, cfg, np.random.default_rng(seed))
        assert out.shape[1:] == (184, 4) and len(out) >= 2
        for rows in (slice(0, 6), FACE_ROWS, RIGHT_HAND_ROWS, LEFT_HAND_ROWS):
            block = out[:, rows]
            present = np.any(block != 0, axis=(-1, -2))
            # a part is whole or absent in every frame, as the extractor gives it
            assert np.all(block[present][..., 3] > 0)


def test_speed_changes_the_clip_length(karsl_features: np.ndarray) -> None:
    t = len(karsl_features)
    off = AugmentConfig.off()
    slow = temporal(karsl_features, replace(off, speed=(0.5, 0.5)), np.random.default_rng(0))
    fast = temporal(karsl_features, replace(off, speed=(2.0, 2.0)), np.random.default_rng(0))
    assert len(slow) == round(t / 0.5) and len(fast) == round(t / 2.0)
    np.testing.assert_allclose(slow[0], karsl_features[0])
    np.testing.assert_allclose(slow[-1], karsl_features[-1])


def test_aspect_scale_is_anisotropic_and_survives_normalization(karsl_features: np.ndarray) -> None:
    off = AugmentConfig.off()
    wide = spatial(karsl_features, replace(off, aspect=(1.3, 1.3)), np.random.default_rng(0))
    n0, n1 = normalize(karsl_features), normalize(wide)
    hand = RIGHT_HAND_ROWS if part_present(karsl_features, "right_hand").any() else LEFT_HAND_ROWS
    ok = part_present(karsl_features, "right_hand" if hand is RIGHT_HAND_ROWS else "left_hand")
    spread0 = np.abs(n0[ok][:, hand, :2]).mean(axis=(0, 1))
    spread1 = np.abs(n1[ok][:, hand, :2]).mean(axis=(0, 1))
    ratio = (spread1[0] / spread1[1]) / (spread0[0] / spread0[1])
    assert ratio == pytest.approx(1.3, rel=0.05)
