"""The contribution path reuses the project row and the API key's user for a few seconds
(CROWDFOLD_HOT_ROW_SECONDS, lib/hotrows.py); a change saved in this process applies at once."""

from __future__ import annotations

from crowdfold.accounts.services import regenerate_api_key
from tests.conftest import make_tasks


def test_a_regenerated_key_stops_working_at_once(api, project, volunteer, settings):
    settings.HOT_ROW_SECONDS = 60
    project.allow_anonymous_contributors = False
    project.save()
    make_tasks(project, 2)
    old_client = api(volunteer)
    assert old_client.get(f"/api/project/{project.pk}/newtask").json()["id"]  # key now reused
    regenerate_api_key(volunteer)
    refused = old_client.get(f"/api/project/{project.pk}/newtask").json()
    assert refused["info"] == {"error": "This project does not allow anonymous contributors"}
    volunteer.refresh_from_db()
    assert api(volunteer).get(f"/api/project/{project.pk}/newtask").json()["id"]


def test_a_project_change_applies_to_the_next_request(api, project, owner, settings):
    settings.HOT_ROW_SECONDS = 60
    make_tasks(project, 2)
    anonymous = api()
    assert anonymous.get(f"/api/project/{project.pk}/newtask").json()["id"]
    changed = api(owner).put(f"/api/project/{project.pk}", {"allow_anonymous_contributors": False})
    assert changed.status_code == 200, changed.content
    refused = anonymous.get(f"/api/project/{project.pk}/newtask").json()
    assert refused["info"] == {"error": "This project does not allow anonymous contributors"}
