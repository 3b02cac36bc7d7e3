"""Mail: SMTP settings, templates in the recipient's language, unsubscribe links, the switch for
blog-post notifications. One test goes through a real SMTP server (aiosmtpd on a loopback port)."""

from __future__ import annotations

import email
from email import policy

import pytest
from django.test import Client

from crowdfold.accounts.models import User
from crowdfold.ops.mail import notify_blog_post, unsubscribe_url
from tests.conftest import make_tasks
from tests.ops.conftest import free_port
from tests.ops.test_cache import settings_in_subprocess


class SmtpSink:
    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[email.message.EmailMessage] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.messages.append(
                    email.message_from_bytes(envelope.content, policy=policy.default)
                )
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


@pytest.fixture
def smtp(settings):
    sink = SmtpSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    yield sink
    sink.stop()


@pytest.fixture
def contributors(api, answer_all, project, volunteer, outsider):
    make_tasks(project, 1, n_answers=2)
    answer_all(project, [volunteer, outsider])
    User.objects.filter(pk=volunteer.pk).update(locale="es")
    return volunteer, outsider


def test_blog_post_mails_reach_a_real_smtp_server_in_each_recipients_language(
    jobs, smtp, project, contributors
):
    assert notify_blog_post(project, "Big news", "https://example.org/post") == 2
    by_recipient = {m["To"]: m for m in smtp.messages}
    spanish = by_recipient["volunteer@example.org"]
    english = by_recipient["outsider@example.org"]
    assert spanish["Subject"] == "Nueva entrada en Bird Count: Big news"
    assert english["Subject"] == "New post in Bird Count: Big news"
    text = spanish.get_body(("plain",)).get_content()
    html = spanish.get_body(("html",)).get_content()
    assert "Hola volunteer, Bird Count ha publicado una nueva entrada:" in text
    assert '<a href="https://example.org/post">Big news</a>' in html
    assert "/account/unsubscribe/" in spanish["List-Unsubscribe"]


def test_the_unsubscribe_link_stops_notification_mails(jobs, project, contributors, mailoutbox):
    volunteer, _ = contributors
    path = unsubscribe_url(volunteer).split("://", 1)[1].split("/", 1)[1]
    client = Client()
    assert b"Unsubscribe" in client.get(f"/{path}").content
    assert client.post(f"/{path}").status_code == 200
    assert User.objects.get(pk=volunteer.pk).subscribed is False
    assert notify_blog_post(project, "More news", "https://example.org/2") == 1
    assert [m.to for m in mailoutbox] == [["outsider@example.org"]]


def test_a_forged_unsubscribe_link_is_refused(db, volunteer):
    token = unsubscribe_url(volunteer).rstrip("/").rsplit("/", 1)[1]
    res = Client().post(f"/account/unsubscribe/{token[:-2]}xx/")
    assert res.status_code == 400
    assert User.objects.get(pk=volunteer.pk).subscribed is True


def test_disable_email_notifications_stops_blog_post_mails(
    jobs, project, contributors, mailoutbox, settings
):
    settings.DISABLE_EMAIL_NOTIFICATIONS = True
    assert notify_blog_post(project, "Quiet news", "https://example.org/3") == 0
    assert mailoutbox == []


def test_pybossas_mail_settings_configure_smtp():
    out = settings_in_subprocess(
        {
            "MAIL_SERVER": "smtp.example.org",
            "MAIL_PORT": "587",
            "MAIL_USE_TLS": "true",
            "MAIL_USERNAME": "crowd",
            "MAIL_PASSWORD": "s3cret",
            "MAIL_DEFAULT_SENDER": "noreply@example.org",
            "ADMINS": "Ann Admin <ann@example.org>, bob@example.org",
        },
        "out = [settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT,"
        " settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD,"
        " settings.DEFAULT_FROM_EMAIL, settings.ADMINS]",
    )
    assert out == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        587,
        True,
        "crowd",
        "s3cret",
        "noreply@example.org",
        [["Ann Admin", "ann@example.org"], ["bob@example.org", "bob@example.org"]],
    ]


def test_an_owners_blog_post_is_mailed_to_contributors_with_its_excerpt(
    jobs, project, owner, contributors, mailoutbox, django_capture_on_commit_callbacks
):
    from crowdfold.workshop.services import publish_post

    owner.pro = True  # blog-post mails are a pro feature (PRO_FEATURES notify_blog_updates)
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        post = publish_post(project, owner, "Halfway there", "We counted 1000 birds.")
    spanish = next(m for m in mailoutbox if m.to == ["volunteer@example.org"])
    assert spanish.subject == "Nueva entrada en Bird Count: Halfway there"
    assert "We counted 1000 birds." in spanish.body
    assert f"/project/{project.short_name}/blog/{post.pk}" in spanish.body
    assert len(mailoutbox) == 2
