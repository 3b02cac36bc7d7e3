from django.urls import path

from crowdfold.stats import views

app_name = "stats"

urlpatterns = [
    path("project/<str:short_name>/stats", views.project_stats, name="project"),
    path("stats/", views.site_stats, name="site"),
    path("leaderboard/", views.leaderboard_page, name="leaderboard"),
    path("leaderboard/window/<int:window>", views.leaderboard_page, name="leaderboard-window"),
]
