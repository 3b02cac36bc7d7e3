"""What ``/api/openapi.json`` promises about responses: JSON Schemas of the rows the API sends, and
PYBOSSA's error shape on every operation.

The views return ``JsonResponse`` themselves (PYBOSSA's lenient wire format), so django-ninja cannot
infer their schemas; they are written here, next to each other, and attached to the operations with
``openapi_extra``. ``tests/api/test_openapi_fuzz.py`` (schemathesis) holds the server to them.
"""

from __future__ import annotations

ERROR_REF = {"$ref": "#/components/schemas/Error"}

ERROR_SCHEMA = {
    "type": "object",
    "description": "PYBOSSA's error JSON (pbclient and pbs read exception_cls)",
    "properties": {
        "status": {"const": "failed"},
        "status_code": {"type": "integer"},
        "action": {"type": "string"},
        "target": {"type": "string"},
        "exception_cls": {"type": "string"},
        "exception_msg": {"type": "string"},
    },
    "required": ["status", "status_code", "action", "target", "exception_cls", "exception_msg"],
    "additionalProperties": False,
}

# Every operation may answer these; writes also 409. Where a resource does not offer a method it
# answers 405 (added per operation by the resource router).
COMMON_ERRORS = {
    400: "Bad request (PYBOSSA's BadRequest)",
    401: "Not signed in, and the operation needs a user",
    403: "Signed in, but not allowed",
    404: "No such row",
    415: "Malformed value, unknown key or attribute (PYBOSSA's 415 family)",
    429: "Rate limit exceeded (LIMIT requests per PER seconds)",
    503: "The database or cache is unavailable for a moment: retry after Retry-After seconds",
}
WRITE_ERRORS = {409: "Conflicts with the current state (e.g. enough answers already)"}
METHOD_NOT_ALLOWED = {405: "This resource does not offer the method"}

RATE_LIMIT_HEADERS = {
    name: {"description": text, "schema": {"type": "string"}}
    for name, text in (
        ("X-RateLimit-Limit", "Requests allowed per window"),
        ("X-RateLimit-Remaining", "Requests left in this window"),
        ("X-RateLimit-Reset", "End of the window, epoch seconds"),
    )
}


def nullable(kind: str | dict) -> dict:
    schema = {"type": kind} if isinstance(kind, str) else kind
    return {"anyOf": [schema, {"type": "null"}]}


INT = {"type": "integer"}
STR = {"type": "string"}
BOOL = {"type": "boolean"}
NUM = {"type": "number"}
OBJ = {"type": "object"}
ANY: dict = {}
INT_LIST = {"type": "array", "items": INT}
TIMESTAMP = {"type": "string", "description": "naive UTC ISO 8601, PYBOSSA's format"}


def row(required: dict, optional: dict | None = None) -> dict:
    """An object schema; extra keys are allowed (``link``, ``links``, ``related=1`` additions)."""
    return {
        "type": "object",
        "properties": {
            **required,
            **(optional or {}),
            "link": STR,
            "links": {"type": "array", "items": STR},
        },
        "required": sorted(required),
    }


PROJECT = row(
    {
        "id": INT,
        "name": STR,
        "short_name": STR,
        "description": STR,
        "long_description": STR,
        "created": TIMESTAMP,
        "updated": nullable(TIMESTAMP),
        "category_id": nullable("integer"),
        "owner_id": INT,
        "owners_ids": INT_LIST,
        "featured": BOOL,
        "info": OBJ,
    },
    # The owners' (and admins') full row adds these.
    {
        "webhook": nullable("string"),
        "allow_anonymous_contributors": BOOL,
        "published": BOOL,
        "secret_key": STR,
        "zip_download": BOOL,
        "contacted": BOOL,
    },
)
CATEGORY = row(
    {
        "id": INT,
        "created": TIMESTAMP,
        "name": STR,
        "short_name": STR,
        "description": STR,
        "info": nullable("object"),
    }
)
TASK = row(
    {
        "id": INT,
        "created": TIMESTAMP,
        "project_id": INT,
        "state": {"enum": ["ongoing", "completed"]},
        "quorum": INT,
        "calibration": INT,
        "priority_0": NUM,
        "n_answers": INT,
        "fav_user_ids": nullable(INT_LIST),
        "info": ANY,
    }
)
TASKRUN = row(
    {
        "id": INT,
        "created": TIMESTAMP,
        "finish_time": nullable(TIMESTAMP),
        "project_id": INT,
        "task_id": INT,
        "user_id": nullable("integer"),
        "user_ip": nullable("string"),
        "external_uid": nullable("string"),
        "media_url": nullable("string"),
        "timeout": nullable("integer"),
        "calibration": nullable("integer"),
        "info": ANY,
    }
)
RESULT = row(
    {
        "id": INT,
        "created": TIMESTAMP,
        "project_id": INT,
        "task_id": INT,
        "task_run_ids": nullable(INT_LIST),
        "last_version": BOOL,
        "info": ANY,
    }
)
USER = row(
    {"name": STR, "locale": STR, "info": OBJ},
    # Public profiles show fullname and created unless the person chose privacy mode; the person
    # themself and admins get the full row, and only the person their api_key.
    {
        "id": INT,
        "created": TIMESTAMP,
        "fullname": STR,
        "email_addr": STR,
        "admin": BOOL,
        "pro": BOOL,
        "privacy_mode": BOOL,
        "restrict": BOOL,
        "valid_email": BOOL,
        "subscribed": BOOL,
        "consent": BOOL,
        "api_key": STR,
    },
)
HELPING_MATERIAL = row(
    {
        "id": INT,
        "created": TIMESTAMP,
        "project_id": INT,
        "info": OBJ,
        "media_url": nullable("string"),
        "priority": nullable("number"),
    }
)

NEWTASK = {
    "description": "{} when nothing is left, one task, or a list when limit > 1; a refusal for "
    "anonymous callers where anonymous contributors are not allowed (every column null, "
    "info.error says why)",
    "anyOf": [
        TASK,
        {"type": "array", "items": TASK},
        {"type": "object", "maxProperties": 0},
        {
            "type": "object",
            "properties": {
                "id": {"type": "null"},
                "info": {
                    "type": "object",
                    "properties": {"error": STR},
                    "required": ["error"],
                },
            },
            "required": ["id", "info"],
        },
    ],
}
USERPROGRESS = {
    "type": "object",
    "properties": {"done": INT, "total": INT},
    "required": ["done", "total"],
}
SKIPPED = {"type": "object", "properties": {"skipped": INT}, "required": ["skipped"]}
GLOBALSTATS = {
    "type": "object",
    "properties": {
        key: INT
        for key in (
            "n_projects",
            "n_users",
            "n_tasks",
            "n_task_runs",
            "n_pending_tasks",
            "n_results",
        )
    }
    | {"categories": {"type": "array", "items": {"type": "object"}}},
    "required": ["n_projects", "n_users", "n_tasks", "n_task_runs", "n_results", "categories"],
}
DELIVERY = {
    "type": "object",
    "properties": {
        "id": INT,
        "created": TIMESTAMP,
        "updated": nullable(TIMESTAMP),
        "project_id": INT,
        "url": STR,
        "payload": ANY,
        "status": STR,
        "response_status_code": nullable("integer"),
        "response": nullable("string"),
        "attempts": INT,
        "attempt_log": {"type": "array", "items": OBJ},
    },
    "required": ["id", "project_id", "url", "status", "attempts"],
}
QUEUED = {"type": "object", "properties": {"queued": INT}, "required": ["queued"]}
IMPORT_REPORT = {
    "type": "object",
    "properties": {
        "created": INT,
        "duplicates": INT,
        "rows": INT,
        "batch": nullable("string"),
    },
    "required": ["created", "duplicates", "rows"],
}
IMPORT_JOB = {
    "type": "object",
    "properties": {
        "id": INT,
        "project_id": INT,
        "state": STR,
        "rows_read": nullable("integer"),
        "created": nullable("integer"),
        "duplicates": nullable("integer"),
        "error": nullable("string"),
        "source": OBJ,
        "status_url": STR,
    },
    "required": ["id", "project_id", "state", "source"],
}
AUTOIMPORTER = {
    "type": "object",
    "properties": {
        "source": OBJ,
        "last_run": nullable(TIMESTAMP),
        "last_created": nullable("integer"),
        "last_error": nullable("string"),
    },
    "required": ["source", "last_run"],
}


def json_response(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def responses(ok: dict | None, *, method_allowed: bool = True) -> dict:
    """``openapi_extra`` for a resource operation: its 200 row schema (``ok``), and 405 where the
    resource does not offer the method."""
    declared: dict = {}
    if ok is not None:
        declared[200] = json_response(ok)
    if not method_allowed:
        declared.update(
            {code: json_response(ERROR_REF, text) for code, text in METHOD_NOT_ALLOWED.items()}
        )
    return {"responses": declared} if declared else {}


def add_error_responses(schema: dict) -> dict:
    """Post-process ninja's document: the Error component, the API-key security schemes, and
    PYBOSSA's error responses (plus the rate-limit headers) on every operation."""
    add_operation_responses(schema)
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    components["securitySchemes"] = {
        "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": "Authorization"},
        "ApiKeyQuery": {"type": "apiKey", "in": "query", "name": "api_key"},
    }
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            codes = dict(COMMON_ERRORS)
            if method != "get":
                codes.update(WRITE_ERRORS)
            declared = operation.setdefault("responses", {})
            for code, text in codes.items():
                declared.setdefault(str(code), json_response(ERROR_REF, text))
            # ninja keys responses by int; JSON turns every key into a string anyway.
            for key in list(declared):
                if not isinstance(key, str):
                    declared[str(key)] = declared.pop(key)
            for response in declared.values():
                response.setdefault("headers", {}).update(RATE_LIMIT_HEADERS)
            # Anonymous access is allowed wherever the API key is optional.
            operation.setdefault("security", [{}, {"ApiKeyHeader": []}, {"ApiKeyQuery": []}])
    return schema


# The operations outside the generic resources, by (path, method): the success responses.
FILE_DOWNLOAD = {
    "description": "The file, streamed: a JSON array of rows (format=json), or JSON Lines, CSV, "
    "a zip archive",
    "content": {
        "application/json": {"schema": {"type": "array", "items": OBJ}},
        **{
            media: {"schema": {"type": "string"}}
            for media in ("application/x-ndjson", "text/csv", "application/zip")
        },
    },
}
OPERATIONS = {
    ("/api/project/{project_id}/newtask", "get"): {200: json_response(NEWTASK)},
    ("/api/project/{project_ref}/userprogress", "get"): {200: json_response(USERPROGRESS)},
    ("/api/project/{project_id}/skip", "post"): {200: json_response(SKIPPED)},
    ("/api/globalstats", "get"): {200: json_response(GLOBALSTATS)},
    ("/api/auth/project/{short_name}/token", "get"): {
        200: {"description": "The bare JWT", "content": {"text/plain": {"schema": STR}}}
    },
    ("/api/project/{project_id}/webhooks", "get"): {
        200: json_response({"type": "array", "items": DELIVERY})
    },
    ("/api/project/{project_id}/webhooks", "post"): {200: json_response(QUEUED)},
    ("/api/project/{project_id}/webhooks/{delivery_id}", "get"): {200: json_response(DELIVERY)},
    ("/api/project/{project_id}/webhooks/{delivery_id}", "post"): {200: json_response(QUEUED)},
    ("/api/project/{project_id}/export", "get"): {200: FILE_DOWNLOAD},
    ("/api/project/{project_id}/import", "post"): {
        200: json_response(IMPORT_REPORT, "Imported at once"),
        202: json_response(IMPORT_JOB, "Queued as a background job"),
    },
    ("/api/project/{project_id}/import/{job_id}", "get"): {200: json_response(IMPORT_JOB)},
    ("/api/project/{project_id}/autoimporter", "get"): {200: json_response(AUTOIMPORTER)},
    ("/api/project/{project_id}/autoimporter", "put"): {200: json_response(AUTOIMPORTER)},
    ("/api/project/{project_id}/autoimporter", "delete"): {204: {"description": "Removed"}},
}


def add_operation_responses(schema: dict) -> None:
    for (path, method), declared in OPERATIONS.items():
        operation = schema["paths"][path][method]
        responses_ = operation.setdefault("responses", {})
        if 204 in declared:
            responses_.pop(200, None)
        responses_.update(declared)
