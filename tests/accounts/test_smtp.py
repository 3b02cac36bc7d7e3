"""Once through a real SMTP server: sign-up mail sent over the wire, its link confirms the account."""

from __future__ import annotations

import email
import re
import socket

import pytest
from aiosmtpd.controller import Controller

from crowdfold.accounts.models import User
from tests.accounts.conftest import signup


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


def body_of(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def test_confirmation_mail_travels_over_smtp_and_its_link_works(web, admin, smtp_server, settings):
    settings.BRAND = "Bird Watchers"
    signup(web)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "carol@example.net"
    assert message["Subject"].startswith("[Crowdfold] ")
    link = re.search(r"https?://[^/\s]+(/account/confirm-email/\S+)", body_of(message)).group(1)
    web.post(link)
    assert User.objects.get(username="carol").valid_email is True
    assert "Bird Watchers" in body_of(message)
