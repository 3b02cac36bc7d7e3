"""Cross-site request forgery: every route of the URLconf refuses a POST without the CSRF token,
whether the visitor is signed in or not (sign-in and sign-up forms too). Django's test client with
``enforce_csrf_checks=True`` plays the forging site.

Two kinds of route are exempt, by design, and the test pins exactly which:

* ``/api/…``: PYBOSSA's API takes no CSRF token (its clients send an API key). Writes authenticated
  by a session cookie must carry our own Origin (``api/contribute.py``,
  tests/web/test_session_origin.py), and the presenter frame has no cookies at all.
* ``/account/unsubscribe/<token>/``: one-click unsubscribe (RFC 8058) posted by mail clients; the
  signed token in the URL is the proof.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.security.urlconf import routes, sample_values

EXEMPT_PREFIXES = ("api/",)
EXEMPT_NAMES = {"unsubscribe"}


def exempt(route) -> bool:
    return route.pattern.startswith(EXEMPT_PREFIXES) or route.name in EXEMPT_NAMES


def test_only_the_api_and_one_click_unsubscribe_skip_csrf_checks():
    skipping = {r.pattern for r in routes() if r.csrf_exempt}
    allowed = {r.pattern for r in routes() if exempt(r)}
    assert skipping - allowed == set(), (
        "a route was made csrf_exempt: justify it here or protect it"
    )


@pytest.mark.parametrize("persona", ["owner", "anonymous"])
def test_every_form_refuses_a_post_without_its_csrf_token(world, persona):
    client = Client(enforce_csrf_checks=True)
    if persona == "owner":
        client.force_login(world.user("owner"))
    values = sample_values(world)
    problems = []
    checked = 0
    for route in routes():
        if exempt(route):
            continue
        url = route.url(values)
        res = client.post(url, {"name": "x", "password": "x", "confirm": "birds"})
        checked += 1
        if res.status_code != 403 or b"CSRF" not in res.content:
            problems.append(f"{url} ({route.name or 'unnamed'}): {res.status_code}")
    assert problems == []
    assert checked > 150  # the whole URLconf, not a part of it


def test_the_same_post_with_its_token_passes_the_csrf_check(world):
    """The refusal above is the CSRF check, not the form: with the token the post goes through."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("owner"))
    client.get("/project/birds/settings")
    token = client.cookies["csrftoken"].value
    res = client.post("/project/birds/resetsecretkey", {"csrfmiddlewaretoken": token})
    assert res.status_code == 302
