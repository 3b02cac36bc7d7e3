"""The site's URLs plus a page with a bug, for the error-reporting tests."""

from django.urls import path

from crowdfold.urls import handler404, handler500  # noqa: F401
from crowdfold.urls import urlpatterns as site_urls


def broken_page(request):
    raise RuntimeError("a bug in a page")


urlpatterns = [path("broken-page", broken_page), *site_urls]
