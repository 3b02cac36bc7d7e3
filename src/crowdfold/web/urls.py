from django.urls import path

from crowdfold.web import views, volunteer

app_name = "web"

urlpatterns = [
    path("jsi18n/<str:lang>.js", views.js_catalog, name="js_catalog"),
    path("project/<str:short_name>/", volunteer.project_detail, name="project"),
    path("project/<str:short_name>/newtask", volunteer.newtask, name="newtask"),
    path("project/<str:short_name>/presenter", volunteer.newtask, name="presenter"),
    path("project/<str:short_name>/task/<int:task_id>", volunteer.task_presenter, name="task"),
    path(
        "project/<str:short_name>/presenter-frame",
        volunteer.presenter_frame,
        name="presenter_frame",
    ),
    path("project/<str:short_name>/tutorial", volunteer.tutorial, name="tutorial"),
    path(
        "project/<str:short_name>/tutorial-frame", volunteer.tutorial_frame, name="tutorial_frame"
    ),
    path("project/<str:short_name>/password", volunteer.password, name="password"),
]
