"""``/api/helpingmaterial``: tutorial assets, readable when the project is published (or by its
owners), managed by the project's owners and admins."""

from __future__ import annotations

from crowdfold.api import openapi
from crowdfold.api.resources import values as v
from crowdfold.api.resources.base import UPLOAD, ProjectRowsVisibility, Resource, Viewer
from crowdfold.api.resources.query import Column
from crowdfold.lib import jsonlimits
from crowdfold.lib.errors import BadRequest, InvalidAttribute, InvalidValue
from crowdfold.lib.timefmt import iso
from crowdfold.projects import services
from crowdfold.projects.models import HelpingMaterial, Project


def helpingmaterial_dict(material: HelpingMaterial) -> dict:
    return {
        "id": material.pk,
        "created": iso(material.created),
        "project_id": material.project_id,
        "info": material.info,
        "media_url": material.media_url,
        "priority": material.priority,
    }


class HelpingMaterialResource(ProjectRowsVisibility, Resource):
    name = "helpingmaterial"
    label = "HelpingMaterial"
    row_schema = openapi.HELPING_MATERIAL
    model = HelpingMaterial
    columns = {
        "id": Column("id", "int"),
        "created": Column("created", "datetime"),
        "project_id": Column("project_id", "ids"),
        "info": Column("info", "json"),
        "media_url": Column("media_url"),
        "priority": Column("priority", "float"),
    }
    reserved = frozenset({"id", "created"})
    writable = frozenset({"project_id", "info", "media_url", "priority"})
    types = {
        "project_id": v.integer(),
        "info": v.json_object,
        "media_url": v.link(null=True),
        "priority": v.number,
    }
    owner_path = "project__owner_id"
    parent_links = (("parent", "project", "project_id"),)

    def read_payload(self, request):
        """JSON, or (pbclient/pbs with a file) multipart: form fields plus the ``file`` part."""
        if not request.content_type.startswith("multipart/form-data"):
            return super().read_payload(request)
        payload = {key: request.POST.get(key) for key in request.POST}
        if "info" in payload:
            try:
                payload["info"] = jsonlimits.loads(payload["info"])
            except ValueError as exc:
                raise InvalidValue(f"info is not JSON: {exc}", target=self.name) from exc
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidAttribute(
                "a multipart upload needs a file part named 'file'", target=self.name
            )
        payload[UPLOAD] = upload
        return payload

    def base_queryset(self):
        return HelpingMaterial.objects.select_related("project")

    def to_dict(self, obj: HelpingMaterial, viewer: Viewer) -> dict:
        return helpingmaterial_dict(obj)

    def check_create(self, data: dict, viewer: Viewer) -> None:
        project_id = data.get("project_id")
        if project_id is None or not Project.objects.filter(pk=project_id).exists():
            raise BadRequest("project_id does not exist", target=self.name)
        if not viewer.manages(project_id):
            viewer.refuse("Only the project's owners may add helping material", self.name)

    def check_update(self, obj: HelpingMaterial, viewer: Viewer) -> None:
        if not viewer.manages(obj.project_id):
            viewer.refuse("Only the project's owners may change helping material", self.name)

    check_delete = check_update

    def clean_payload(self, payload, *, obj=None) -> dict:
        data = super().clean_payload(payload, obj=obj)
        if obj is not None and "project_id" in data:
            if data["project_id"] != obj.project_id:
                raise BadRequest(
                    "Helping material cannot move to another project", target=self.name
                )
            del data["project_id"]
        return data

    def create(self, data: dict, viewer: Viewer) -> HelpingMaterial:
        project = Project.objects.get(pk=data.pop("project_id"))
        upload = data.pop(UPLOAD, None)
        return services.create_helping_material(project, upload=upload, **data)

    def update(self, obj: HelpingMaterial, data: dict, viewer: Viewer) -> HelpingMaterial:
        data.pop(UPLOAD, None)  # a file is given when the material is created
        return services.update_helping_material(obj, data)

    def delete(self, obj: HelpingMaterial, viewer: Viewer) -> None:
        services.delete_helping_material(obj)


resource = HelpingMaterialResource()
