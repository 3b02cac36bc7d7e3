"""A volunteer's secrets never reach anyone else: their API key, e-mail address, private ``info``
keys and (in privacy mode) full name appear in no page of the URLconf and no API read, for another
signed-in person or an anonymous visitor; nor do a project's secret key or password hash.

The volunteer has answered in the project, so they appear wherever contributors are listed
(leaderboards, statistics, answers, exports). Finer rules (what privacy mode hides, public info
keys, restricted people) are in tests/api/test_user_api.py and tests/accounts/test_profile.py.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from crowdfold.projects.services import set_project_password
from tests.owner.factories import add_runs
from tests.security.test_api_matrix import MATRIX, client_for
from tests.security.urlconf import routes, sample_values


@pytest.fixture
def secrets_of(world, volunteer):
    volunteer.fullname = "Very Private Person"
    volunteer.privacy_mode = True
    volunteer.info = {"diary": "private-diary-entry", "avatar": "public.png"}
    volunteer.save()
    add_runs(world.project, [world.task], [volunteer], [timezone.now()])
    set_project_password(world.draft, "draft-password")
    world.project.zip_download = True  # so the exports are public too
    world.project.save()
    return [
        volunteer.api_key,
        volunteer.email,
        "private-diary-entry",
        "Very Private Person",
        world.project.secret_key,
        world.draft.password_hash,
    ]


def leaks(body: bytes, secrets: list[str]) -> list[str]:
    text = body.decode("utf-8", "replace")
    return [secret for secret in secrets if secret and secret in text]


@pytest.mark.parametrize("persona", ["other", "anonymous"])
def test_no_page_shows_another_persons_secrets(world, browser_for, secrets_of, persona, settings):
    settings.SSE = False
    client = browser_for(persona)
    values = sample_values(world)
    found = []
    for route in routes():
        res = client.get(route.url(values))
        body = b"".join(res.streaming_content) if res.streaming else res.content
        if hit := leaks(body, secrets_of):
            found.append(f"{route.url(values)}: {hit}")
    assert found == []


API_READS = ["?all=1", "?all=1&related=1"]


@pytest.mark.parametrize("persona", ["other", "anonymous"])
def test_no_api_read_returns_another_persons_secrets(world, secrets_of, persona):
    client = client_for(world, persona)
    key = f"&api_key={client.api_key}" if client.api_key else ""
    found = []
    for (method, path), rule in MATRIX.items():
        if method != "GET" or rule.call is not None:
            continue
        base = path.format(**rule.ids(world))
        for query in API_READS:
            res = client.get(base + query + key)
            body = b"".join(res.streaming_content) if res.streaming else res.content
            if hit := leaks(body, secrets_of):
                found.append(f"{base}{query}: {hit}")
    assert found == []


def test_the_person_themself_does_see_their_key_and_email(world, volunteer, secrets_of):
    """The sweep above would pass vacuously if the secrets were nowhere; they are on one's own
    profile page and API row."""
    from django.test import Client

    client = Client()
    client.force_login(volunteer)
    assert volunteer.api_key in client.get(f"/account/{volunteer.username}/update").content.decode()
    assert volunteer.email in client.get("/account/email/").content.decode()
    row = client.get(f"/api/user/{volunteer.pk}?api_key={volunteer.api_key}").json()
    assert row["api_key"] == volunteer.api_key and row["email_addr"] == volunteer.email
    assert row["info"]["diary"] == "private-diary-entry"


@pytest.mark.parametrize("persona", ["other", "anonymous"])
def test_a_draft_project_shows_on_no_page_for_those_who_do_not_manage_it(
    world, browser_for, persona, settings
):
    """Every route, pointed at the draft (and the site's own lists), never shows its name."""
    settings.SSE = False
    client = browser_for(persona)
    values = {**sample_values(world), "short_name": world.draft.short_name}
    values["project_ref"] = values["short_name"]
    values["project_id"] = values["oid"] = world.draft.pk
    found = []
    for route in routes():
        res = client.get(route.url(values))
        body = b"".join(res.streaming_content) if res.streaming else res.content
        if world.draft.name.encode() in body:
            found.append(f"{route.url(values)} [{res.status_code}]")
    assert found == []
    # Not vacuous: those who manage it do see it.
    assert world.draft.name in browser_for("owner").get("/project/moths/").content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"info": "diary::private-diary-entry"},
        {"info": '{"diary": "private-diary-entry"}'},
        {"info": "diary::private", "fulltextsearch": "1"},  # the headline would quote it
        {"email_addr": "volunteer@example.org"},
        {"orderby": "email_addr"},
        {"orderby": "info"},  # sorting by the whole document compares the private keys too
    ],
)
def test_filters_and_sorting_do_not_reveal_private_details(world, secrets_of, api, query):
    """Searching or sorting by a private value would tell who has it, without showing it."""
    for client in (api(world.user("other")), api()):
        res = client.get("/api/user", query)
        assert res.status_code in (401, 403), res.content
    assert api(world.user("admin")).get("/api/user", query).status_code == 200


def test_searching_by_full_name_finds_only_people_who_made_it_public(world, secrets_of, api):
    assert api().get("/api/user", {"fullname": "Very Private Person"}).json() == []
    by_name = api().get("/api/user", {"orderby": "fullname", "limit": 100}).json()
    assert "volunteer" not in [row["name"] for row in by_name]
    assert api().get("/api/user", {"info": "avatar::public.png"}).json()[0]["name"] == "volunteer"
