from django.urls import path

from crowdfold.workshop import progress, views, views_blog, views_data, views_tasks

app_name = "workshop"

P = "project/<str:short_name>/"

urlpatterns = [
    path("project/new", views.new_project, name="new"),
    path(P + "update", views.update_details, name="update"),
    path(P + "settings", views.project_settings, name="settings"),
    path(P + "password/set", views.set_password, name="set-password"),
    path(P + "resetsecretkey", views.reset_secret_key, name="reset-secret-key"),
    path(P + "coowners", views.add_coowner, name="add-coowner"),
    path(P + "del_coowner/<str:name>", views.del_coowner, name="del-coowner"),
    path(P + "transferownership", views.transfer_ownership, name="transfer"),
    path(P + "publish", views.publish, name="publish"),
    path(P + "unpublish", views.unpublish, name="unpublish"),
    path(P + "delete", views.delete, name="delete"),
    path(P + "thumbnail", views_tasks.thumbnail, name="thumbnail"),
    path(P + "tasks/", views_tasks.tasks_hub, name="tasks"),
    path(P + "tasks/samples", views_tasks.import_samples, name="samples"),
    path(P + "tasks/import", views_data.import_page, name="import"),
    path(P + "tasks/export", views_data.export_page, name="export"),
    path(P + "tasks/export/ckan", views_data.ckan_push, name="ckan_push"),
    path(P + "tasks/settings", views_tasks.task_settings, name="task-settings"),
    path(P + "tasks/scheduler", views_tasks.set_scheduler, name="scheduler"),
    path(P + "tasks/redundancy", views_tasks.set_redundancy, name="redundancy"),
    path(P + "tasks/priority", views_tasks.set_priority, name="priority"),
    path(P + "tasks/delete", views_tasks.delete_tasks, name="delete-tasks"),
    path(P + "tasks/browse", views_tasks.browse, name="browse"),
    path(P + "tasks/<int:task_id>/", views_tasks.task_detail, name="task-detail"),
    path(P + "tasks/taskpresentereditor", views_tasks.presenter_editor, name="presenter"),
    path(P + "tasks/presenter-preview", views_tasks.presenter_preview, name="presenter-preview"),
    path(P + "tasks/tutorial", views_tasks.tutorial_editor, name="tutorial"),
    path(P + "tasks/helpingmaterials", views_tasks.helping_materials, name="materials"),
    path(
        P + "tasks/helpingmaterials/<int:material_id>/delete",
        views_tasks.delete_helping_material,
        name="delete-material",
    ),
    path(P + "blog", views_blog.blog, name="blog"),
    path(P + "blog/<int:post_id>", views_blog.blog_post, name="blog-post"),
    path(P + "new-blogpost", views_blog.new_post, name="new-post"),
    path(P + "blog/<int:post_id>/update", views_blog.update_post, name="update-post"),
    path(P + "blog/<int:post_id>/delete", views_blog.delete_post, name="delete-post"),
    path(P + "auditlog", views_blog.audit_log, name="auditlog"),
    path(P + "progress", progress.progress, name="progress"),
    path(P + "progress/stream", progress.progress_stream, name="stream"),
]
