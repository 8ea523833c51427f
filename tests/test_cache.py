"""Landmark cache: same features as the app's extractor, content-keyed, resumable, atomic."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from signdesk.tools.cache import ENV_VAR, LandmarkCache, default_cache_dir, file_hash, load_videos
from signdesk.landmarks import EXTRACTOR_VERSION

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory, karsl_clip: Path):
    """A fresh cache holding the fixture clip, extracted through the process pool."""
    cache_dir = tmp_path_factory.mktemp("cache")
    clips, report = load_videos([karsl_clip], cache_dir, workers=1, progress=False)
    return cache_dir, clips, report


def test_cached_landmarks_equal_the_apps_extractor(filled, karsl_clip: Path, karsl_features: np.ndarray) -> None:
    """The pool worker (stream mode, reset per clip) gives the frames a fresh extractor gives."""
    _, clips, report = filled
    assert (report.extracted, report.cached, report.failed) == (1, 0, {})
    np.testing.assert_allclose(clips[karsl_clip].landmarks, karsl_features, atol=1e-5)
    assert clips[karsl_clip].fps == pytest.approx(30.0)


def test_second_run_reads_the_cache_and_a_renamed_copy_hits_it(filled, karsl_clip: Path, tmp_path: Path) -> None:
    cache_dir, clips, _ = filled
    copy = tmp_path / "renamed.mp4"
    copy.write_bytes(karsl_clip.read_bytes())
    again, report = load_videos([karsl_clip, copy], cache_dir, workers=1, progress=False)
    assert (report.cached, report.extracted) == (2, 0)
    np.testing.assert_array_equal(again[copy].landmarks, clips[karsl_clip].landmarks)


def test_entries_are_keyed_by_content_and_extractor_version(filled, karsl_clip: Path) -> None:
    cache_dir, _, _ = filled
    entry = LandmarkCache(cache_dir).entry(file_hash(karsl_clip))
    assert entry.is_file()
    assert entry.parent.parent.name == EXTRACTOR_VERSION
    assert not list(entry.parent.glob("*.tmp"))  # atomic writes leave no temp files
    with np.load(entry) as z:
        assert str(z["extractor_version"]) == EXTRACTOR_VERSION


def test_a_damaged_entry_is_extracted_again(tmp_path: Path, karsl_clip: Path, filled) -> None:
    cache_dir, clips, _ = filled
    cache = LandmarkCache(tmp_path)
    digest = file_hash(karsl_clip)
    cache.entry(digest).parent.mkdir(parents=True)
    cache.entry(digest).write_bytes(b"half a file")
    assert cache.load(digest) is None
    again, report = load_videos([karsl_clip], tmp_path, workers=1, progress=False)
    assert report.extracted == 1
    np.testing.assert_allclose(again[karsl_clip].landmarks, clips[karsl_clip].landmarks, atol=1e-5)


def test_a_bad_video_is_reported_and_the_others_still_load(tmp_path: Path, karsl_clip: Path, filled) -> None:
    cache_dir, _, _ = filled
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(b"\x00" * 100)
    missing = tmp_path / "missing.mp4"
    clips, report = load_videos([karsl_clip, bad, missing], cache_dir, workers=1, progress=False)
    assert list(clips) == [karsl_clip]
    assert "not a readable video" in report.failed[str(bad)]
    assert "cannot read" in report.failed[str(missing)]


def test_cache_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "elsewhere"))
    assert default_cache_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv(ENV_VAR)
    repo = Path(__file__).resolve().parents[1]
    from platformdirs import user_cache_dir

    checkout = (repo / ".git").exists()
    expected = repo / "cache" / "landmarks" if checkout else Path(user_cache_dir("signdesk")) / "landmarks"
    assert default_cache_dir() == expected
