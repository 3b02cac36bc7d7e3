"""/account/…: PYBOSSA's route names for allauth's flows, then the per-person pages.

crowdfold.urls includes allauth.urls under /account/ first (its URL names stay un-namespaced, as
allauth reverses them) and this module after it, so ``<name>/`` never shadows an allauth page.
"""

from allauth.account import views as allauth_views
from django.urls import path

from crowdfold.accounts import views

app_name = "accounts"

# PYBOSSA's names for allauth's pages, so old links and clients keep working.
pybossa_aliases = [
    path("signin", allauth_views.login, name="signin"),
    path("register", allauth_views.signup, name="register"),
    path("signout", allauth_views.logout, name="signout"),
    path("forgot-password", allauth_views.password_reset, name="forgot_password"),
]

urlpatterns = [
    *pybossa_aliases,
    path("", views.user_list, name="list"),
    path("page/<int:page>/", views.user_list, name="list_page"),
    path("profile", views.my_profile, name="my_profile"),
    path("language", views.set_language, name="set_language"),
    path("<str:name>/", views.profile, name="profile"),
    path("<str:name>/update", views.update, name="update"),
    path("<str:name>/resetapikey", views.reset_api_key, name="reset_api_key"),
    path("<str:name>/export", views.export, name="export"),
    path("<str:name>/delete", views.delete, name="delete"),
]
