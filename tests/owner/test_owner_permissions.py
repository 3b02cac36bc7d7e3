"""Every owner page: the creator, a co-owner and an admin may; another user gets 403; an anonymous
visitor is sent to sign in."""

from __future__ import annotations

import pytest
from django.test import Client

from crowdfold.accounts.services import create_user
from crowdfold.workshop.models import BlogPost
from tests.conftest import make_tasks

GET_PAGES = [
    "update",
    "settings",
    "publish",
    "delete",
    "thumbnail",
    "tasks/",
    "tasks/settings",
    "tasks/delete",
    "tasks/browse",
    "tasks/{task}/",
    "tasks/taskpresentereditor",
    "tasks/tutorial",
    "tasks/helpingmaterials",
    "new-blogpost",
    "blog/{post}/update",
    "auditlog",
]

# Actions that change something, with a body a permitted person could send.
POST_ACTIONS = [
    ("update", {"name": "Bird Count 2", "short_name": "birds", "description": "x"}),
    ("settings", {"allow_anonymous_contributors": "on", "webhook": ""}),
    ("password/set", {"password": "pw"}),
    ("resetsecretkey", {}),
    ("coowners", {"name": "outsider"}),
    ("transferownership", {"email_or_name": "volunteer"}),
    ("unpublish", {}),
    ("delete", {"confirm": "birds"}),
    ("tasks/scheduler", {"sched": "breadth_first"}),
    ("tasks/redundancy", {"n_answers": "2"}),
    ("tasks/priority", {"task_ids": "{task}", "priority_0": "0.5"}),
    ("tasks/delete", {}),
    ("tasks/samples", {"template": "image"}),
    ("tasks/taskpresentereditor", {"editor": "<p>hi</p>"}),
    ("tasks/tutorial", {"tutorial": "<p>learn</p>"}),
    ("tasks/helpingmaterials", {"title": "Guide", "text": "Look closely"}),
    ("new-blogpost", {"title": "News", "body": "Hello"}),
    ("blog/{post}/delete", {}),
]


@pytest.fixture(autouse=True)
def no_pro_gates(settings):
    """Ownership rules only; what PRO_FEATURES adds is tested in test_pro_features.py."""
    settings.PRO_FEATURES = dict.fromkeys(settings.PRO_FEATURES, False)


@pytest.fixture
def coowner(project):
    person = create_user("coowner", "coowner@example.org", "coowner-pass-123")
    project.owners.add(person)
    return person


@pytest.fixture
def ids(project, owner):
    (task,) = make_tasks(project, 1)
    post = BlogPost.objects.create(project=project, user=owner, title="Hi", body="First")
    return {"task": task.pk, "post": post.pk}


def url(path: str, ids: dict) -> str:
    return "/project/birds/" + path.format(**ids)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_owner_pages_open_for_creator_coowner_and_admin(project, ids, owner, coowner, admin):
    for person in (owner, coowner, admin):
        client = client_for(person)
        for path in GET_PAGES:
            res = client.get(url(path, ids))
            assert res.status_code == 200, (person, path, res.status_code)


def test_owner_pages_refuse_other_users_and_send_anonymous_to_sign_in(project, ids, outsider):
    other, anonymous = client_for(outsider), client_for(None)
    for path in GET_PAGES:
        assert other.get(url(path, ids)).status_code == 403, path
        res = anonymous.get(url(path, ids))
        assert res.status_code == 302, path
        assert res["Location"].startswith("/account/signin?next="), path


def test_owner_actions_refuse_other_users_and_anonymous_and_change_nothing(project, ids, outsider):
    before = project.__class__.objects.get(pk=project.pk)
    other, anonymous = client_for(outsider), client_for(None)
    for path, data in POST_ACTIONS:
        body = {k: v.format(**ids) for k, v in data.items()}
        assert other.post(url(path, ids), body).status_code == 403, path
        assert anonymous.post(url(path, ids), body).status_code == 302, path
    after = project.__class__.objects.get(pk=project.pk)
    assert (after.name, after.secret_key, after.published, after.info, after.owner_id) == (
        before.name,
        before.secret_key,
        before.published,
        before.info,
        before.owner_id,
    )
    assert after.owner_ids() == before.owner_ids()


@pytest.mark.parametrize(("path", "data"), POST_ACTIONS)
def test_coowner_may_perform_owner_actions(path, data, project, ids, coowner, volunteer):
    body = {k: v.format(**ids) for k, v in data.items()}
    res = client_for(coowner).post(url(path, ids), body)
    assert res.status_code == 302, (path, res.status_code, res.content[:300])


def test_forms_are_protected_against_cross_site_requests(project, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post("/project/birds/resetsecretkey").status_code == 403
    page = client.get("/project/birds/settings").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_new_project_page_needs_sign_in(db):
    res = Client().get("/project/new")
    assert res.status_code == 302 and res["Location"].startswith("/account/signin")
