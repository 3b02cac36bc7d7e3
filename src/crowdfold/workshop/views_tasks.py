"""Owner pages about tasks: the hub, task settings, the task browser, the presenter and tutorial
editors, helping materials and the thumbnail."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from crowdfold.api.wire import task_dict
from crowdfold.lib.errors import DomainError
from crowdfold.lib.i18n import localize
from crowdfold.ops.uploads import delete_upload, save_upload
from crowdfold.projects.models import HelpingMaterial
from crowdfold.tasks.models import Result, Task, TaskRun
from crowdfold.web.frames import bridge_config, render_frame
from crowdfold.workshop import forms, services
from crowdfold.workshop.access import managed_project, owner_view
from crowdfold.workshop.audit import record_changes
from crowdfold.workshop.presenters import PRESENTERS, available, render_presenter
from crowdfold.workshop.samples import import_sample_tasks
from crowdfold.workshop.views import back, imported_samples, page, run_service

PAGE_SIZE = 20
PREVIEW_TASKS = 5  # the editor previews the presenter on the project's first tasks


@owner_view
def tasks_hub(request, short_name: str):
    project = managed_project(request, short_name)
    counts = {
        "tasks": Task.objects.filter(project=project).count(),
        "completed": Task.objects.filter(project=project, state="completed").count(),
    }
    return page(
        request,
        "tasks.html",
        project,
        "tasks",
        counts=counts,
        template=(project.info or {}).get("template"),
        presenters=available(),
        publish_problem=services.publish_problem(project),
    )


@owner_view
@require_POST
def import_samples(request, short_name: str):
    project = managed_project(request, short_name)
    template = request.POST.get("template") or (project.info or {}).get("template") or "basic"
    if template not in PRESENTERS:
        raise Http404("No such template")
    count = import_sample_tasks(request, project, template)
    messages.success(request, imported_samples(count))
    return back(f"/project/{short_name}/tasks/")


@owner_view
def task_settings(request, short_name: str):
    project = managed_project(request, short_name)
    return page(
        request,
        "task_settings.html",
        project,
        "tasks",
        sched_form=forms.SchedulerForm(initial={"sched": project.scheduler}),
        redundancy_form=forms.RedundancyForm(),
        priority_form=forms.PriorityForm(),
    )


def _settings_post(request, short_name, form_class, apply, success):
    project = managed_project(request, short_name)
    form = form_class(request.POST)
    if form.is_valid():
        run_service(request, lambda: apply(project, form.cleaned_data), success)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return back(f"/project/{short_name}/tasks/settings")


@owner_view
@require_POST
def set_scheduler(request, short_name: str):
    return _settings_post(
        request,
        short_name,
        forms.SchedulerForm,
        lambda p, d: services.set_scheduler(p, request.user, d["sched"]),
        _("Scheduler saved."),
    )


@owner_view
@require_POST
def set_redundancy(request, short_name: str):
    return _settings_post(
        request,
        short_name,
        forms.RedundancyForm,
        lambda p, d: services.set_project_redundancy(p, request.user, d["n_answers"]),
        _("Redundancy saved for every task."),
    )


@owner_view
@require_POST
def set_priority(request, short_name: str):
    return _settings_post(
        request,
        short_name,
        forms.PriorityForm,
        lambda p, d: services.set_task_priority(p, request.user, d["task_ids"], d["priority_0"]),
        _("Priority saved."),
    )


@owner_view
def delete_tasks(request, short_name: str):
    project = managed_project(request, short_name)
    if request.method == "POST":
        count = services.delete_tasks(project, request.user)
        messages.success(
            request,
            ngettext(
                "Deleted %(count)d task without results.",
                "Deleted %(count)d tasks without results.",
                count,
            )
            % {"count": count},
        )
        return back(f"/project/{short_name}/tasks/")
    return page(request, "delete_tasks.html", project, "tasks")


@owner_view
def browse(request, short_name: str):
    """Tasks filtered by state and a search in their data, newest first."""
    project = managed_project(request, short_name)
    tasks = Task.objects.filter(project=project).order_by("-id")
    state = request.GET.get("state", "")
    if state in ("ongoing", "completed"):
        tasks = tasks.filter(state=state)
    query = request.GET.get("q", "").strip()
    if query:
        tasks = tasks.annotate(info_text=Cast("info", TextField())).filter(
            Q(info_text__icontains=query)
            | Q(pk=int(query) if query.isascii() and query.isdigit() else None)
        )
    paginator = Paginator(tasks, PAGE_SIZE)
    tasks_page = paginator.get_page(request.GET.get("page"))
    return page(
        request, "browse.html", project, "browse", tasks=tasks_page, state=state, query=query
    )


@owner_view
def task_detail(request, short_name: str, task_id: int):
    project = managed_project(request, short_name)
    task = Task.objects.filter(project=project, pk=task_id).first()
    if task is None:
        raise Http404("No such task in this project")
    runs = TaskRun.objects.filter(task=task).select_related("user").order_by("id")
    result = Result.objects.filter(task=task, last_version=True).first()
    return page(request, "task_detail.html", project, "browse", task=task, runs=runs, result=result)


@owner_view
def presenter_editor(request, short_name: str):
    """Without a presenter (or with ?template=), offer the stock templates; POST saves."""
    project = managed_project(request, short_name)
    info = project.info or {}
    template = request.GET.get("template")
    if request.method == "POST":
        form = forms.PresenterForm(request.POST)
        if form.is_valid():
            services.update_project(
                project, request.user, {"info": {"task_presenter": form.cleaned_data["editor"]}}
            )
            messages.success(request, _("Task presenter saved."))
            return back(f"/project/{short_name}/tasks/taskpresentereditor")
    if template in PRESENTERS:
        code = render_presenter(template, project.short_name)
    elif info.get("task_presenter"):
        code = info["task_presenter"]
    else:
        return page(
            request,
            "presenter_chooser.html",
            project,
            "presenter",
            presenters=available(),
            disabled=settings.DISABLE_TASK_PRESENTER,
        )
    samples = list(Task.objects.filter(project=project).order_by("id")[:PREVIEW_TASKS])
    return page(
        request,
        "presenter_editor.html",
        project,
        "presenter",
        form=forms.PresenterForm(initial={"editor": code}),
        sample=samples[0] if samples else None,
        bridge=bridge_config(
            project, mode="preview", preview_tasks=[task_dict(t) for t in samples]
        ),
        disabled=settings.DISABLE_TASK_PRESENTER,
    )


@owner_view
@require_POST
def presenter_preview(request, short_name: str):
    """The editor's live preview: the posted (unsaved) code in the volunteer's sandbox. The
    editor page's bridge hands it the project's first tasks and stores none of its answers."""
    project = managed_project(request, short_name)
    config = {"mode": "preview", "shortName": project.short_name, "taskId": None}
    return render_frame(request, project, request.POST.get("editor", ""), config)


@owner_view
def tutorial_editor(request, short_name: str):
    project = managed_project(request, short_name)
    form = forms.TutorialForm(
        request.POST or None, initial={"tutorial": (project.info or {}).get("tutorial", "")}
    )
    if request.method == "POST" and form.is_valid():
        services.update_project(
            project, request.user, {"info": {"tutorial": form.cleaned_data["tutorial"]}}
        )
        messages.success(
            request, _("Tutorial saved; volunteers see it once before their first task.")
        )
        return back(f"/project/{short_name}/tasks/tutorial")
    return page(request, "tutorial_editor.html", project, "presenter", form=form)


@owner_view
def helping_materials(request, short_name: str):
    project = managed_project(request, short_name)
    form = forms.HelpingMaterialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        material = HelpingMaterial.objects.create(
            project=project,
            info={"title": data["title"], "text": data["text"]},
            media_url=data["media_url"] or None,
        )
        record_changes(
            project, request.user, {f"helpingmaterial.{material.pk}": (None, data["title"])}
        )
        messages.success(request, _("Helping material added."))
        return back(f"/project/{short_name}/tasks/helpingmaterials")
    materials = HelpingMaterial.objects.filter(project=project).order_by("-priority", "id")
    return page(
        request, "helping_materials.html", project, "presenter", form=form, materials=materials
    )


@owner_view
@require_POST
def delete_helping_material(request, short_name: str, material_id: int):
    project = managed_project(request, short_name)
    material = HelpingMaterial.objects.filter(project=project, pk=material_id).first()
    if material is None:
        raise Http404("No such helping material")
    title = (material.info or {}).get("title", "")
    material.delete()
    record_changes(project, request.user, {f"helpingmaterial.{material_id}": (title, None)})
    messages.success(request, _("Helping material deleted."))
    return back(f"/project/{short_name}/tasks/helpingmaterials")


@owner_view
def thumbnail(request, short_name: str):
    """Upload a thumbnail through ops' upload service (type and content checked); saved as
    ``info.thumbnail`` and ``info.thumbnail_url`` like PYBOSSA."""
    project = managed_project(request, short_name)
    form = forms.ThumbnailForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["thumbnail"]
        try:
            stored = save_upload(upload.file, upload.name, folder="thumbnails")
        except DomainError as exc:
            form.add_error("thumbnail", localize(exc.message))
        else:
            old = (project.info or {}).get("thumbnail")
            services.update_project(
                project,
                request.user,
                {"info": {"thumbnail": stored.name, "thumbnail_url": stored.url}},
            )
            if old and old != stored.name:
                delete_upload(old)
            messages.success(request, _("Thumbnail saved."))
            return back(f"/project/{short_name}/update")
    return page(request, "thumbnail.html", project, "update", form=form)
