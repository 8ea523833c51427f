"""Dynamic int8 quantization (signdesk.tools.quantize) of the exported fixture model."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from signdesk.landmarks import FEATURE_DIM, WINDOW_LENGTH
from signdesk.recognizer import Recognizer
from signdesk.tools.quantize import quantize_int8


@pytest.fixture(scope="module")
def int8_model(fixture_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("int8")
    shutil.copy(fixture_model.parent / "labels.json", folder / "labels.json")
    return quantize_int8(fixture_model, folder / "model.int8.onnx")


def test_the_int8_model_is_smaller_and_loads_in_the_recognizer(fixture_model: Path, int8_model: Path):
    assert int8_model.is_file()
    assert sorted(p.name for p in int8_model.parent.iterdir()) == ["labels.json", "model.int8.onnx"]
    assert int8_model.stat().st_size < fixture_model.stat().st_size / 2, "the weights are int8"
    recognizer = Recognizer(int8_model)
    assert [l.name for l in recognizer.labels] == [l.name for l in Recognizer(fixture_model).labels]


def test_int8_agrees_with_fp32_on_random_windows(fixture_model: Path, int8_model: Path):
    windows = np.random.default_rng(0).normal(size=(16, WINDOW_LENGTH, FEATURE_DIM)).astype(np.float32)
    fp32, _ = Recognizer(fixture_model).run(windows)
    int8, _ = Recognizer(int8_model).run(windows)
    assert np.abs(fp32 - int8).max() < 0.05
    top2 = np.sort(fp32, axis=1)[:, -2:]
    clear = top2[:, 1] - top2[:, 0] > 0.01  # an untrained model has near-ties that any rounding decides
    assert clear.sum() >= 8
    np.testing.assert_array_equal(int8.argmax(axis=1)[clear], fp32.argmax(axis=1)[clear])


def test_a_missing_input_is_a_clear_error_and_writes_nothing(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match=r"missing\.onnx"):
        quantize_int8(tmp_path / "missing.onnx", tmp_path / "model.int8.onnx")
    assert not list(tmp_path.iterdir()), "no output and no temporary files"
