"""A small generic REST resource in PYBOSSA's style, and the routes every resource gets.

A resource module subclasses ``Resource`` and states, in one place: its columns (filters and
ordering), the keys a payload may carry, who may read/create/update/delete, how a row is shown to a
given caller, and which service performs each change. The views below are the same for all.
"""

from __future__ import annotations

from functools import cached_property

from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from ninja import Query, Router

from crowdfold.api import openapi
from crowdfold.api.auth import api_user
from crowdfold.api.errors import parse_json_body
from crowdfold.api.resources import fulltext
from crowdfold.api.resources.query import (
    Column,
    apply_filters,
    order_and_slice,
    parse_list_params,
)
from crowdfold.api.resources.values import MAX_DB_INT
from crowdfold.lib.errors import (
    BadRequest,
    Forbidden,
    InvalidKey,
    MethodNotAllowed,
    NotFound,
    Unauthorized,
)
from crowdfold.projects.models import Project

LINK_KEYS = {"link", "links"}
UPLOAD = object()  # payload key of a multipart file; JSON can never produce it


class Viewer:
    """The caller of one request, with the project ids they manage looked up once, lazily."""

    def __init__(self, user, request=None):
        self.user = user
        self.request = request

    @property
    def authenticated(self) -> bool:
        return bool(self.user and self.user.is_authenticated)

    @property
    def is_admin(self) -> bool:
        return self.authenticated and self.user.is_superuser

    @property
    def pk(self) -> int | None:
        return self.user.pk if self.authenticated else None

    @cached_property
    def managed_project_ids(self) -> frozenset[int]:
        if not self.authenticated:
            return frozenset()
        ids = Project.objects.filter(Q(owner_id=self.pk) | Q(owners__id=self.pk)).values_list(
            "id", flat=True
        )
        return frozenset(ids)

    def manages(self, project_id: int) -> bool:
        """Admin, creator or co-owner of the project (PYBOSSA's ``owners_ids`` rule)."""
        return self.is_admin or project_id in self.managed_project_ids

    def refuse(self, message: str, target: str):
        """PYBOSSA's rule: an anonymous caller gets 401, an authenticated one 403."""
        if not self.authenticated:
            raise Unauthorized(message, target=target)
        raise Forbidden(message, target=target)


class ProjectRowsVisibility:
    """Rows that belong to a project (tasks, answers, results, helping material) are readable when
    the project is published, or by those who manage it: a draft's data is as private as the
    draft itself (``/api/project`` hides drafts the same way)."""

    def readable(self, qs, viewer: Viewer):
        if viewer.is_admin:
            return qs
        return qs.filter(Q(project__published=True) | Q(project_id__in=viewer.managed_project_ids))

    def can_read(self, obj, viewer: Viewer) -> bool:
        return obj.project.published or viewer.manages(obj.project_id)


class Resource:
    name: str = ""  # URL segment and error target
    label: str = ""  # PYBOSSA's class name, for its AttributeError messages
    model = None
    columns: dict[str, Column] = {}
    extra_params: dict[str, str] = {}  # name -> description, for list params beyond columns
    reserved: frozenset[str] = frozenset({"id", "created"})
    writable: frozenset[str] = frozenset()  # keys a payload may set
    immutable: frozenset[str] = frozenset()  # known keys accepted in PUT only when unchanged
    types: dict = {}  # writable key -> coercer(value, name) from values.py
    owner_path: str | None = None  # lookup of the project creator, for the owner context
    parent_links: tuple[tuple[str, str, str], ...] = ()  # (rel, title, attribute holding the id)
    methods: frozenset[str] = frozenset({"POST", "DELETE"})  # collection POST / item DELETE offered
    create_operation = None  # a view that replaces the generic collection POST
    row_schema: dict = {}  # JSON Schema of one row, for /api/openapi.json (api/openapi.py)

    # -- reading ---------------------------------------------------------------------------------
    def base_queryset(self):
        return self.model.objects.all()

    def readable(self, qs, viewer: Viewer):
        """Restrict a list to rows the caller may read (SQL twin of ``can_read``)."""
        return qs

    def can_read(self, obj, viewer: Viewer) -> bool:
        return True

    def default_filters(self, qs, params, viewer: Viewer):
        return qs

    def to_dict(self, obj, viewer: Viewer) -> dict:
        raise NotImplementedError

    def add_related(self, rows: list[dict], objs: list) -> None:
        """``related=1``: attach related rows in bulk (no query per row)."""

    # -- writing ---------------------------------------------------------------------------------
    def check_create(self, data: dict, viewer: Viewer) -> None:
        viewer.refuse(f"You cannot create a {self.name}", self.name)

    def check_update(self, obj, viewer: Viewer) -> None:
        viewer.refuse(f"You cannot update this {self.name}", self.name)

    def check_delete(self, obj, viewer: Viewer) -> None:
        viewer.refuse(f"You cannot delete this {self.name}", self.name)

    def create(self, data: dict, viewer: Viewer):
        raise NotImplementedError

    def update(self, obj, data: dict, viewer: Viewer):
        raise NotImplementedError

    def delete(self, obj, viewer: Viewer) -> None:
        raise NotImplementedError

    def read_payload(self, request):
        """The request body as a dict (PYBOSSA parses JSON whatever the Content-Type says)."""
        return parse_json_body(request)

    def stored_value(self, obj, key: str):
        """The wire value of ``key`` for the PUT "unchanged" check."""
        return self.to_dict(obj, _ADMIN_VIEW).get(key)

    # -- helpers shared by the views --------------------------------------------------------------
    def get_object(self, oid: int):
        obj = None
        if 0 < oid <= MAX_DB_INT:
            obj = self.base_queryset().filter(pk=oid).first()
        if obj is None:
            raise NotFound(f"404 Not Found: {self.name} {oid}", target=self.name)
        return obj

    def clean_payload(self, payload, *, obj=None) -> dict:
        """Drop ``link``/``links``, refuse reserved (400) and unknown (415 TypeError) keys. On PUT a
        reserved or immutable key is accepted when it repeats the stored value (GET→PUT round trips)."""
        if not isinstance(payload, dict):
            raise InvalidKey(f"The {self.name} payload must be a JSON object", target=self.name)
        data = {k: v for k, v in payload.items() if k not in LINK_KEYS}
        for key in list(data):
            if key is UPLOAD:
                continue
            if key in self.writable:
                if key in self.types:
                    data[key] = self.types[key](data[key], key)
                continue
            known = key in self.reserved or key in self.immutable
            if obj is not None and known and _same(self.stored_value(obj, key), data[key]):
                del data[key]
                continue
            if key in self.reserved:
                raise BadRequest("Reserved keys in payload", target=self.name)
            if key in self.immutable:
                self.refuse_immutable(key)
            raise InvalidKey(
                f"'{key}' is an invalid keyword argument for {self.label}", target=self.name
            )
        return data

    def refuse_immutable(self, key: str):
        raise Forbidden(f"{key} cannot be changed through the API", target=self.name)

    def links(self, request, obj) -> tuple[str, list[str]]:
        link = _link(request, "self", self.name, f"/api/{self.name}/{obj.pk}")
        parents = []
        for rel, title, attr in self.parent_links:
            parent_id = getattr(obj, attr)
            if parent_id is not None:
                parents.append(_link(request, rel, title, f"/api/{title}/{parent_id}"))
        return link, parents

    def show(self, request, obj, viewer: Viewer) -> dict:
        row = self.to_dict(obj, viewer)
        row["link"], links = self.links(request, obj)
        if links:
            row["links"] = links
        return row


class _AdminView(Viewer):
    """Sees every column: used to compare a PUT body with what is stored."""

    def __init__(self):
        super().__init__(None)

    @property
    def is_admin(self) -> bool:
        return True

    def manages(self, project_id: int) -> bool:
        return True


_ADMIN_VIEW = _AdminView()


def _same(stored, sent) -> bool:
    if stored == sent:
        return True
    # Numbers may come back as strings or floats from loosely typed clients.
    return str(stored) == str(sent)


def _link(request, rel: str, title: str, path: str) -> str:
    return f"<link rel='{rel}' title='{title}' href='{request.build_absolute_uri(path)}'/>"


# -- views ---------------------------------------------------------------------------------------
def list_rows(request, resource: Resource) -> list[dict]:
    viewer = Viewer(api_user(request), request)
    params = parse_list_params(request.GET, resource)
    qs = resource.default_filters(resource.base_queryset(), params, viewer)
    qs = resource.readable(apply_filters(qs, resource, params), viewer)
    if (
        resource.owner_path
        and viewer.authenticated
        and not params.all
        and not params.extras.get("participated")
    ):
        # PYBOSSA's "your data first": a signed-in caller lists their own projects' rows unless all=1.
        qs = qs.filter(**{resource.owner_path: viewer.pk})
    if params.fulltext:
        objs = fulltext.search(qs, params.fulltext, params.offset, params.limit)
        rows = [
            resource.show(request, obj, viewer) | {"headline": obj.ft_headline, "rank": obj.ft_rank}
            for obj in objs
        ]
    else:
        objs = order_and_slice(qs, resource, params)
        rows = [resource.show(request, obj, viewer) for obj in objs]
    if params.related:
        resource.add_related(rows, objs)
    return rows


def get_row(request, resource: Resource, oid: int) -> dict:
    viewer = Viewer(api_user(request), request)
    obj = resource.get_object(oid)
    if not resource.can_read(obj, viewer):
        viewer.refuse(f"You cannot read this {resource.name}", resource.name)
    row = resource.show(request, obj, viewer)
    if request.GET.get("related"):
        resource.add_related([row], [obj])
    return row


def _allowed(resource: Resource, method: str) -> None:
    if method not in resource.methods:
        raise MethodNotAllowed(
            "The method is not allowed for the requested URL.", target=resource.name
        )


def create_row(request, resource: Resource) -> dict:
    _allowed(resource, "POST")
    viewer = Viewer(api_user(request), request)
    data = resource.clean_payload(resource.read_payload(request))
    resource.check_create(data, viewer)
    obj = resource.create(data, viewer)
    return resource.to_dict(obj, viewer)


def update_row(request, resource: Resource, oid: int) -> dict:
    viewer = Viewer(api_user(request), request)
    obj = resource.get_object(oid)
    resource.check_update(obj, viewer)
    data = resource.clean_payload(resource.read_payload(request), obj=obj)
    obj = resource.update(obj, data, viewer)
    return resource.to_dict(obj, viewer)


def delete_row(request, resource: Resource, oid: int) -> HttpResponse:
    _allowed(resource, "DELETE")
    viewer = Viewer(api_user(request), request)
    obj = resource.get_object(oid)
    resource.check_delete(obj, viewer)
    resource.delete(obj, viewer)
    return HttpResponse(status=204)


_LIST_DOC = (
    "PYBOSSA's collection GET. Any other query parameter must name a column ({columns}) and is an "
    "equality filter (`project_id` takes several ids, `created` a date prefix, `info` either "
    "`key::value|key2::value2` or a JSON document matched by containment). An unknown parameter is "
    "a 415 AttributeError. Signed-in callers see rows of their own projects unless `all=1`. "
    "Filtering, full-text searching or sorting (`orderby=info`) on `info` keys the caller may not "
    "read is refused (users: 403; projects, categories: 400), except that a project's owners "
    "may, among the projects they manage."
)


def _body_doc(resource: Resource, method: str) -> dict:
    properties = {key: {} for key in sorted(resource.writable)}
    return {
        "requestBody": {
            "content": {
                "application/json": {"schema": {"type": "object", "properties": properties}}
            },
            "required": True,
        },
        **_responses_doc(resource, method, resource.row_schema),
    }


def _responses_doc(resource: Resource, method: str, ok: dict | None) -> dict:
    offered = method not in {"POST", "DELETE"} or method in resource.methods
    return openapi.responses(None if not offered else ok, method_allowed=offered)


def build_router(resource: Resource) -> Router:
    """The five routes of a resource. Query parameters are declared for the OpenAPI document; the
    views read ``request.GET`` themselves to keep PYBOSSA's lenient parsing."""
    router = Router(tags=[resource.name])
    name = resource.name
    columns = ", ".join(sorted(resource.columns))

    @router.get(
        f"/{name}",
        operation_id=f"list_{name}",
        summary=f"List {name} rows",
        description=_LIST_DOC.format(columns=columns),
        openapi_extra=_responses_doc(
            resource, "GET", {"type": "array", "items": resource.row_schema}
        ),
    )
    def list_view(
        request,
        limit: int | None = Query(None, description="Rows per page (default 20, at most 100)"),
        offset: int | None = Query(None, description="Rows to skip"),
        last_id: int | None = Query(
            None, description="Keyset pagination: rows with id > last_id, ascending"
        ),
        orderby: str | None = Query(None, description=f"Column to sort by: {columns}"),
        desc: str | None = Query(None, description="Descending order (true/false)"),
        all: str | None = Query(None, description="1: do not restrict to your own projects"),
        related: str | None = Query(None, description="Attach related rows"),
        fulltextsearch: str | None = Query(
            None,
            description="1: info=key::terms becomes a full-text search (rows gain headline, rank)",
        ),
    ):
        return JsonResponse(list_rows(request, resource), safe=False)

    @router.get(
        f"/{name}/{{int:oid}}",
        operation_id=f"get_{name}",
        summary=f"Get one {name}",
        openapi_extra=_responses_doc(resource, "GET", resource.row_schema),
    )
    def get_view(
        request, oid: int, related: str | None = Query(None, description="Attach related rows")
    ):
        return JsonResponse(get_row(request, resource, oid))

    if resource.create_operation is not None:
        router.add_api_operation(
            f"/{name}",
            ["POST"],
            resource.create_operation,
            operation_id=f"create_{name}",
            summary=f"Create a {name}",
            openapi_extra=_body_doc(resource, "POST"),
        )
    else:

        @router.post(
            f"/{name}",
            operation_id=f"create_{name}",
            summary=f"Create a {name}",
            openapi_extra=_body_doc(resource, "POST"),
        )
        def create_view(request):
            return JsonResponse(create_row(request, resource))

    @router.put(
        f"/{name}/{{int:oid}}",
        operation_id=f"update_{name}",
        summary=f"Update a {name}",
        openapi_extra=_body_doc(resource, "PUT"),
    )
    def update_view(request, oid: int):
        return JsonResponse(update_row(request, resource, oid))

    @router.delete(
        f"/{name}/{{int:oid}}",
        operation_id=f"delete_{name}",
        summary=f"Delete a {name}",
        response={204: None},
        openapi_extra=_responses_doc(resource, "DELETE", None),
    )
    def delete_view(request, oid: int):
        return delete_row(request, resource, oid)

    return router
