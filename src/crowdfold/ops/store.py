"""The job store classes named by ``settings.HUEY["huey_class"]``."""

from __future__ import annotations

from pathlib import Path

from huey import SqliteHuey


class DataDirSqliteHuey(SqliteHuey):
    """SqliteHuey whose file lives under DATA_DIR, created on first use (a fresh install has no
    ``var/`` yet when settings are read)."""

    def __init__(self, name="huey", filename="huey.db", **kwargs):
        Path(filename).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(name, filename=filename, **kwargs)
