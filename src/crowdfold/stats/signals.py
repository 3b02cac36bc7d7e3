"""Statistics only ever add answers; when answers are deleted the project's figures are rebuilt."""

from __future__ import annotations

from django.dispatch import receiver

from crowdfold.tasks.answers import answers_removed


@receiver(answers_removed)
def mark_for_rebuild(sender, project_id: int, **kwargs) -> None:
    from crowdfold.stats.models import ProjectStats

    ProjectStats.objects.filter(project_id=project_id).update(needs_rebuild=True)
