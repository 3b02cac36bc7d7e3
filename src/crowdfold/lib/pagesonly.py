"""Middleware the site's pages need and the JSON API does not.

Every request goes through one middleware stack, but the API (everything under ``/api/`` except
its HTML documentation) serves JSON to clients that carry an API key or the session: it renders no
translated page, shows no flash message, serves no static file and needs no page
Content-Security-Policy. Those steps cost a fifth of the CPU of a contribution request (measured
in-process on the newtask → taskrun cycle), so they step aside for API requests: the subclasses
here, and ``crowdfold.lib.csp`` and ``crowdfold.accounts.middleware`` themselves. Sessions,
authentication, CSRF, CORS, security headers, trailing-slash rules and rate limits stay on for the
API. (Subclasses rather than wrappers: Django's admin checks that its middleware are installed.)
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages import middleware as messages
from django.middleware import locale
from django.utils import translation
from whitenoise import middleware as whitenoise

API_PREFIX = "/api/"
API_PAGES = ("/api/docs",)  # Swagger UI: an HTML page under /api/


def serves_pages(path: str) -> bool:
    return not path.startswith(API_PREFIX) or path.startswith(API_PAGES)


class _PagesOnlyMixin:
    """For Django's request/response middleware: run for pages, step aside for the API."""

    def process_request(self, request):
        if serves_pages(request.path):
            return super().process_request(request)
        return self.process_api_request(request)

    def process_api_request(self, request):
        return None

    def process_response(self, request, response):
        if serves_pages(request.path):
            return super().process_response(request, response)
        return response


class LocaleMiddleware(_PagesOnlyMixin, locale.LocaleMiddleware):
    """API requests run in the site's default language without negotiating one: API messages stay
    English on purpose (PYBOSSA clients match on them). It is still activated, because a thread
    keeps the language the previous request activated."""

    def process_api_request(self, request):
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE


class MessageMiddleware(_PagesOnlyMixin, messages.MessageMiddleware):
    pass


class WhiteNoiseMiddleware(whitenoise.WhiteNoiseMiddleware):
    def __call__(self, request):
        if serves_pages(request.path):
            return super().__call__(request)
        return self.get_response(request)
