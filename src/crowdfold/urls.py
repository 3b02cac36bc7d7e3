from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from crowdfold.api.api import api
from crowdfold.web.health import healthz

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("crowdfold.ops.urls")),
    path("account/", include("allauth.urls")),
    path("account/", include("crowdfold.accounts.urls")),
    path("", include("crowdfold.site.urls")),
    # Owner pages and statistics first: where a path overlaps, theirs wins over the web app's.
    path("", include("crowdfold.workshop.urls")),
    path("", include("crowdfold.stats.urls")),
    path("", include("crowdfold.web.urls")),
]

if settings.ENABLE_DEBUG_TOOLBAR:
    urlpatterns.insert(0, path("__debug__/", include("debug_toolbar.urls")))

handler404 = "crowdfold.web.views.not_found"
handler500 = "crowdfold.web.views.server_error"
