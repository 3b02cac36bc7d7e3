from django.contrib import admin
from django.urls import include, path

from crowdfold.api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("account/", include("allauth.urls")),
    path("account/", include("crowdfold.accounts.urls")),
    path("", include("crowdfold.site.urls")),
    path("", include("crowdfold.web.urls")),
]

handler404 = "crowdfold.web.views.not_found"
