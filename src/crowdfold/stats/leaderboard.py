"""Leaderboards: materialised in ``LeaderboardEntry``, ranked by the database.

The answers board sums ``ContributorCount`` (already folded by the statistics refresh) per user, so
rebuilding it never scans the answers table. Custom boards read a numeric key of ``User.info`` for
every name in ``LEADERBOARDS``. Restricted users (GDPR) never appear.
"""

from __future__ import annotations

from numbers import Real

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum

from crowdfold.accounts.models import User
from crowdfold.ops.cache import invalidate_on_commit
from crowdfold.stats.models import ContributorCount, LeaderboardEntry

ANSWERS_BOARD = ""


def board_size() -> int:
    return getattr(settings, "LEADERBOARD", 20)


def custom_boards() -> list[str]:
    return list(getattr(settings, "LEADERBOARDS", []))


def refresh_leaderboards() -> None:
    """Rebuild every board (answers and each name in LEADERBOARDS)."""
    rows = (
        ContributorCount.objects.filter(user__isnull=False, user__restrict=False)
        .values("user_id")
        .annotate(score=Sum("n_answers"))
        .order_by()
    )
    _replace_board(ANSWERS_BOARD, ((row["user_id"], row["score"]) for row in rows))
    for key in custom_boards():
        _replace_board(key, _info_scores(key))
    invalidate_on_commit("leaderboard")


def _info_scores(key: str):
    users = User.objects.filter(restrict=False, info__has_key=key).values_list("id", "info")
    for user_id, info in users.iterator(chunk_size=2000):
        value = (info or {}).get(key)
        # Only real numbers score; booleans and numeric-looking strings are not scores.
        if isinstance(value, Real) and not isinstance(value, bool):
            yield user_id, float(value)


@transaction.atomic
def _replace_board(board: str, scores) -> None:
    LeaderboardEntry.objects.filter(board=board).delete()
    LeaderboardEntry.objects.bulk_create(
        (LeaderboardEntry(board=board, user_id=uid, score=score) for uid, score in scores),
        batch_size=1000,
    )
    table = LeaderboardEntry._meta.db_table
    with connection.cursor() as cursor:
        # Ties are broken by user id so ranks are stable between refreshes.
        cursor.execute(
            f"UPDATE {table} SET rank = ranked.r FROM ("
            f" SELECT id, ROW_NUMBER() OVER (ORDER BY score DESC, user_id) AS r"
            f" FROM {table} WHERE board = %s) AS ranked"
            f" WHERE {table}.id = ranked.id",
            [board],
        )


def top_entries(board: str, limit: int | None = None):
    return (
        LeaderboardEntry.objects.filter(board=board, rank__isnull=False)
        .select_related("user")
        .order_by("rank")[: limit or board_size()]
    )


def entries_around(board: str, user, window: int):
    """The caller's own row and up to ``window`` neighbours each side (PYBOSSA's ``window``)."""
    mine = LeaderboardEntry.objects.filter(board=board, user=user).first()
    if mine is None or mine.rank is None:
        return []
    return list(
        LeaderboardEntry.objects.filter(
            board=board, rank__gte=mine.rank - window, rank__lte=mine.rank + window
        )
        .select_related("user")
        .order_by("rank")
    )
