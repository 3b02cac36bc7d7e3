"""PRO_FEATURES in the workshop: the audit log, webhooks, blog notifications and better stats are
for pro users (and admins) unless the operator opens them (PYBOSSA's ProFeatureHandler)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from crowdfold.stats.refresh import refresh_project
from tests.conftest import make_tasks
from tests.owner.factories import add_runs


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_pro(user) -> None:
    user.pro = True
    user.save(update_fields=["pro"])


def test_audit_log_is_refused_to_non_pro_owners_and_hidden_from_their_menu(project, owner):
    client = signed_in(owner)
    assert client.get("/project/birds/auditlog").status_code == 403
    assert "/project/birds/auditlog" not in client.get("/project/birds/settings").content.decode()


def test_audit_log_opens_for_pro_owners_and_admins(project, owner, admin):
    make_pro(owner)
    for person in (owner, admin):
        client = signed_in(person)
        assert client.get("/project/birds/auditlog").status_code == 200, person
        assert "/project/birds/auditlog" in client.get("/project/birds/settings").content.decode()


def test_operator_can_open_the_audit_log_to_everyone(project, owner, settings):
    settings.PRO_FEATURES = {**settings.PRO_FEATURES, "auditlog": False}
    assert signed_in(owner).get("/project/birds/auditlog").status_code == 200


def test_non_pro_owner_neither_sees_nor_sets_a_webhook(project, owner):
    client = signed_in(owner)
    page = client.get("/project/birds/settings").content.decode()
    assert 'name="webhook"' not in page and 'id="webhooks-pro"' in page
    res = client.post("/project/birds/settings", {"webhook": "https://example.org/hook"})
    assert res.status_code == 302
    project.refresh_from_db()
    assert project.webhook == ""


@pytest.mark.parametrize("who", ["pro owner", "admin"])
def test_pro_owner_and_admin_set_a_webhook(who, project, owner, admin):
    make_pro(owner)
    person = owner if who == "pro owner" else admin
    client = signed_in(person)
    assert 'name="webhook"' in client.get("/project/birds/settings").content.decode()
    client.post("/project/birds/settings", {"webhook": "https://example.org/hook"})
    project.refresh_from_db()
    assert project.webhook == "https://example.org/hook"


@pytest.fixture
def helped(project, volunteer, settings):
    settings.DISABLE_EMAIL_NOTIFICATIONS = False
    (task,) = make_tasks(project, 1)
    add_runs(project, [task], [volunteer], [timezone.now()])
    mail.outbox.clear()


@pytest.mark.parametrize(("pro", "mails"), [(False, 0), (True, 1)])
def test_blog_posts_are_mailed_to_volunteers_only_for_pro_owners(
    pro, mails, project, owner, helped, django_capture_on_commit_callbacks
):
    if pro:
        make_pro(owner)
    with django_capture_on_commit_callbacks(execute=True):
        res = signed_in(owner).post(
            "/project/birds/new-blogpost", {"title": "News", "body": "Hi"}, follow=True
        )
    assert len(mail.outbox) == mails
    expected = "told by e-mail" if pro else "a pro feature"
    assert expected in res.content.decode()


@pytest.fixture
def answered(project, volunteer, settings):
    settings.STATS_SETTLE_SECONDS = 0
    tasks = make_tasks(project, 2, n_answers=1)
    add_runs(project, tasks, [volunteer], [timezone.now() - timezone.timedelta(minutes=1)] * 2)
    refresh_project(project.pk)


def test_top_volunteers_are_better_stats_of_pro_owners_projects(project, owner, answered, admin):
    page = Client().get("/project/birds/stats").content.decode()
    assert 'id="top-volunteers"' not in page and 'id="better-stats-pro"' in page
    # An admin sees them anyway; a pro owner's project shows them to everyone.
    assert 'id="top-volunteers"' in signed_in(admin).get("/project/birds/stats").content.decode()
    make_pro(owner)
    page = Client().get("/project/birds/stats").content.decode()
    assert 'id="top-volunteers"' in page and ">volunteer<" in page
