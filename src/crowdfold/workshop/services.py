"""Owner actions on a project. Each is one function that changes state and writes the audit log,
called by the workshop pages (and usable from the CLI or jobs with another ``caller``)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop

from crowdfold.accounts.models import User
from crowdfold.lib.errors import BadRequest, NotFound
from crowdfold.lib.features import feature_available
from crowdfold.lib.i18n import Message
from crowdfold.projects import services as project_services
from crowdfold.projects.models import Project
from crowdfold.tasks.answers import set_redundancy
from crowdfold.tasks.models import Result, Task
from crowdfold.workshop.audit import changes_since, record_action, record_changes, snapshot
from crowdfold.workshop.models import BlogPost

SCHEDULERS = ["default", "depth_first", "depth_first_all", "breadth_first", "incremental", "locked"]
MAX_REDUNDANCY = 1000


@transaction.atomic
def update_project(project: Project, user, fields: dict, caller: str = "web") -> Project:
    """Apply plain attribute and ``info`` changes and log what changed."""
    before = snapshot(project)
    info = dict(project.info or {})
    for key, value in fields.pop("info", {}).items():
        if value in (None, ""):
            info.pop(key, None)
        else:
            info[key] = value
    project.info = info
    for name, value in fields.items():
        setattr(project, name, value)
    project.save()
    record_changes(project, user, changes_since(before, project), caller)
    return project


def set_scheduler(project: Project, user, sched: str, caller: str = "web") -> None:
    if sched not in SCHEDULERS:
        raise BadRequest(Message(gettext_noop("Unknown scheduler %(sched)r"), sched=sched))
    update_project(project, user, {"info": {"sched": sched}}, caller)


@transaction.atomic
def set_project_redundancy(project: Project, user, n_answers: int, caller: str = "web") -> int:
    """Every task of the project needs ``n_answers`` answers; completion is re-decided."""
    if not 1 <= n_answers <= MAX_REDUNDANCY:
        raise BadRequest(
            Message(gettext_noop("Redundancy must be between 1 and %(most)s"), most=MAX_REDUNDANCY)
        )
    old = sorted(
        set(Task.objects.filter(project=project).values_list("n_answers", flat=True)[:1000])
    )
    count = set_redundancy(Task.objects.filter(project=project), n_answers)
    record_changes(
        project,
        user,
        {"tasks.n_answers": (",".join(map(str, old)), str(n_answers))},
        caller,
    )
    return count


@transaction.atomic
def set_task_priority(
    project: Project, user, task_ids: list[int], priority: float, caller: str = "web"
) -> int:
    if not 0.0 <= priority <= 1.0:
        raise BadRequest(Message(gettext_noop("Priority must be between 0 and 1")))
    tasks = Task.objects.filter(project=project, pk__in=task_ids)
    found = set(tasks.values_list("pk", flat=True))
    missing = sorted(set(task_ids) - found)
    if missing:
        raise NotFound(
            Message(
                gettext_noop("No such task in this project: %(ids)s"),
                ids=", ".join(map(str, missing)),
            )
        )
    count = tasks.update(priority_0=priority)
    record_changes(
        project,
        user,
        {f"task.{tid}.priority_0": (None, priority) for tid in sorted(found)},
        caller,
    )
    return count


def set_password(project: Project, user, password: str | None, caller: str = "web") -> None:
    before = snapshot(project)
    project_services.set_project_password(project, password or None)
    record_changes(project, user, changes_since(before, project), caller)


def reset_secret_key(project: Project, user, caller: str = "web") -> str:
    before = snapshot(project)
    key = project_services.reset_secret_key(project)
    record_changes(project, user, changes_since(before, project), caller)
    return key


def add_coowner(project: Project, user, name: str, caller: str = "web") -> User:
    person = User.objects.filter(username=name).first()
    if person is None:
        raise NotFound(Message(gettext_noop("No user named %(name)r"), name=name))
    before = project.owner_ids()
    project.owners.add(person)
    record_changes(project, user, {"owners": (before, project.owner_ids())}, caller)
    return person


def remove_coowner(project: Project, user, name: str, caller: str = "web") -> None:
    person = User.objects.filter(username=name).first()
    if person is None:
        raise NotFound(Message(gettext_noop("No user named %(name)r"), name=name))
    if person.pk == project.owner_id:
        raise BadRequest(
            Message(gettext_noop("The project's creator cannot be removed from its owners"))
        )
    before = project.owner_ids()
    project.owners.remove(person)
    record_changes(project, user, {"owners": (before, project.owner_ids())}, caller)


@transaction.atomic
def transfer_ownership(project: Project, user, email_or_name: str, caller: str = "web") -> User:
    """The new owner becomes creator and sole owner (PYBOSSA resets ``owners_ids``)."""
    person = (
        User.objects.filter(email__iexact=email_or_name).first()
        or User.objects.filter(username=email_or_name).first()
    )
    if person is None:
        raise NotFound(
            Message(gettext_noop("No user with e-mail or name %(who)r"), who=email_or_name)
        )
    before_owners = project.owner_ids()
    before = snapshot(project)
    project.owner = person
    project.save(update_fields=["owner", "updated"])
    project.owners.set([person])
    changes = changes_since(before, project)
    changes["owners"] = (before_owners, project.owner_ids())
    record_changes(project, user, changes, caller)
    return person


def publish_problem(project: Project) -> str | None:
    """Why the project cannot be published yet, or None."""
    if not settings.DISABLE_TASK_PRESENTER and not (project.info or {}).get("task_presenter"):
        return Message(gettext_noop("Add a task presenter first."))
    if not Task.objects.filter(project=project).exists():
        return Message(gettext_noop("Import at least one task first."))
    return None


def publish(project: Project, user, caller: str = "web") -> None:
    problem = publish_problem(project)
    if problem:
        raise BadRequest(problem)
    project_services.publish_project(project)
    record_changes(project, user, {"published": (False, True)}, caller)


def unpublish(project: Project, user, caller: str = "web") -> None:
    project_services.unpublish_project(project)
    record_changes(project, user, {"published": (True, False)}, caller)


@transaction.atomic
def delete_project(project: Project, user, caller: str = "web") -> None:
    record_action(project, user, "delete", caller, note=project.name)
    project.delete()


def delete_tasks(project: Project, user, caller: str = "web") -> int:
    """Delete the tasks that have no result yet, with their answers (PYBOSSA's /tasks/delete)."""
    with_results = Result.objects.filter(project=project).values("task_id")
    doomed = Task.objects.filter(project=project).exclude(pk__in=with_results)
    count = doomed.count()
    doomed.delete()
    record_changes(project, user, {"tasks.deleted": (None, count)}, caller)
    return count


@transaction.atomic
def publish_post(project: Project, user, title: str, body: str, caller: str = "web") -> BlogPost:
    """Post on the project blog and e-mail the volunteers who contributed and are subscribed
    (``post.notified`` says whether mail went out; see PRO_FEATURES)."""
    if not title.strip() or not body.strip():
        raise BadRequest(Message(gettext_noop("A post needs a title and a body")))
    post = BlogPost.objects.create(project=project, user=user, title=title, body=body)
    record_changes(project, user, {f"blogpost.{post.pk}": (None, title)}, caller)
    # PRO_FEATURES["notify_blog_updates"]: only pro authors' (and admins') posts are mailed out.
    post.notified = feature_available("notify_blog_updates", user)
    if post.notified:
        transaction.on_commit(lambda: notify_volunteers(post))
    return post


def notify_volunteers(post: BlogPost) -> int:
    """Mail the subscribed volunteers of the project through the ops mail queue (their language,
    an unsubscribe link, nothing when DISABLE_EMAIL_NOTIFICATIONS is on)."""
    from crowdfold.ops.mail import notify_blog_post

    url = f"{settings.CROWDFOLD_BASE_URL}/project/{post.project.short_name}/blog/{post.pk}"
    return notify_blog_post(post.project, post.title, url, excerpt=post.body[:500])
