"""The site pages: home, categories, search, information pages, branding, announcements."""

from __future__ import annotations

import pytest

from crowdfold.projects.models import Category
from crowdfold.projects.services import create_project
from crowdfold.site.models import Announcement
from crowdfold.tasks.models import TaskRun
from tests.accounts.test_profile import client_for
from tests.conftest import make_tasks


@pytest.fixture
def projects(owner, project):
    """Bird Count (published, featured, answered), Moth Survey (published), Draft (unpublished)."""
    project.featured = True
    project.long_description = "Counting garden birds every winter."
    project.save()
    insects = Category.objects.create(
        name="Insects", short_name="insects", description="Small things"
    )
    moths = create_project(
        owner, name="Moth Survey", short_name="moths", description="Moths at night"
    )
    moths.category, moths.published = insects, True
    moths.save()
    create_project(owner, name="Secret Draft", short_name="draft", description="Not yet")
    task = make_tasks(project, 1)[0]
    TaskRun.objects.create(project=project, task=task, contributor_key="ip:1", user_ip="1", info={})
    return project, moths


def test_home_shows_featured_newest_most_active_and_categories(web, projects):
    page = web.get("/").content.decode()
    assert (
        "Featured projects" in page and "Newest projects" in page and "Most active projects" in page
    )
    assert "/project/birds/" in page and "/project/moths/" in page
    assert "Secret Draft" not in page
    assert "/project/category/insects/" in page


def test_category_page_lists_its_published_projects(web, projects):
    page = web.get("/project/category/insects/").content.decode()
    assert "Moth Survey" in page and "Bird Count" not in page
    featured = web.get("/project/category/featured/").content.decode()
    assert "Bird Count" in featured and "Moth Survey" not in featured
    assert web.get("/project/category/nope/").status_code == 404


@pytest.mark.parametrize(("query", "found", "missing"), [
    ("garden", "/project/birds/", "/project/moths/"),
    ("moths", "/project/moths/", "/project/birds/"),
    ("draft", None, "/project/draft/"),
])  # fmt: skip
def test_search_finds_published_projects_by_their_words(web, projects, query, found, missing):
    page = web.get("/search", {"q": query}).content.decode()
    if found:
        assert found in page
    assert missing not in page


def test_empty_search_shows_just_the_form(web, db):
    page = web.get("/search").content.decode()
    assert 'name="q"' in page and "found" not in page


@pytest.mark.parametrize(
    "path",
    ["/about", "/help/", "/help/terms-of-use", "/help/privacy", "/help/cookies-policy", "/results"],
)
def test_information_pages_render(web, db, path):
    assert web.get(path).status_code == 200


def test_brand_contact_and_terms_links_come_from_settings(web, db, settings):
    settings.BRAND = "Bird Watchers"
    settings.CONTACT_EMAIL = "team@birds.example"
    settings.CONTACT_TWITTER = "birdwatchers"
    settings.TERMSOFUSE = "https://birds.example/terms"
    page = web.get("/help/terms-of-use").content.decode()
    assert "Bird Watchers" in page
    assert "mailto:team@birds.example" in page
    assert "twitter.com/birdwatchers" in page
    assert "https://birds.example/terms" in page


def test_analytics_snippet_is_added_to_every_page(web, db, settings):
    settings.ANALYTICS_SNIPPET = '<script data-analytics="yes"></script>'
    assert 'data-analytics="yes"' in web.get("/about").content.decode()


def test_configured_announcements_reach_only_their_audience(web, volunteer, admin, settings):
    settings.ANNOUNCEMENT = {"root": "Maintenance tonight", "user": "Welcome volunteers"}
    assert "Welcome volunteers" not in web.get("/about").content.decode()
    as_volunteer = client_for(volunteer, "volunteer-pass-123")
    page = as_volunteer.get("/about").content.decode()
    assert "Welcome volunteers" in page and "Maintenance tonight" not in page
    as_admin = client_for(admin, "admin-pass-123")
    page = as_admin.get("/about").content.decode()
    assert "Welcome volunteers" in page and "Maintenance tonight" in page


def test_admin_written_announcements_show_when_published(web, owner, project):
    Announcement.objects.create(
        title="New season", body="Birds are back", published=True, audience="all"
    )
    Announcement.objects.create(title="Draft note", body="Unfinished", published=False)
    Announcement.objects.create(
        title="Owners only", body="Check your projects", published=True, audience="owner"
    )
    page = web.get("/about").content.decode()
    assert (
        "Birds are back" in page and "Unfinished" not in page and "Check your projects" not in page
    )
    page = client_for(owner, "owner-pass-123").get("/about").content.decode()
    assert "Check your projects" in page


def test_enforce_privacy_drops_the_volunteers_link_from_the_footer(web, db, settings):
    assert '/account/"' in web.get("/about").content.decode()
    settings.ENFORCE_PRIVACY = True
    assert '/account/"' not in web.get("/about").content.decode()


def test_postgresql_search_stems_words_in_fulltextsearch_language(web, projects, settings):
    """ "winters" finds "every winter." through the English stemmer; the "simple" configuration
    (no stemming) and SQLite's word match do not."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("full-text search with stemming is PostgreSQL's; SQLite matches words")
    settings.FULLTEXTSEARCH_LANGUAGE = "english"
    assert "/project/birds/" in web.get("/search", {"q": "winters"}).content.decode()
    settings.FULLTEXTSEARCH_LANGUAGE = "simple"
    assert "/project/birds/" not in web.get("/search", {"q": "winters"}).content.decode()
