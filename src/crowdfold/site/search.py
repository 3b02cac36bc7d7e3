"""Project search: PostgreSQL full text (FULLTEXTSEARCH_LANGUAGE) or a plain substring match."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from crowdfold.projects.models import Project


def search_projects(query: str, base: QuerySet | None = None) -> QuerySet:
    """Published projects matching ``query``, best matches first where the database can rank."""
    projects = base if base is not None else Project.objects.filter(published=True)
    query = query.strip()
    if not query:
        return projects.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        config = settings.FULLTEXTSEARCH_LANGUAGE
        vector = (
            SearchVector("name", weight="A", config=config)
            + SearchVector("description", weight="B", config=config)
            + SearchVector("long_description", weight="C", config=config)
        )
        terms = SearchQuery(query, config=config, search_type="websearch")
        return (
            projects.annotate(rank=SearchRank(vector, terms))
            .filter(rank__gt=0)
            .order_by("-rank", "id")
        )
    words = query.split()
    match = Q()
    for word in words:
        match &= (
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(long_description__icontains=word)
        )
    return projects.filter(match).order_by("id")
