"""Keep the import digest and the group-restriction flag in step however rows are saved."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from crowdfold.data.hashing import info_hash
from crowdfold.projects.models import Project
from crowdfold.tasks.models import Task


@receiver(pre_save, sender=Task, dispatch_uid="data_task_info_hash")
def _task_info_hash(sender, instance: Task, update_fields=None, **kwargs) -> None:
    if update_fields is None or "info" in update_fields:
        instance.info_hash = info_hash(instance.info)


@receiver(post_save, sender=Task, dispatch_uid="data_task_info_hash_partial")
def _task_info_hash_partial(sender, instance: Task, update_fields=None, **kwargs) -> None:
    # save(update_fields=["info"]) would leave the stored digest stale: write it too.
    if update_fields is not None and "info" in update_fields and "info_hash" not in update_fields:
        Task.objects.filter(pk=instance.pk).update(info_hash=instance.info_hash)


@receiver(pre_save, sender=Project, dispatch_uid="data_project_restricted")
def _project_restricted(sender, instance: Project, update_fields=None, **kwargs) -> None:
    # A project created in (or moved to) a restricted category becomes restricted with it.
    if update_fields is not None and "category" not in update_fields:
        return
    from crowdfold.data.models import GroupGrant

    grants = Q(category_id=instance.category_id)
    if instance.pk:
        grants |= Q(project_id=instance.pk)
    instance.groups_restricted = GroupGrant.objects.filter(grants).exists()
