"""Video files as a frame source (signdesk.capture): real clips, and files that are not videos."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from signdesk.capture import SourceError, VideoFile


def test_a_real_clip_gives_every_frame_in_order_with_its_time(karsl_clip: Path):
    with VideoFile(karsl_clip) as video:
        assert video.name == karsl_clip.name and not video.live
        assert video.fps == pytest.approx(30.0, abs=0.5)
        assert video.size == (256, 256)
        frames = list(video)
        assert video.read() is None, "the end of the file stays the end"
    assert len(frames) == video.frame_count > 10
    assert [f.index for f in frames] == list(range(len(frames)))
    times = np.array([f.time for f in frames])
    assert times[0] == 0.0 and np.all(np.diff(times) > 0)
    np.testing.assert_allclose(np.diff(times), 1 / video.fps)
    first = frames[0].image
    assert first.dtype == np.uint8 and first.shape == (256, 256, 3)
    assert first.std() > 5, "a real picture, not a blank frame"


def test_close_ends_reading(karsl_clip: Path):
    video = VideoFile(karsl_clip)
    assert video.read() is not None
    video.close()
    assert video.read() is None
    video.close()  # closing twice is harmless


def test_a_missing_file_is_a_source_error_naming_it(tmp_path: Path):
    with pytest.raises(SourceError, match=r"gone\.mp4: no such file"):
        VideoFile(tmp_path / "gone.mp4")


def test_a_file_that_is_not_a_video_is_a_source_error(tmp_path: Path):
    notes = tmp_path / "notes.mp4"
    notes.write_text("this is not a video")
    with pytest.raises(SourceError, match=r"notes\.mp4: not a readable video") as info:
        VideoFile(notes)
    assert "\n" not in str(info.value), "one line for the terminal"


def test_a_folder_is_a_source_error(tmp_path: Path):
    with pytest.raises(SourceError, match="is a folder, not a video file"):
        VideoFile(tmp_path)
