"""``crowdfold serve`` collects static files only when they changed, so a restarted server (after a
crash, under a process supervisor) answers again in seconds instead of recompressing every file."""

from __future__ import annotations

import os

from crowdfold.cli.core import _collectstatic


def test_a_restart_skips_collecting_static_files_that_did_not_change(
    tmp_path, settings, monkeypatch
):
    source = tmp_path / "source"
    source.mkdir()
    (source / "theme.css").write_text("body { color: black }\n" * 200)
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.WHITENOISE_USE_FINDERS = True  # restored after the test, whatever serve sets
    monkeypatch.setenv("CROWDFOLD_STATIC_COLLECTED", "")
    collected = tmp_path / "static" / "theme.css"

    _collectstatic()
    assert collected.read_text().startswith("body { color: black }")
    assert (tmp_path / "static" / "theme.css.gz").exists()  # compressed for WhiteNoise
    first = collected.stat().st_mtime_ns
    compressed = (tmp_path / "static" / "theme.css.gz").stat().st_ctime_ns  # mtime is copied

    _collectstatic()  # nothing changed: nothing copied or recompressed
    assert collected.stat().st_mtime_ns == first
    assert (tmp_path / "static" / "theme.css.gz").stat().st_ctime_ns == compressed

    (source / "theme.css").write_text("body { color: navy }")
    os.utime(source / "theme.css", ns=(first + 10**9, first + 10**9))
    _collectstatic()
    assert collected.read_text() == "body { color: navy }"
