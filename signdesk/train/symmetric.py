"""Mirror averaging: one prediction for a sign and its mirror image (a left-handed signer).

KArSL's own recordings switch hands between sessions of the same signer (in 20 of the 56
shared test clips the signing hand is the other one than in the training clip), MP_Data
people sign with either hand, and a webcam user may be left-handed. The bundled models
therefore average the logits (and embeddings) of a window and of its mirror image, so that
a sign and its mirror get exactly the same answer. The mirror of a *normalized* window is
x negated with left/right rows swapped (pose pairs, hands, FaceMesh symmetry): the same as
flipping the raw frame before :func:`~signdesk.landmarks.normalize` (``tests/test_augment.py``).
The wrapper exports to ONNX like the bare model (same input and outputs).
"""

from __future__ import annotations

import torch
from torch import nn

from signdesk.landmarks import N_CHANNELS, N_LANDMARKS, X, mirror_rows


class MirrorAveraged(nn.Module):
    """``model(x)`` and ``model(mirror(x))`` averaged: logits and embedding."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model
        self.register_buffer("perm", torch.as_tensor(mirror_rows(), dtype=torch.long), persistent=False)
        sign = torch.ones(N_CHANNELS)
        sign[X] = -1.0
        self.register_buffer("sign", sign, persistent=False)

    def mirror(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        frames = x.reshape(b, t, N_LANDMARKS, N_CHANNELS).index_select(2, self.perm) * self.sign
        return frames.reshape(b, t, N_LANDMARKS * N_CHANNELS)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        both = torch.cat([x, self.mirror(x)], dim=0)
        logits, embedding = self.model(both)
        n = x.shape[0]
        return (logits[:n] + logits[n:]) / 2, (embedding[:n] + embedding[n:]) / 2
