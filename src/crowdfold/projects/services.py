"""Project state changes shared by the API, the web pages, the CLI and jobs."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_noop

from crowdfold.lib.errors import BadRequest, Forbidden, IntegrityFailure, InvalidKey, InvalidValue
from crowdfold.lib.i18n import Message
from crowdfold.projects.models import Category, HelpingMaterial, Project, new_secret_key

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
        return Message(gettext_noop("short_name is required"))
    if short_name.lower() in RESERVED_SHORT_NAMES:
        return Message(gettext_noop("'%(name)s' is a reserved word"), name=short_name)
    if FORBIDDEN_SHORT_NAME_CHARS & set(short_name):
        return Message(gettext_noop("short_name may not contain spaces or any of $ # & \\ / | ? %"))
    return None


def _check_project_names(name: str, short_name: str, exclude_pk: int | None = None) -> None:
    """Refuse a bad or taken name/short name. pbs reads a duplicate as "project already exists" from
    PYBOSSA's DBIntegrityError with target ``project``, so that is what we raise."""
    problem = short_name_problem(short_name)
    if problem:
        raise InvalidValue(problem, target="project")
    if not name:
        raise IntegrityFailure("name is required", target="project")
    taken = Project.objects.filter(Q(name=name) | Q(short_name=short_name))
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise IntegrityFailure(
            "duplicate key value violates unique constraint: name or short_name exists",
            target="project",
        )


def _save_unique(obj, *, target: str, **save_kwargs) -> None:
    """Save; a unique violation lost to a concurrent writer is still PYBOSSA's DBIntegrityError."""
    try:
        with transaction.atomic():
            obj.save(**save_kwargs)
    except IntegrityError as exc:
        raise IntegrityFailure(
            f"duplicate key value violates unique constraint: {exc}", target=target
        ) from exc


@transaction.atomic
def create_project(
    owner, *, name: str, short_name: str, description: str = "", **fields
) -> Project:
    """Create a draft project owned by ``owner`` (also its first co-owner), in the first category
    unless one is given."""
    _check_project_names(name, short_name)
    if "category" not in fields and "category_id" not in fields:
        fields["category"] = default_category()
    project = Project(
        owner=owner, name=name, short_name=short_name, description=description, **fields
    )
    _save_unique(project, target="project")
    project.owners.add(owner)
    return project


PROJECT_EDITABLE = frozenset(
    {
        "name",
        "short_name",
        "description",
        "long_description",
        "info",
        "webhook",
        "allow_anonymous_contributors",
        "zip_download",
        "featured",
        "category_id",
    }
)


@transaction.atomic
def update_project(project: Project, changes: dict) -> Project:
    """Apply owner edits (partial: only the given fields; ``info`` is replaced whole)."""
    unknown = set(changes) - PROJECT_EDITABLE
    if unknown:
        raise InvalidKey(f"Cannot change {', '.join(sorted(unknown))}", target="project")
    if "category_id" in changes and not Category.objects.filter(pk=changes["category_id"]).exists():
        raise BadRequest("category_id does not exist", target="project")
    for key, value in changes.items():
        setattr(project, key, value)
    if {"name", "short_name"} & changes.keys():
        _check_project_names(project.name, project.short_name, exclude_pk=project.pk)
    _save_unique(project, target="project")
    return project


def delete_project(project: Project) -> None:
    """Delete a project with its tasks and answers; refused while it has results (as PYBOSSA)."""
    from crowdfold.tasks.models import Result

    if Result.objects.filter(project_id=project.pk).exists():
        raise Forbidden("A project with results cannot be deleted", target="project")
    project.delete()


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


# -- categories ------------------------------------------------------------------------------------
def create_category(
    *, name: str, short_name: str = "", description: str = "", info=None
) -> Category:
    """Create a category (admins only, checked by the caller)."""
    if not name:
        raise IntegrityFailure("name is required", target="category")
    category = Category(
        name=name,
        short_name=short_name or name.lower().replace(" ", ""),
        description=description or "",
        info=info if info is not None else {},
    )
    _save_unique(category, target="category")
    return category


def update_category(category: Category, changes: dict) -> Category:
    for key, value in changes.items():
        setattr(category, key, value)
    _save_unique(category, target="category")
    return category


def delete_category(category: Category) -> None:
    if category.projects.exists():
        raise IntegrityFailure("The category still has projects", target="category")
    category.delete()


# -- helping material ------------------------------------------------------------------------------
def create_helping_material(
    project: Project, *, info=None, media_url=None, priority=0.0, upload=None
) -> HelpingMaterial:
    """Add a tutorial asset to a project. An uploaded file is checked and stored in the project
    owner's folder; ``media_url`` points at it and ``info`` names it, as PYBOSSA does."""
    info = dict(info) if isinstance(info, dict) else ({} if info is None else info)
    if upload is not None:
        from crowdfold.ops.uploads import save_upload

        stored = save_upload(upload, upload.name or "", folder=f"user_{project.owner_id}")
        container, _, file_name = stored.name.rpartition("/")
        media_url = stored.url
        info = {
            **(info if isinstance(info, dict) else {}),
            "container": container,
            "file_name": file_name,
        }
    return HelpingMaterial.objects.create(
        project=project, info=info, media_url=media_url, priority=priority
    )


def update_helping_material(material: HelpingMaterial, changes: dict) -> HelpingMaterial:
    for key, value in changes.items():
        setattr(material, key, value)
    material.save()
    return material


def delete_helping_material(material: HelpingMaterial) -> None:
    """Delete the material and the file uploaded with it, if any."""
    from crowdfold.ops.uploads import delete_upload

    info = material.info if isinstance(material.info, dict) else {}
    material.delete()
    if info.get("container") and info.get("file_name"):
        delete_upload(f"{info['container']}/{info['file_name']}")
