"""The sign classifier: an attention BiLSTM over per-part landmark embeddings (PyTorch).

Input (B, T, 184·4) of normalized landmarks (see :mod:`signdesk.landmarks`); outputs the
class logits and the pooled 384-d embedding (custom signs are matched on the embedding).
torch is imported only here and by training and export code; the app runs the ONNX export.
"""

from __future__ import annotations

import torch
from torch import nn

from signdesk.landmarks import N_CHANNELS, N_LANDMARKS, PARTS

#: Embedding width per body part; they sum to the hidden size (40 + 88 + 128 + 128 = 384).
PART_EMBED_DIMS: dict[str, int] = {"pose": 40, "face": 88, "right_hand": 128, "left_hand": 128}
HIDDEN = 384
N_BLOCKS = 4
N_HEADS = 8


class SpatialGroupEmbedding(nn.Module):
    """Embed each body part separately, concatenate, GELU, BatchNorm over features."""

    def __init__(self, hidden: int = HIDDEN) -> None:
        super().__init__()
        total = sum(PART_EMBED_DIMS.values())
        scale = hidden / total
        dims = {name: round(d * scale) for name, d in PART_EMBED_DIMS.items()}
        dims["left_hand"] += hidden - sum(dims.values())
        self.slices = [
            (rows.start * N_CHANNELS, rows.stop * N_CHANNELS) for rows in PARTS.values()
        ]
        self.proj = nn.ModuleList(
            nn.Linear((stop - start), dims[name]) for (start, stop), name in zip(self.slices, PARTS)
        )
        self.act = nn.GELU()
        self.norm = nn.BatchNorm1d(hidden)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = [proj(x[..., start:stop]) for proj, (start, stop) in zip(self.proj, self.slices)]
        h = self.act(torch.cat(parts, dim=-1))
        return self.norm(h.transpose(1, 2)).transpose(1, 2)


class ResidualBiLSTMBlock(nn.Module):
    """x + dropout(BiLSTM(x)), then LayerNorm; hidden/2 units per direction."""

    def __init__(self, hidden: int = HIDDEN, dropout: float = 0.2) -> None:
        super().__init__()
        self.lstm = nn.LSTM(hidden, hidden // 2, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(dropout)
        self.norm = nn.LayerNorm(hidden)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y, _ = self.lstm(x)
        return self.norm(x + self.dropout(y))


class AttentionPooling(nn.Module):
    """Softmax-over-time weights from Linear(h, h/2) → tanh → Linear(h/2, 1); weighted sum."""

    def __init__(self, hidden: int = HIDDEN) -> None:
        super().__init__()
        self.score = nn.Sequential(nn.Linear(hidden, hidden // 2), nn.Tanh(), nn.Linear(hidden // 2, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weights = torch.softmax(self.score(x), dim=1)
        return (weights * x).sum(dim=1)


class SignModel(nn.Module):
    """Landmark sequence → (logits, embedding)."""

    def __init__(
        self,
        num_classes: int,
        hidden: int = HIDDEN,
        blocks: int = N_BLOCKS,
        heads: int = N_HEADS,
        lstm_dropout: float = 0.2,
        head_dropout: float = 0.5,
    ) -> None:
        super().__init__()
        if num_classes < 1:
            raise ValueError("num_classes must be positive")
        self.config = {
            "num_classes": num_classes,
            "hidden": hidden,
            "blocks": blocks,
            "heads": heads,
            "lstm_dropout": lstm_dropout,
            "head_dropout": head_dropout,
        }
        self.embed = SpatialGroupEmbedding(hidden)
        self.blocks = nn.ModuleList(ResidualBiLSTMBlock(hidden, lstm_dropout) for _ in range(blocks))
        self.attention = nn.MultiheadAttention(hidden, heads, batch_first=True)
        self.attention_norm = nn.LayerNorm(hidden)
        self.pool = AttentionPooling(hidden)
        self.dropout = nn.Dropout(head_dropout)
        self.classifier = nn.Linear(hidden, num_classes)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.embed(x)
        for block in self.blocks:
            h = block(h)
        attended, _ = self.attention(h, h, h, need_weights=False)
        h = self.attention_norm(h + attended)
        embedding = self.pool(h)
        return self.classifier(self.dropout(embedding)), embedding


class SignEmbedder(nn.Module):
    """Landmark sequence → (cosine logits over the training signs, unit embedding).

    The same encoder as :class:`SignModel`, with a projection to ``dim`` and a cosine
    classifier, trained with an additive margin (CosFace) so that signs form tight,
    well-separated clusters: a sign it never saw then still lands in a cluster of its own,
    which is what matching a few recorded takes of a custom sign needs.
    """

    def __init__(
        self,
        num_classes: int,
        hidden: int = 256,
        blocks: int = 2,
        heads: int = 4,
        dim: int = 256,
        lstm_dropout: float = 0.2,
        scale: float = 24.0,
        face: bool = True,
    ) -> None:
        super().__init__()
        self.config = {"num_classes": num_classes, "hidden": hidden, "blocks": blocks, "heads": heads, "dim": dim,
                       "lstm_dropout": lstm_dropout, "scale": scale, "face": face}
        self.scale = scale
        keep = torch.ones(N_LANDMARKS, N_CHANNELS)
        if not face:  # a face tells who signs more than what is signed: leave it out
            keep[PARTS["face"]] = 0.0
        self.register_buffer("keep", keep.reshape(-1), persistent=False)
        self.encoder = SignModel(1, hidden, blocks, heads, lstm_dropout, head_dropout=0.0)
        self.encoder.classifier = nn.Identity()
        self.project = nn.Linear(hidden, dim)
        self.weight = nn.Parameter(torch.randn(num_classes, dim) * 0.01)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        _, pooled = self.encoder(x * self.keep)
        embedding = nn.functional.normalize(self.project(pooled), dim=-1)
        cosine = embedding @ nn.functional.normalize(self.weight, dim=-1).T
        return self.scale * cosine, embedding


class EmbedderEnsemble(nn.Module):
    """Several embedders side by side: each one's unit embedding, concatenated and renormalized.

    Encoders trained differently (with and without the face) make different mistakes on signs
    they never saw, so the joint cosine is the mean of theirs and more reliable than either.
    """

    def __init__(self, members: list[nn.Module]) -> None:
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        outs = [member(x) for member in self.members]
        logits = torch.cat([logit for logit, _ in outs], dim=-1)
        parts = [nn.functional.normalize(embedding, dim=-1) for _, embedding in outs]
        return logits, nn.functional.normalize(torch.cat(parts, dim=-1), dim=-1)
