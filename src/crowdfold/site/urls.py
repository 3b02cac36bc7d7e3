from django.urls import path

from crowdfold.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("search", views.search, name="search"),
    path("about", views.page("site/about.html"), name="about"),
    path("results", views.page("home/results.html"), name="results"),
    path("help/", views.page("help/index.html"), name="help"),
    path("help/terms-of-use", views.page("help/terms-of-use.html"), name="terms"),
    path("help/privacy", views.page("help/privacy.html"), name="privacy"),
    path("help/cookies-policy", views.page("help/cookies-policy.html"), name="cookies"),
    path("project/category/<slug:short_name>/", views.category, name="category"),
    path(
        "project/category/<slug:short_name>/page/<int:page>/", views.category, name="category_page"
    ),
]
