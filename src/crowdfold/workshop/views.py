"""Owner pages: create a project, change its details and settings. Thin: parse, authorize (see
access.py), call a service in services.py (which writes the audit log), render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from crowdfold.lib.errors import DomainError
from crowdfold.lib.features import feature_available
from crowdfold.lib.i18n import localize
from crowdfold.projects.access import mint_external_token
from crowdfold.projects.services import create_project
from crowdfold.workshop import forms, services
from crowdfold.workshop.access import SignInRequired, managed_project, owner_view
from crowdfold.workshop.audit import record_action
from crowdfold.workshop.presenters import render_presenter
from crowdfold.workshop.samples import import_sample_tasks


def page(request, template_name: str, project, active: str, **context):
    return render(
        request, f"workshop/{template_name}", {"project": project, "active": active, **context}
    )


def back(path: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(path)


def imported_samples(count: int) -> str:
    return ngettext(
        "Imported %(count)d sample task.", "Imported %(count)d sample tasks.", count
    ) % {"count": count}


def run_service(request, action, success: str | None = None) -> bool:
    """Call a service; a domain error becomes a message on the next page instead of a 500."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, localize(exc.message))
        return False
    if success:
        messages.success(request, success)
    return True


@owner_view
def new_project(request):
    """The creation wizard: names, description, category, starting template (with samples)."""
    if not request.user.is_authenticated:
        raise SignInRequired()
    form = forms.NewProjectForm(request.POST or None, initial={"template": "basic"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        extra = {"category": data["category"]} if data["category"] else {}
        project = create_project(
            request.user,
            name=data["name"],
            short_name=data["short_name"],
            description=data["description"],
            long_description=data["long_description"],
            info={
                "task_presenter": render_presenter(data["template"], data["short_name"]),
                "template": data["template"],
            },
            **extra,
        )
        record_action(project, request.user, "create", note=project.name)
        if request.POST.get("with_samples"):
            count = import_sample_tasks(request, project, data["template"])
            messages.success(request, imported_samples(count))
        messages.success(request, _("Project created. Review the presenter, then publish."))
        return back(f"/project/{project.short_name}/tasks/")
    return render(request, "workshop/new.html", {"form": form})


@owner_view
def update_details(request, short_name: str):
    project = managed_project(request, short_name)
    form = forms.ProjectDetailsForm(
        request.POST or None,
        project=project,
        initial={
            "name": project.name,
            "short_name": project.short_name,
            "description": project.description,
            "long_description": project.long_description,
            "category": project.category_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data["category"] is None:
            data.pop("category")
        services.update_project(project, request.user, data)
        messages.success(request, _("Project details saved."))
        return back(f"/project/{project.short_name}/update")
    return page(request, "update.html", project, "update", form=form)


@owner_view
def project_settings(request, short_name: str):
    project = managed_project(request, short_name)
    webhooks = feature_available("webhooks", request.user)
    contribution = forms.ContributionSettingsForm(
        request.POST or None,
        webhooks=webhooks,
        initial={
            "allow_anonymous_contributors": project.allow_anonymous_contributors,
            "zip_download": project.zip_download,
            "webhook": project.webhook,
        },
    )
    if request.method == "POST" and contribution.is_valid():
        services.update_project(project, request.user, dict(contribution.cleaned_data))
        messages.success(request, _("Settings saved."))
        return back(f"/project/{short_name}/settings")
    return page(
        request,
        "settings.html",
        project,
        "settings",
        contribution=contribution,
        webhooks=webhooks,
        password_form=forms.PasswordForm(),
        coowner_form=forms.CoownerForm(),
        transfer_form=forms.TransferForm(),
        owners=list(project.owners.order_by("username")),
        external_token=mint_external_token(project),
        publish_problem=services.publish_problem(project),
    )


@owner_view
@require_POST
def set_password(request, short_name: str):
    project = managed_project(request, short_name)
    form = forms.PasswordForm(request.POST)
    if form.is_valid():
        password = form.cleaned_data["password"]
        services.set_password(project, request.user, password)
        messages.success(request, _("Password set.") if password else _("Password removed."))
    return back(f"/project/{short_name}/settings")


@owner_view
@require_POST
def reset_secret_key(request, short_name: str):
    project = managed_project(request, short_name)
    services.reset_secret_key(project, request.user)
    messages.success(
        request,
        _("A new secret key was generated; tokens signed with the old one no longer work."),
    )
    return back(f"/project/{short_name}/settings")


@owner_view
@require_POST
def add_coowner(request, short_name: str):
    project = managed_project(request, short_name)
    form = forms.CoownerForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["name"]
        run_service(
            request,
            lambda: services.add_coowner(project, request.user, name),
            _("%(name)s is now a co-owner.") % {"name": name},
        )
    return back(f"/project/{short_name}/settings")


@owner_view
@require_POST
def del_coowner(request, short_name: str, name: str):
    project = managed_project(request, short_name)
    run_service(
        request,
        lambda: services.remove_coowner(project, request.user, name),
        _("%(name)s is no longer a co-owner.") % {"name": name},
    )
    return back(f"/project/{short_name}/settings")


@owner_view
@require_POST
def transfer_ownership(request, short_name: str):
    project = managed_project(request, short_name)
    form = forms.TransferForm(request.POST)
    if form.is_valid():
        target = form.cleaned_data["email_or_name"]
        if run_service(
            request,
            lambda: services.transfer_ownership(project, request.user, target),
            _("Ownership transferred."),
        ):
            still_manager = request.user.is_superuser or project.is_owned_by(request.user)
            return back(f"/project/{short_name}/settings" if still_manager else "/")
    else:
        messages.error(request, _("Say who should own the project."))
    return back(f"/project/{short_name}/settings")


@owner_view
def publish(request, short_name: str):
    project = managed_project(request, short_name)
    if request.method == "POST":
        if run_service(
            request,
            lambda: services.publish(project, request.user),
            _("Published: volunteers can now find and contribute to the project."),
        ):
            return back(f"/project/{short_name}/")
        return back(f"/project/{short_name}/publish")
    return page(
        request, "publish.html", project, "settings", problem=services.publish_problem(project)
    )


@owner_view
@require_POST
def unpublish(request, short_name: str):
    project = managed_project(request, short_name)
    services.unpublish(project, request.user)
    messages.success(request, _("Unpublished: only owners can see the project now."))
    return back(f"/project/{short_name}/settings")


@owner_view
def delete(request, short_name: str):
    project = managed_project(request, short_name)
    form = forms.ConfirmDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"].strip() != project.short_name:
            form.add_error("confirm", _("That is not this project's short name."))
        else:
            services.delete_project(project, request.user)
            messages.success(request, _("Project %(name)s deleted.") % {"name": project.name})
            return back("/")
    return page(request, "delete.html", project, "settings", form=form)
