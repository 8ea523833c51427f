"""Bad files made at test time (never copied from the datasets): videos with no frames or cut
short, models of another architecture, a labels file of the wrong length. Each is refused with
one clear line naming the file (the command line: ``signdesk: error: …``, exit 1, no
traceback), and no valid file is overwritten.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from signdesk.capture import SourceError, VideoFile
from signdesk.recognizer import (
    FEATURE_DIM,
    LOGITS,
    WINDOW_LENGTH,
    InferenceError,
    ModelError,
    Recognizer,
)

REPO = Path(__file__).resolve().parents[1]


def signdesk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "signdesk", *args], capture_output=True, text=True, timeout=120,
                          cwd=REPO, check=False)


def one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> str:
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("signdesk: error: "), proc.stderr
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def write_video(path: Path, frames: int, fourcc: str = "MJPG") -> Path:
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), 25, (160, 120))
    rng = np.random.default_rng(0)
    for _ in range(frames):
        writer.write(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
    writer.release()
    return path


def cut_in_half(path: Path) -> Path:
    data = path.read_bytes()
    half = path.with_name(f"half-{path.name}")
    half.write_bytes(data[: len(data) // 2])
    return half


def test_a_video_with_zero_frames_is_a_clear_error(tmp_path):
    empty = write_video(tmp_path / "empty.avi", 0)
    if not empty.exists():  # some OpenCV builds write nothing at all for no frames
        empty.write_bytes(b"")
    with pytest.raises(SourceError, match="empty.avi: (the video has no readable frames|not a readable video)"):
        VideoFile(empty)
    out = tmp_path / "out.npz"
    out.write_bytes(b"an earlier, valid extraction")
    one_line_error(signdesk("extract", str(empty), "-o", str(out)), "empty.avi")
    assert out.read_bytes() == b"an earlier, valid extraction"


def test_a_video_cut_short_says_where_it_breaks_instead_of_ending_quietly(tmp_path):
    whole = write_video(tmp_path / "class.avi", 60)
    with VideoFile(whole) as video:
        assert sum(1 for _ in video) == 60  # a whole file still ends normally
    half = cut_in_half(whole)
    frames = []
    with VideoFile(half) as video, pytest.raises(SourceError) as info:
        for frame in video:
            frames.append(frame.index)
    assert 0 < len(frames) < 60 and frames == list(range(len(frames)))  # every frame before the break, in order
    assert str(half) in str(info.value) and f"breaks off after frame {len(frames)} of 60" in str(info.value)


def test_an_mp4_cut_in_half_cannot_be_opened(tmp_path):
    half = cut_in_half(write_video(tmp_path / "class.mp4", 60, "mp4v"))
    with pytest.raises(SourceError, match="half-class.mp4: not a readable video"):
        VideoFile(half)


def test_extracting_a_video_cut_short_fails_and_keeps_the_earlier_output(tmp_path):
    half = cut_in_half(write_video(tmp_path / "class.avi", 40))
    out = tmp_path / "class.npz"
    out.write_bytes(b"an earlier, valid extraction")
    one_line_error(signdesk("extract", str(half), "-o", str(out)), "half-class.avi", "breaks off after frame")
    assert out.read_bytes() == b"an earlier, valid extraction"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def tiny_model(folder: Path, logits: list, embedding: list | None = None, labels: int = 3) -> Path:
    """An ONNX model with the app's input but outputs of the given (declared) shapes."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    folder.mkdir()
    x = helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", WINDOW_LENGTH, FEATURE_DIM])
    out = helper.make_tensor_value_info(LOGITS, TensorProto.FLOAT, logits)
    emb = helper.make_tensor_value_info("embedding", TensorProto.FLOAT, embedding or ["batch", FEATURE_DIM])
    # logits: the mean over frames of the first `labels` features (or every frame's, for a sequence model)
    starts = helper.make_tensor("starts", TensorProto.INT64, [1], [0])
    ends = helper.make_tensor("ends", TensorProto.INT64, [1], [labels])
    axes = helper.make_tensor("axes", TensorProto.INT64, [1], [2])
    nodes = [helper.make_node("ReduceMean", ["features"], ["embedding"], keepdims=0, axes=[1]),
             helper.make_node("Slice", ["features", "starts", "ends", "axes"], ["per_frame"])]
    nodes.append(helper.make_node("Identity", ["per_frame"], [LOGITS]) if len(logits) == 3
                 else helper.make_node("ReduceMean", ["per_frame"], [LOGITS], keepdims=0, axes=[1]))
    graph = helper.make_graph(nodes, "tiny", [x], [out, emb], initializer=[starts, ends, axes])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), folder / "model.onnx")
    (folder / "labels.json").write_text(json.dumps({"labels": [f"sign {i}" for i in range(labels)]}))
    return folder / "model.onnx"


def test_a_model_whose_outputs_have_another_shape_is_refused(tmp_path):
    sequence = tiny_model(tmp_path / "sequence", ["batch", WINDOW_LENGTH, 3])  # one answer per frame
    with pytest.raises(ModelError, match=r"output 'logits' has shape .* expected \(batch, classes\)") as info:
        Recognizer(sequence)
    assert str(sequence) in str(info.value) and "\n" not in str(info.value)
    flat = tiny_model(tmp_path / "flat", ["batch", 3], embedding=["batch", WINDOW_LENGTH, FEATURE_DIM])
    with pytest.raises(ModelError, match="output 'embedding' has shape"):
        Recognizer(flat)
    one_line_error(signdesk("recognize", str(tmp_path / "any.mp4"), "--model", str(sequence)), str(sequence),
                   "another architecture")


def test_a_model_declaring_no_sizes_that_answers_the_wrong_shape_is_an_inference_error(tmp_path):
    """Declared shapes can be symbolic: what the model answers is checked before it is used."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", "frames", FEATURE_DIM])
    out = helper.make_tensor_value_info(LOGITS, TensorProto.FLOAT, ["batch", "classes"])
    emb = helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", FEATURE_DIM])
    graph = helper.make_graph([helper.make_node("ReduceMean", ["features"], [LOGITS], keepdims=0, axes=[2]),
                               helper.make_node("ReduceMean", ["features"], ["embedding"], keepdims=0, axes=[1])],
                              "loose", [x], [out, emb])
    path = tmp_path / "loose.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)
    (tmp_path / "loose.labels.json").write_text(json.dumps({"labels": ["a", "b"]}))  # 2 labels, 50 answers
    recognizer = Recognizer(path)
    with pytest.raises(InferenceError, match=rf"answered shapes \(1, {WINDOW_LENGTH}\) .* expected \(1, 2\)"):
        recognizer.predict(np.zeros((WINDOW_LENGTH, FEATURE_DIM), np.float32))


def test_a_labels_file_of_the_wrong_length_is_one_line_on_the_command_line(tmp_path):
    path = tiny_model(tmp_path / "m", ["batch", 3], labels=3)
    (path.parent / "labels.json").write_text(json.dumps({"labels": ["a", "b"]}))
    one_line_error(signdesk("recognize", str(tmp_path / "any.mp4"), "--model", str(path)),
                   "model has 3 classes but labels.json lists 2 labels")
    assert json.loads((path.parent / "labels.json").read_text()) == {"labels": ["a", "b"]}
