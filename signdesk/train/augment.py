"""Landmark augmentation: make a few recordings look like many cameras, signers and speeds.

Works on *raw* (T, 184, 4) landmarks before :func:`~signdesk.landmarks.normalize`, so every
variant goes through the exact feature path of the app. numpy only.

What normalization already removes, and so is not worth augmenting: a global shift and an
isotropic scale (every part is centred and scaled by its own size). What it keeps, and is
augmented here: in-plane rotation, anisotropic x/y scale (webcams differ in aspect ratio and
landmark x/y are fractions of the frame's width/height), hand orientation, depth scale, point
jitter, speed (temporal resampling), dropped frames, trimmed starts/ends, parts MediaPipe
missed, and the mirror image (a left-handed signer).

The horizontal flip mirrors x, swaps the pose's left/right rows, swaps the two hand blocks
and maps every face point to its mirror point through :data:`~signdesk.landmarks.FACE_MIRROR`, derived from real
landmarks by :func:`derive_face_mirror` (``tests/test_augment.py`` re-derives it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from signdesk.deferred import defer_matplotlib
from signdesk.tools.datasets import interpolate_frames
from signdesk.landmarks import (
    FACE_INDICES,
    FACE_ROWS,
    LEFT_EYE_ROWS,
    LEFT_HAND_ROWS,
    N_CHANNELS,
    N_LANDMARKS,
    PARTS,
    RIGHT_EYE_ROWS,
    RIGHT_HAND_ROWS,
    VIS,
    X,
    Z,
    mirror_rows,
    part_present,
)

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

# --- the mirror map ---------------------------------------------------------------------------


def _face_shape(frames: NDArray) -> NDArray:
    """Mean face shape (136, 3), origin between the eyes, x along the eye axis, eye distance 1."""
    face = frames[:, FACE_ROWS, :3].astype(np.float64)
    right = frames[:, list(RIGHT_EYE_ROWS), :3].mean(axis=1)
    left = frames[:, list(LEFT_EYE_ROWS), :3].mean(axis=1)
    centre = (left + right) / 2
    axis = (left - right)[:, :2]
    scale = np.linalg.norm(axis, axis=-1, keepdims=True)
    u = axis / scale
    v = np.stack([-u[:, 1], u[:, 0]], axis=-1)
    rel = (face - centre[:, None, :]) / scale[:, None, :]
    aligned = np.stack([(rel[..., :2] * u[:, None, :]).sum(-1), (rel[..., :2] * v[:, None, :]).sum(-1),
                        rel[..., 2]], axis=-1)
    return aligned.mean(axis=0)


def _contour_chains() -> list[tuple[list[int], bool]]:
    """The face layout's points as chains of FaceMesh contour/iris edges: (positions, is_cycle)."""
    defer_matplotlib()
    from mediapipe.python.solutions import face_mesh_connections as fmc

    pos = {mesh: i for i, mesh in enumerate(FACE_INDICES)}
    adj: dict[int, set[int]] = {i: set() for i in range(len(FACE_INDICES))}
    for a, b in set(fmc.FACEMESH_CONTOURS) | set(fmc.FACEMESH_IRISES):
        adj[pos[a]].add(pos[b])
        adj[pos[b]].add(pos[a])
    chains, seen = [], set()
    for start in sorted(adj, key=lambda i: (len(adj[i]) != 1, i)):  # paths start at an end
        if start in seen:
            continue
        chain, prev, cur = [start], None, start
        seen.add(start)
        while True:
            nxt = [n for n in sorted(adj[cur]) if n != prev and n not in seen]
            if not nxt:
                break
            prev, cur = cur, nxt[0]
            chain.append(cur)
            seen.add(cur)
        chains.append((chain, len(adj[start]) == 2 and start in adj[cur]))
    return chains


def _pair_chains(chains: list[tuple[list[int], bool]], mirrored: NDArray, shape: NDArray) -> NDArray:
    """Map every chain onto its mirror chain (order-preserving), as a point table."""

    def best_map(a: int, b: int) -> tuple[float, list[int]]:
        """Cheapest order-preserving map of chain a onto chain b, and its cost."""
        (chain, cycle), (other, other_cycle) = chains[a], chains[b]
        if len(other) != len(chain) or other_cycle != cycle:
            return np.inf, []
        n = len(chain)
        candidates = [[other[(shift + step * k) % n] for k in range(n)] for step in (1, -1)
                      for shift in range(n)] if cycle else [other, other[::-1]]
        costs = [np.linalg.norm(mirrored[chain] - shape[t], axis=-1).sum() for t in candidates]
        return float(min(costs)), candidates[int(np.argmin(costs))]

    maps = {(a, b): best_map(a, b) for a in range(len(chains)) for b in range(len(chains))}
    pairs = sorted((maps[a, b][0] + maps[b, a][0], a, b) for a in range(len(chains)) for b in range(a, len(chains)))
    table = np.full(len(shape), -1)
    done: set[int] = set()
    for cost, a, b in pairs:  # pair chains greedily by the symmetric cost of the pairing
        if a in done or b in done or not np.isfinite(cost):
            continue
        chain = chains[a][0]
        table[chain] = maps[a, b][1]
        table[maps[a, b][1]] = chain  # b's map is the inverse of a's
        done |= {a, b}
    return table


def derive_face_mirror(frames: NDArray) -> tuple[int, ...]:
    """The FaceMesh left/right symmetry of the 136 face points, from real landmarks.

    The face points form chains (eye, lip, oval and iris cycles, eyebrow paths) in MediaPipe's
    own contour connections. A mirror must map each chain onto a chain of the same length and
    kind, preserving the order along it, so only a few candidate maps exist per chain (the
    rotations and reversals of a cycle, the two directions of a path). The mean face shape of
    ``frames`` (aligned to the eyes) is mirrored (x → -x); chains are paired, and each takes
    the candidate with the smallest distance to the mirrored shape; an affine fit of the
    mirrored shape onto its pairing then removes head yaw and the pairing is redone. Raises
    if the result is not an involution, so a bad derivation cannot pass silently.
    """
    frames = np.asarray(frames, dtype=np.float32).reshape(-1, N_LANDMARKS, N_CHANNELS)
    frames = frames[part_present(frames, "face")]
    if len(frames) < 5:
        raise ValueError("need at least 5 frames with a detected face")
    shape = _face_shape(frames)
    mirrored = shape * np.array([-1.0, 1.0, 1.0])
    chains = _contour_chains()
    table = _pair_chains(chains, mirrored, shape)
    for _ in range(3):  # undo head yaw/pitch: fit an affine map mirrored → paired shape, re-pair
        design = np.c_[mirrored, np.ones(len(shape))]
        affine, *_ = np.linalg.lstsq(design, shape[table], rcond=None)
        table = _pair_chains(chains, design @ affine, shape)
    if not np.array_equal(table[table], np.arange(len(table))):
        bad = [int(FACE_INDICES[i]) for i in np.flatnonzero(table[table] != np.arange(len(table)))]
        raise ValueError(f"face mirror pairing is not an involution at mesh points {bad}")
    return tuple(int(i) for i in table)


def flip(frames: NDArray) -> NDArray:
    """The mirror image of raw landmarks: x → 1 - x, left/right rows swapped. New array."""
    out = np.asarray(frames, dtype=np.float32)[..., mirror_rows(), :].copy()
    present = np.any(out != 0, axis=-1)
    out[..., X] = np.where(present, 1.0 - out[..., X], 0.0)
    return out


# --- the augmentation -------------------------------------------------------------------------


@dataclass(frozen=True)
class AugmentConfig:
    """Ranges of the random changes; ``AugmentConfig.off()`` changes nothing."""

    flip: float = 0.5  # probability of the mirror image
    rotate_deg: float = 12.0  # in-plane rotation, uniform ±
    hand_rotate_deg: float = 10.0  # extra in-plane rotation of each hand about its wrist
    hand_tilt_deg: float = 0.0  # 3-D yaw and pitch of each hand about its wrist (uses z)
    arm_scale: float = 0.15  # upper arm / forearm lengths ± (signers' proportions and reach differ)
    aspect: tuple[float, float] = (0.7, 1.35)  # x/y scale ratio, log-uniform
    z_scale: float = 0.2  # depth scale ±
    jitter: float = 0.002  # Gaussian point noise (image units)
    speed: tuple[float, float] = (0.7, 1.45)  # playback speed, log-uniform
    trim: float = 0.1  # up to this fraction cut from each end
    frame_drop: float = 0.08  # probability of dropping each frame
    hand_miss: float = 0.3  # probability that a clip has per-frame hand misses
    hand_miss_rate: float = 0.15  # share of frames a hand is missed in such a clip
    part_drop: float = 0.05  # probability of losing one hand for the whole clip
    face_drop: float = 0.6  # probability of losing the face for the whole clip (signer identity)
    pose_drop: float = 0.3  # probability of losing the pose for the whole clip (leans on the hands)

    @classmethod
    def off(cls) -> AugmentConfig:
        return cls(0.0, 0.0, 0.0, 0.0, 0.0, (1.0, 1.0), 0.0, 0.0, (1.0, 1.0), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def _log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi)))) if hi > lo else lo


def temporal(frames: NDArray, cfg: AugmentConfig, rng: np.random.Generator) -> NDArray:
    """Speed change by resampling, trimmed ends, dropped frames (at least 2 frames kept)."""
    t = len(frames)
    if t >= 4 and cfg.trim > 0:
        cut = int(t * cfg.trim)
        start, stop = rng.integers(0, cut + 1), t - rng.integers(0, cut + 1)
        frames = frames[start:stop]
    speed = _log_uniform(rng, *cfg.speed)
    if speed != 1.0 and len(frames) > 1:
        n = max(2, int(round(len(frames) / speed)))
        frames = interpolate_frames(frames, np.arange(len(frames)), np.linspace(0, len(frames) - 1, n))
    if cfg.frame_drop > 0 and len(frames) > 4:
        keep = rng.random(len(frames)) >= cfg.frame_drop
        keep[[0, -1]] = True
        frames = frames[keep]
    return frames


def _rotation(angle_deg: float) -> NDArray:
    a = np.deg2rad(angle_deg)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], dtype=np.float32)


def _hand_turn(roll: float, yaw: float, pitch: float) -> NDArray:
    """3-D rotation (degrees): in-plane roll, yaw about the image's vertical, pitch about its horizontal."""
    turn = np.eye(3, dtype=np.float32)
    for axes, angle in (((0, 1), roll), ((0, 2), yaw), ((1, 2), pitch)):
        r = np.eye(3, dtype=np.float32)
        r[np.ix_(axes, axes)] = _rotation(angle)
        turn = r @ turn
    return turn


def spatial(frames: NDArray, cfg: AugmentConfig, rng: np.random.Generator) -> NDArray:
    """Mirror, rotation, aspect ratio, hand rotation, depth scale, jitter (new array)."""
    out = flip(frames) if rng.random() < cfg.flip else np.array(frames, dtype=np.float32, copy=True)
    present = np.any(out != 0, axis=-1)  # (T, 184)
    xy = out[..., :2]
    for rows in (RIGHT_HAND_ROWS, LEFT_HAND_ROWS):
        wrist = out[:, rows.start, None, :3].copy()
        roll = rng.uniform(-cfg.hand_rotate_deg, cfg.hand_rotate_deg)
        yaw, pitch = rng.uniform(-cfg.hand_tilt_deg, cfg.hand_tilt_deg, 2)
        out[:, rows, :3] = (out[:, rows, :3] - wrist) @ _hand_turn(roll, yaw, pitch).T + wrist
    ratio = np.sqrt(_log_uniform(rng, *cfg.aspect))
    # one linear map about the image centre: rotate, then stretch x / squeeze y
    m = np.diag([ratio, 1.0 / ratio]).astype(np.float32) @ _rotation(rng.uniform(-cfg.rotate_deg, cfg.rotate_deg))
    xy[:] = (xy - 0.5) @ m.T + 0.5
    out[..., Z] *= 1.0 + rng.uniform(-cfg.z_scale, cfg.z_scale)
    if cfg.jitter > 0:
        out[..., :3] += rng.standard_normal(out[..., :3].shape, dtype=np.float32) * np.float32(cfg.jitter)
    out[~present] = 0.0
    return out


def dropout(frames: NDArray, cfg: AugmentConfig, rng: np.random.Generator) -> NDArray:
    """Parts MediaPipe misses: a hand in some frames, or the face / a hand for a whole clip."""
    for name in ("right_hand", "left_hand"):
        rows = PARTS[name]
        if rng.random() < cfg.part_drop:
            frames[:, rows] = 0.0
        elif rng.random() < cfg.hand_miss:
            frames[rng.random(len(frames)) < cfg.hand_miss_rate, rows] = 0.0
    if rng.random() < cfg.face_drop:
        frames[:, FACE_ROWS] = 0.0
    if rng.random() < cfg.pose_drop:
        frames[:, PARTS["pose"]] = 0.0
    return frames


def arms(frames: NDArray, cfg: AugmentConfig, rng: np.random.Generator) -> NDArray:
    """Lengthen or shorten each upper arm and forearm; the hand moves with its wrist."""
    if cfg.arm_scale <= 0:
        return frames
    for shoulder, elbow, wrist, hand in ((0, 2, 4, LEFT_HAND_ROWS), (1, 3, 5, RIGHT_HAND_ROWS)):
        k_upper, k_fore = 1.0 + rng.uniform(-cfg.arm_scale, cfg.arm_scale, 2)
        ok = np.all(frames[:, [shoulder, elbow, wrist], :2] != 0, axis=(1, 2))
        s, e, w = (frames[ok, i, :2].copy() for i in (shoulder, elbow, wrist))
        new_e = s + (e - s) * k_upper
        new_w = new_e + (w - e) * k_fore
        frames[ok, elbow, :2] = new_e
        frames[ok, wrist, :2] = new_w
        has_hand = np.any(frames[ok][:, hand] != 0, axis=(1, 2))
        shift = np.where(has_hand[:, None], new_w - w, 0.0)
        frames[np.flatnonzero(ok)[:, None], np.arange(hand.start, hand.stop)[None, :], :2] += shift[:, None, :]
    return frames


def augment(frames: NDArray, cfg: AugmentConfig, rng: np.random.Generator) -> NDArray:
    """One random variant of a raw clip (T, 184, 4) → raw (T', 184, 4)."""
    out = temporal(np.asarray(frames, dtype=np.float32), cfg, rng)
    out = arms(spatial(out, cfg, rng), cfg, rng)
    out = dropout(out, cfg, rng)
    out[..., VIS] = np.where(np.any(out[..., :3] != 0, axis=-1), out[..., VIS], 0.0)
    return out

