"""Schemathesis reads ``/api/openapi.json`` from the running application and sends every operation
generated requests (valid and deliberately invalid: wrong types, missing or unknown parameters, bad
bodies, malformed Content-Types), once anonymously and once with the project owner's API key.

Every answer must be a non-5xx, with a documented status code and Content-Type, whose body matches
the JSON Schema the document declares for it (``crowdfold/api/openapi.py``). Half of the generated
paths name rows that exist (``REAL_IDS``), so writes with garbage bodies reach real objects.

Bounded: ``FUZZ_EXAMPLES`` cases per operation (6 by default, about 300 cases and 600 requests in
all, well under a minute); derandomised, so a run is repeatable. ``FUZZ_EXAMPLES=100`` explores
further by hand.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from crowdfold.data.models import ImportJob
from crowdfold.ops.models import WebhookDelivery
from crowdfold.projects.models import Category, HelpingMaterial
from crowdfold.tasks.models import Result, TaskRun
from tests.conftest import ApiClient, make_tasks

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

# The ids of the rows the `world` fixture made for the running test (PostgreSQL sequences do not
# restart between tests, so they are looked up each time).
REAL_IDS: dict[str, object] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Either the generated path parameters, or the same with existing rows' ids."""
    if not path_parameters:
        return st.just(path_parameters)
    resource = context.operation.path.split("/")[2]
    real = dict(path_parameters)
    for name in path_parameters:
        key = resource if name == "oid" else name
        if key in REAL_IDS:
            real[name] = REAL_IDS[key]
    return st.sampled_from([path_parameters, real])


@pytest.fixture
def keep_test_connection():
    """Schemathesis calls the WSGI application itself, whose request signals would close the
    database connection that holds the test's transaction (PostgreSQL); Django's test client
    detaches that handler around each of its requests the same way (and attaches it again, so
    this fixture must come after any use of the test client)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, owner, volunteer, project, admin):
    """One of each row: a category, a published project with tasks, an answered task with its
    result, helping material, a webhook delivery and an import job."""
    category = Category.objects.create(name="Nature", short_name="nature")
    tasks = make_tasks(project, 3, n_answers=1)
    answerer = ApiClient(volunteer.api_key)
    task = answerer.get(f"/api/project/{project.pk}/newtask").json()
    answerer.post("/api/taskrun", {"project_id": project.pk, "task_id": task["id"], "info": "A"})
    material = HelpingMaterial.objects.create(project=project, info={"title": "Guide"})
    delivery = WebhookDelivery.objects.create(
        project=project, url="https://hooks.example.org/", payload={"event": "task_completed"}
    )
    job = ImportJob.objects.create(project=project, user=owner, source={"type": "csv"})
    REAL_IDS.clear()
    REAL_IDS.update(
        project=project.pk,
        project_id=project.pk,
        project_ref=project.short_name,
        short_name=project.short_name,
        category=category.pk,
        task=tasks[-1].pk,
        taskrun=TaskRun.objects.get().pk,
        result=Result.objects.get().pk,
        user=volunteer.pk,
        helpingmaterial=material.pk,
        delivery_id=delivery.pk,
        job_id=job.pk,
    )
    yield
    REAL_IDS.clear()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_bad_input_with_a_documented_4xx(
    case, world, owner, keep_test_connection
):
    case.call_and_validate(checks=CHECKS)
    case.call_and_validate(checks=CHECKS, headers={"Authorization": owner.api_key})


def test_userprogress_with_a_non_ascii_digit_is_a_404_not_a_500(api, project):
    res = api().get("/api/project/2%C2%B2/userprogress")
    assert res.status_code == 404
