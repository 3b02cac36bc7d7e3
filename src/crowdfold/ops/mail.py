"""Mail: HTML + text messages from templates, rendered in the recipient's language.

Templates live in ``templates/ops/mail/<name>_subject.txt``, ``<name>.txt`` and (optionally)
``<name>.html``. Mails to users go out through a background job (``send_user_mail``) so a slow or
failing SMTP server never holds up a request, and are retried like any job. Mails about failures
(``mail_admins_now``) are sent at once: they must not depend on the queue that is failing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, mail_admins
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from crowdfold.accounts.models import User

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "crowdfold.unsubscribe"


@dataclass
class RenderedMail:
    subject: str
    text: str
    html: str | None


def render_mail(name: str, context: dict, locale: str | None = None) -> RenderedMail:
    """Render one mail in ``locale`` (the site default when empty or unknown)."""
    known = {code for code, _ in settings.LANGUAGES}
    language = locale if locale in known else settings.LANGUAGE_CODE
    ctx = {"brand": settings.BRAND, "base_url": settings.CROWDFOLD_BASE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"ops/mail/{name}_subject.txt", ctx).split())
        text = render_to_string(f"ops/mail/{name}.txt", ctx)
        try:
            html = render_to_string(f"ops/mail/{name}.html", ctx)
        except TemplateDoesNotExist:
            html = None
    return RenderedMail(subject, text, html)


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user: User) -> str:
    return f"{settings.CROWDFOLD_BASE_URL}/account/unsubscribe/{unsubscribe_token(user)}/"


def unsubscribe(token: str) -> User | None:
    """Turn off notification mails for the user the signed token names. None if the token is bad."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u")).first()
    if user is not None and user.subscribed:
        User.objects.filter(pk=user.pk).update(subscribed=False)
        user.subscribed = False
    return user


def send_now(to: list[str], mail: RenderedMail, headers: dict | None = None) -> None:
    message = EmailMultiAlternatives(
        mail.subject, mail.text, settings.DEFAULT_FROM_EMAIL, to, headers=headers or {}
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    message.send()


def mail_user_now(user: User, name: str, context: dict, *, notification: bool = False) -> bool:
    """Render ``name`` in the user's language and send it. ``notification`` mails (news, blog
    posts, reports) carry an unsubscribe link and are skipped for users who unsubscribed."""
    if not user.email or (notification and not user.subscribed):
        return False
    ctx = {"user": user, **context}
    headers = {}
    if notification:
        ctx["unsubscribe_url"] = unsubscribe_url(user)
        headers["List-Unsubscribe"] = f"<{ctx['unsubscribe_url']}>"
    send_now([user.email], render_mail(name, ctx, user.locale), headers)
    return True


def queue_user_mail(user: User, name: str, context: dict, *, notification: bool = False) -> None:
    """Send a mail to a user from a background job (retried when SMTP fails)."""
    from crowdfold.ops.jobs import send_user_mail

    send_user_mail(user.pk, name, context, notification)


def mail_admins_now(name: str, context: dict) -> bool:
    """Mail ADMINS at once (errors, failed jobs). Never raises: a broken SMTP server is logged."""
    if not settings.ADMINS:
        return False
    mail = render_mail(name, context)
    try:
        mail_admins(mail.subject, mail.text, html_message=mail.html)
    except Exception:  # noqa: BLE001 - reporting a failure must not fail in turn
        log.exception("Could not mail ADMINS about %s", mail.subject)
        return False
    return True


def notify_blog_post(project, title: str, url: str, excerpt: str = "") -> int:
    """Tell the people who contributed to ``project`` about a new blog post. Nothing is sent when
    ``DISABLE_EMAIL_NOTIFICATIONS`` is on. Returns how many mails were queued."""
    if settings.DISABLE_EMAIL_NOTIFICATIONS:
        return 0
    users = User.objects.filter(
        is_active=True, subscribed=True, restrict=False, task_runs__project_id=project.pk
    ).distinct()
    count = 0
    for user in users.iterator():
        queue_user_mail(
            user,
            "blog_post",
            {"project_name": project.name, "title": title, "url": url, "excerpt": excerpt},
            notification=True,
        )
        count += 1
    return count
