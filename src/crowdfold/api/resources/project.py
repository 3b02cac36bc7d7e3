"""``/api/project``: published projects are public, drafts only for their owners; non-owners get the
public projection (reference §1.4), owners the complete row so GET→PUT round trips keep every key."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from crowdfold.api import openapi
from crowdfold.api.resources import values as v
from crowdfold.api.resources.base import Resource, Viewer
from crowdfold.api.resources.query import Column, private_criteria
from crowdfold.lib.errors import BadRequest, Forbidden
from crowdfold.lib.features import require_feature
from crowdfold.lib.timefmt import iso
from crowdfold.projects import services
from crowdfold.projects.models import Category, Project
from crowdfold.projects.public import public_project_info, public_project_info_keys
from crowdfold.workshop.audit import changes_since, record_action, record_changes, snapshot

PUBLIC_FIELDS = (
    "id",
    "name",
    "short_name",
    "description",
    "long_description",
    "created",
    "updated",
    "category_id",
    "owner_id",
    "owners_ids",
    "featured",
    "info",
)
NO_PUBLISHING = "You cannot publish a project via the API"


def project_dict(project: Project) -> dict:
    """Every column (PYBOSSA's dictize); only for the project's owners and admins."""
    return {
        "id": project.pk,
        "created": iso(project.created),
        "updated": iso(project.updated),
        "name": project.name,
        "short_name": project.short_name,
        "description": project.description,
        "long_description": project.long_description,
        "webhook": project.webhook or None,
        "allow_anonymous_contributors": project.allow_anonymous_contributors,
        "published": project.published,
        "featured": project.featured,
        "secret_key": project.secret_key,
        "zip_download": project.zip_download,
        "contacted": project.contacted,
        "owner_id": project.owner_id,
        "owners_ids": owners_ids(project),
        "category_id": project.category_id,
        "info": project.info,
    }


def owners_ids(project: Project) -> list[int]:
    ids = sorted(u.pk for u in project.owners.all() if u.pk != project.owner_id)
    return [project.owner_id] + ids


def public_project_dict(project: Project) -> dict:
    full = project_dict(project)
    row = {key: full[key] for key in PUBLIC_FIELDS}
    row["info"] = public_project_info(project)
    return row


class ProjectResource(Resource):
    name = "project"
    label = "Project"
    row_schema = openapi.PROJECT
    model = Project
    columns = {
        "id": Column("id", "int"),
        "name": Column("name"),
        "short_name": Column("short_name"),
        "description": Column("description"),
        "long_description": Column("long_description"),
        "created": Column("created", "datetime"),
        "updated": Column("updated", "datetime"),
        "category_id": Column("category_id", "int"),
        "owner_id": Column("owner_id", "int"),
        "owners_ids": Column("owners__id", "m2m", orderable=False),
        "featured": Column("featured", "bool"),
        "published": Column("published", "bool"),
        "allow_anonymous_contributors": Column("allow_anonymous_contributors", "bool"),
        "zip_download": Column("zip_download", "bool"),
        "info": Column("info", "json"),
    }
    extra_params = {"stats": "Accepted for compatibility; statistics are not attached"}
    reserved = frozenset({"id", "created", "updated", "completed", "contacted", "secret_key"})
    writable = frozenset(
        {
            "name",
            "short_name",
            "description",
            "long_description",
            "info",
            "webhook",
            "allow_anonymous_contributors",
            "zip_download",
            "category_id",
        }
    )
    # Known, but changed elsewhere: ownership on the co-owners page, featuring by admins.
    immutable = frozenset({"published", "owner_id", "owners_ids", "featured"})
    types = {
        "name": v.text(255),
        "short_name": v.text(255),
        "description": v.text(255, null=True),
        "long_description": v.text(null=True),
        "info": v.json_object,
        "webhook": v.text(null=True),
        "allow_anonymous_contributors": v.boolean,
        "zip_download": v.boolean,
        "category_id": v.integer(),
    }
    owner_path = "owner_id"
    parent_links = (("category", "category", "category_id"),)

    def base_queryset(self):
        return Project.objects.prefetch_related("owners")

    def readable(self, qs, viewer: Viewer):
        if viewer.is_admin:
            return qs
        if not viewer.authenticated:
            return qs.filter(published=True)
        return qs.filter(Q(published=True) | Q(pk__in=viewer.managed_project_ids))

    def can_read(self, obj: Project, viewer: Viewer) -> bool:
        return obj.published or viewer.manages(obj.pk)

    def default_filters(self, qs, params, viewer: Viewer):
        """Filters, full-text search and sorting on private ``info`` keys are for those who read
        them: an owner's list narrows to the projects they manage; a caller who manages none gets
        a 400 (PYBOSSA has no such rule to follow: it lets anyone filter on any key)."""
        private = private_criteria(params, public_project_info_keys())
        if not private or viewer.is_admin:
            return qs
        if not viewer.managed_project_ids:
            raise BadRequest(
                f"Only a project's owners may filter or sort on {', '.join(private)}",
                target=self.name,
            )
        return qs.filter(pk__in=viewer.managed_project_ids)

    def to_dict(self, obj: Project, viewer: Viewer) -> dict:
        if viewer.manages(obj.pk):
            return project_dict(obj)
        return public_project_dict(obj)

    # -- permissions: anyone signed in creates; owners (and admins) change and delete -------------
    def check_create(self, data: dict, viewer: Viewer) -> None:
        if not viewer.authenticated:
            viewer.refuse("You must be signed in to create a project", self.name)

    def check_update(self, obj: Project, viewer: Viewer) -> None:
        if not viewer.manages(obj.pk):
            viewer.refuse("Only the project's owners may change it", self.name)

    check_delete = check_update

    def clean_payload(self, payload, *, obj=None) -> dict:
        if isinstance(payload, dict) and "published" in payload:
            stored = obj.published if obj is not None else False
            if payload["published"] != stored:
                raise Forbidden(NO_PUBLISHING, target=self.name)
        return super().clean_payload(payload, obj=obj)

    def refuse_immutable(self, key: str):
        if key == "published":
            raise Forbidden(NO_PUBLISHING, target=self.name)
        super().refuse_immutable(key)

    # -- changes ------------------------------------------------------------------------------------
    def create(self, data: dict, viewer: Viewer) -> Project:
        data.pop("published", None)
        category_id = data.pop("category_id", None)
        if category_id is not None and not Category.objects.filter(pk=category_id).exists():
            raise BadRequest("category_id does not exist", target=self.name)
        if category_id is not None:
            data["category_id"] = category_id
        for key in ("description", "long_description", "webhook"):
            if key in data and data[key] is None:
                data[key] = ""
        if data.get("webhook"):
            require_feature("webhooks", viewer.user, self.name)
        project = services.create_project(
            viewer.user, name=data.pop("name", ""), short_name=data.pop("short_name", ""), **data
        )
        record_action(project, viewer.user, "create", caller="api", note=project.name)
        return project

    @transaction.atomic
    def update(self, obj: Project, data: dict, viewer: Viewer) -> Project:
        for key in ("description", "long_description", "webhook"):
            if key in data and data[key] is None:
                data[key] = ""
        if data.get("webhook") and data["webhook"] != obj.webhook:  # clearing one is always fine
            require_feature("webhooks", viewer.user, self.name)
        # The same audit log as the workshop's pages, marked "api" (who, field, old -> new).
        before = snapshot(obj)
        services.update_project(obj, data)
        record_changes(obj, viewer.user, changes_since(before, obj), caller="api")
        return Project.objects.prefetch_related("owners").get(pk=obj.pk)

    @transaction.atomic
    def delete(self, obj: Project, viewer: Viewer) -> None:
        record_action(obj, viewer.user, "delete", caller="api", note=obj.name)
        services.delete_project(obj)


resource = ProjectResource()
