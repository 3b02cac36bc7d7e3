"""Project state changes shared by the API, the web pages, the CLI and jobs."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from crowdfold.lib.errors import Forbidden
from crowdfold.projects.models import Category, Project, new_secret_key

RESERVED_SHORT_NAMES = {
    "new",
    "category",
    "search",
    "page",
    "tasks",
    "export",
    "import",
    "static",
    "api",
    "admin",
    "account",
    "leaderboard",
    "stats",
    "help",
    "about",
    "uploads",
    "project",
}
FORBIDDEN_SHORT_NAME_CHARS = set("$#&\\/| ?%")


def default_category() -> Category:
    category = Category.objects.order_by("id").first()
    if category is None:
        category = Category.objects.create(
            name="Thinking", short_name="thinking", description="Volunteer thinking projects"
        )
    return category


def short_name_problem(short_name: str) -> str | None:
    """Why a short name cannot be used, or None."""
    if not short_name:
        return "short_name is required"
    if short_name.lower() in RESERVED_SHORT_NAMES:
        return f"'{short_name}' is a reserved word"
    if FORBIDDEN_SHORT_NAME_CHARS & set(short_name):
        return "short_name may not contain spaces or any of $ # & \\ / | ? %"
    return None


@transaction.atomic
def create_project(
    owner, *, name: str, short_name: str, description: str = "", **fields
) -> Project:
    if "category" not in fields and "category_id" not in fields:
        fields["category"] = default_category()
    project = Project.objects.create(
        owner=owner, name=name, short_name=short_name, description=description, **fields
    )
    project.owners.add(owner)
    return project


@transaction.atomic
def publish_project(project: Project) -> None:
    """Publish: answers given while testing are forgotten and every task reopens (PYBOSSA flaw #3)."""
    from crowdfold.tasks.answers import reset_answers

    reset_answers(project)
    project.published = True
    project.save(update_fields=["published", "updated"])


def unpublish_project(project: Project) -> None:
    project.published = False
    project.save(update_fields=["published", "updated"])


def set_project_password(project: Project, password: str | None) -> None:
    project.password_hash = make_password(password) if password else ""
    project.save(update_fields=["password_hash", "updated"])


def project_password_matches(project: Project, password: str) -> bool:
    return bool(project.password_hash) and check_password(password, project.password_hash)


def reset_secret_key(project: Project) -> str:
    project.secret_key = new_secret_key()
    project.save(update_fields=["secret_key", "updated"])
    return project.secret_key


def ensure_can_manage(project: Project, user) -> None:
    if not (user and user.is_authenticated and (user.is_superuser or project.is_owned_by(user))):
        raise Forbidden("Only the project's owners may do this", target="project")
