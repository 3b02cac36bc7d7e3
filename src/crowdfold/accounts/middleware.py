"""Language choice for registered people.

Django's LocaleMiddleware already honours the ``language`` cookie and the browser's preference. This
runs after authentication: a registered person without the cookie gets the locale of their profile.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from crowdfold.lib.pagesonly import serves_pages


class ProfileLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.offered = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        if not serves_pages(request.path):  # API messages stay English (crowdfold.lib.pagesonly)
            return self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.locale in self.offered
        ):
            translation.activate(user.locale)
            request.LANGUAGE_CODE = user.locale
        return self.get_response(request)
