"""``/api/category``: readable by anyone, changed by admins only."""

from __future__ import annotations

from crowdfold.api import openapi
from crowdfold.api.resources import values as v
from crowdfold.api.resources.base import Resource, Viewer
from crowdfold.api.resources.query import Column, private_criteria
from crowdfold.lib.errors import BadRequest
from crowdfold.lib.timefmt import iso
from crowdfold.projects import services
from crowdfold.projects.models import Category
from crowdfold.projects.public import public_category_info, public_category_info_keys


def category_dict(category: Category) -> dict:
    return {
        "id": category.pk,
        "created": iso(category.created),
        "name": category.name,
        "short_name": category.short_name,
        "description": category.description,
        "info": category.info,
    }


class CategoryResource(Resource):
    name = "category"
    label = "Category"
    row_schema = openapi.CATEGORY
    model = Category
    columns = {
        "id": Column("id", "int"),
        "name": Column("name"),
        "short_name": Column("short_name"),
        "description": Column("description"),
        "created": Column("created", "datetime"),
        "info": Column("info", "json"),
    }
    reserved = frozenset({"id", "created"})
    writable = frozenset({"name", "short_name", "description", "info"})
    types = {
        "name": v.text(255),
        "short_name": v.text(255),
        "description": v.text(null=True),
        "info": v.json_object,
    }

    def default_filters(self, qs, params, viewer: Viewer):
        """Only admins read a category's private ``info`` keys, so only they filter, search or
        sort on them (the rows returned would tell the value)."""
        private = private_criteria(params, public_category_info_keys())
        if private and not viewer.is_admin:
            raise BadRequest(
                f"Only admins may filter or sort categories on {', '.join(private)}",
                target=self.name,
            )
        return qs

    def to_dict(self, obj: Category, viewer: Viewer) -> dict:
        row = category_dict(obj)
        if not viewer.is_admin:  # CATEGORY_INFO_PUBLIC_FIELDS, as on the category pages
            row["info"] = public_category_info(obj)
        return row

    def _admin_only(self, viewer: Viewer, *args) -> None:
        if not viewer.is_admin:
            viewer.refuse("Only admins may manage categories", self.name)

    def check_create(self, data: dict, viewer: Viewer) -> None:
        self._admin_only(viewer)

    def check_update(self, obj, viewer: Viewer) -> None:
        self._admin_only(viewer)

    check_delete = check_update

    def create(self, data: dict, viewer: Viewer) -> Category:
        return services.create_category(
            name=data.get("name") or "",
            short_name=data.get("short_name") or "",
            description=data.get("description") or "",
            info=data.get("info"),
        )

    def update(self, obj: Category, data: dict, viewer: Viewer) -> Category:
        if data.get("description", "") is None:
            data["description"] = ""
        return services.update_category(obj, data)

    def delete(self, obj: Category, viewer: Viewer) -> None:
        services.delete_category(obj)


resource = CategoryResource()
