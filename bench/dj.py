"""Django set-up for the benchmark tools, which talk to the database named by ``DATABASE_URL``."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url


def setup_django(migrate: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crowdfold.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)


def database_config(url: str | None = None) -> dict:
    return dj_database_url.parse(url or os.environ["DATABASE_URL"])


def reset_database(url: str | None = None) -> None:
    """Drop and re-create the database ``DATABASE_URL`` names (a file for SQLite)."""
    cfg = database_config(url)
    if cfg["ENGINE"].endswith("sqlite3"):
        path = Path(cfg["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    _pg_admin(cfg, f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
    _pg_admin(cfg, f'CREATE DATABASE "{cfg["NAME"]}"')


def drop_database(url: str | None = None) -> None:
    cfg = database_config(url)
    if cfg["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{cfg['NAME']}{suffix}").unlink(missing_ok=True)
        return
    _pg_admin(cfg, f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')


def _pg_admin(cfg: dict, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"] or "postgres",
        password=cfg.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(sql)
