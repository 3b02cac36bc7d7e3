"""PYBOSSA's info keys for a media file by extension (shared by the S3 and Dropbox-style importers)."""

from __future__ import annotations

import posixpath

IMAGES = {"png", "jpg", "jpeg", "gif"}
VIDEOS = {"mp4", "m4v", "ogg", "ogv", "webm", "avi"}
AUDIOS = {"mp4", "m4a", "ogg", "oga", "webm", "wav", "mp3"}


def media_info(filename: str, url: str) -> dict:
    info = {"filename": filename, "url": url, "link": url}
    ext = posixpath.splitext(filename)[1].lower().lstrip(".")
    if ext in IMAGES:
        info.update(url_m=url, url_b=url, title=filename)
    if ext in VIDEOS:
        info["video_url"] = url
    if ext in AUDIOS:
        info["audio_url"] = url
    if ext == "pdf":
        info["pdf_url"] = url
    return info
