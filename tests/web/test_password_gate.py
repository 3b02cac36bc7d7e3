"""The project password: every volunteer page asks for it; a correct one opens them for a while."""

from __future__ import annotations

from crowdfold.projects.services import set_project_password
from tests.conftest import make_tasks


def protect(project, password="open sesame"):
    set_project_password(project, password)
    return project


def test_protected_project_pages_send_visitors_to_the_password_form(
    browser_as, with_presenter, volunteer
):
    (task,) = make_tasks(protect(with_presenter), 1)
    client = browser_as(volunteer)
    for path in ("/project/birds/", "/project/birds/newtask", f"/project/birds/task/{task.pk}"):
        res = client.get(path)
        assert res.status_code == 302
        assert res["Location"].startswith("/project/birds/password?next=")
    assert client.get("/project/birds/presenter-frame").status_code == 403


def test_wrong_password_is_refused(browser_as, with_presenter):
    protect(with_presenter)
    client = browser_as()
    res = client.post("/project/birds/password", {"password": "guess", "next": "/project/birds/"})
    assert res.status_code == 403
    assert "Wrong password" in res.content.decode()
    assert client.get("/project/birds/").status_code == 302


def test_correct_password_lets_the_visitor_in_and_back_to_where_they_were(
    browser_as, with_presenter, volunteer
):
    make_tasks(protect(with_presenter), 1)
    client = browser_as(volunteer)
    form = client.get("/project/birds/password?next=/project/birds/newtask")
    assert form.status_code == 200 and 'name="csrfmiddlewaretoken"' in form.content.decode()
    res = client.post(
        "/project/birds/password", {"password": "open sesame", "next": "/project/birds/newtask"}
    )
    assert res.status_code == 302 and res["Location"] == "/project/birds/newtask"
    assert client.get("/project/birds/newtask").status_code == 200
    # The grant is per person: someone else on the same browser is asked again.
    assert browser_as().get("/project/birds/newtask").status_code == 302


def test_password_form_needs_its_csrf_token(browser_as, with_presenter):
    protect(with_presenter)
    client = browser_as(enforce_csrf_checks=True)
    res = client.post("/project/birds/password", {"password": "open sesame"})
    assert res.status_code == 403
    assert client.get("/project/birds/").status_code == 302


def test_password_form_never_sends_visitors_to_another_site(browser_as, with_presenter):
    protect(with_presenter)
    res = browser_as().post(
        "/project/birds/password", {"password": "open sesame", "next": "https://evil.example/"}
    )
    assert res.status_code == 302 and res["Location"] == "/project/birds/"


def test_owners_are_not_asked_for_their_own_password(browser_as, with_presenter, owner):
    make_tasks(protect(with_presenter), 1)
    assert browser_as(owner).get("/project/birds/newtask").status_code == 200
