"""Forms for the owner pages. Validation of short names is the project service's."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from crowdfold.lib.i18n import localize
from crowdfold.projects.models import Category, Project
from crowdfold.projects.services import short_name_problem
from crowdfold.workshop.services import MAX_REDUNDANCY, SCHEDULERS


class ProjectDetailsForm(forms.Form):
    name = forms.CharField(max_length=255, label=_("Name"))
    short_name = forms.CharField(max_length=255, label=_("Short name"))
    description = forms.CharField(max_length=255, required=False, label=_("Description"))
    long_description = forms.CharField(
        widget=forms.Textarea, required=False, label=_("Long description"), help_text="Markdown"
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.order_by("name"), required=False, label=_("Category")
    )

    def __init__(self, *args, project: Project | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_short_name(self) -> str:
        value = self.cleaned_data["short_name"].strip()
        problem = short_name_problem(value)
        if problem:
            raise forms.ValidationError(localize(problem))
        taken = Project.objects.filter(short_name=value)
        if self.project is not None:
            taken = taken.exclude(pk=self.project.pk)
        if taken.exists():
            raise forms.ValidationError(_("That short name is already taken"))
        return value

    def clean_name(self) -> str:
        value = self.cleaned_data["name"].strip()
        taken = Project.objects.filter(name=value)
        if self.project is not None:
            taken = taken.exclude(pk=self.project.pk)
        if taken.exists():
            raise forms.ValidationError(_("That name is already taken"))
        return value


class NewProjectForm(ProjectDetailsForm):
    template = forms.ChoiceField(
        choices=[], widget=forms.RadioSelect, initial="basic", label=_("Starting template")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from crowdfold.workshop.presenters import template_choices

        self.fields["template"].choices = template_choices()


class ContributionSettingsForm(forms.Form):
    allow_anonymous_contributors = forms.BooleanField(
        required=False, label=_("Anonymous volunteers may contribute")
    )
    zip_download = forms.BooleanField(
        required=False, label=_("Anyone may download the tasks, answers and results")
    )
    webhook = forms.URLField(
        required=False,
        assume_scheme="https",
        label=_("Webhook"),
        help_text=_("An address we notify (POST) whenever a task is completed"),
    )

    def __init__(self, *args, webhooks: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not webhooks:  # PRO_FEATURES["webhooks"]: the field is neither shown nor accepted
            del self.fields["webhook"]


class PasswordForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput,
        required=False,
        label=_("Password"),
        help_text=_("Leave empty to remove the password"),
    )


SCHEDULER_LABELS = {
    "default": _("default (depth first)"),
    "depth_first": _("depth first"),
    "depth_first_all": _("depth first, all tasks"),
    "breadth_first": _("breadth first"),
    "incremental": _("incremental"),
    "locked": _("locked"),
    "random": _("random"),
}


class SchedulerForm(forms.Form):
    sched = forms.ChoiceField(
        choices=[(s, SCHEDULER_LABELS.get(s, s.replace("_", " "))) for s in SCHEDULERS],
        label=_("Scheduler"),
    )


class RedundancyForm(forms.Form):
    n_answers = forms.IntegerField(
        min_value=1, max_value=MAX_REDUNDANCY, label=_("Answers needed per task")
    )


class PriorityForm(forms.Form):
    task_ids = forms.CharField(
        label=_("Task ids"), help_text=_("Comma-separated task ids, e.g. 1,2,3")
    )
    priority_0 = forms.FloatField(min_value=0.0, max_value=1.0, label=_("Priority"))

    def clean_task_ids(self) -> list[int]:
        try:
            ids = [int(part) for part in self.cleaned_data["task_ids"].split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(
                _("Task ids must be whole numbers separated by commas")
            ) from exc
        if not ids:
            raise forms.ValidationError(_("Give at least one task id"))
        return ids


class CoownerForm(forms.Form):
    name = forms.CharField(max_length=150, label=_("User name"))


class TransferForm(forms.Form):
    email_or_name = forms.CharField(max_length=254, label=_("New owner's e-mail or user name"))


class ConfirmDeleteForm(forms.Form):
    confirm = forms.CharField(label=_("Type the project's short name to confirm"))


class PresenterForm(forms.Form):
    editor = forms.CharField(
        widget=forms.Textarea, required=False, strip=False, label=_("Presenter code (HTML)")
    )


class TutorialForm(forms.Form):
    tutorial = forms.CharField(
        widget=forms.Textarea, required=False, strip=False, label=_("Tutorial (HTML)")
    )


class HelpingMaterialForm(forms.Form):
    title = forms.CharField(max_length=255, label=_("Title"))
    media_url = forms.URLField(required=False, assume_scheme="https", label=_("Media address"))
    text = forms.CharField(widget=forms.Textarea, required=False, label=_("Text"))


class ThumbnailForm(forms.Form):
    thumbnail = forms.FileField(label=_("Thumbnail"), help_text=_("PNG, JPEG, GIF or WebP"))


class BlogPostForm(forms.Form):
    title = forms.CharField(max_length=255, label=_("Title"))
    body = forms.CharField(widget=forms.Textarea, label=_("Text"), help_text="Markdown")


def disable_presenter() -> bool:
    return bool(settings.DISABLE_TASK_PRESENTER)


class CkanPushForm(forms.Form):
    api_key = forms.CharField(
        max_length=255,
        required=False,
        label=_("CKAN API key"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to use the key stored on your account"),
    )
    remember = forms.BooleanField(required=False, label=_("Store this key on my account"))


class ImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        label=_("File"),
        help_text=_("CSV, TSV, JSON, JSON lines or Excel (.xlsx); may be zipped"),
    )
    url = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=2000,
        label=_("… or a URL"),
        help_text=_("Imported in the background; you get an e-mail when it is done"),
    )
    url_type = forms.ChoiceField(
        required=False,
        label=_("What the URL points to"),
        choices=[
            ("csv", _("A CSV file")),
            ("gdocs", _("A Google Sheets sheet")),
            ("s3", _("An S3 bucket (one task per file)")),
            ("iiif", _("A IIIF manifest (one task per image)")),
            ("url", _("Any file the importer reads (JSON, JSON lines, TSV, Excel…)")),
        ],
    )
    n_answers = forms.IntegerField(
        min_value=1, max_value=1000, required=False, label=_("Answers needed per task")
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Give a file or a URL (one of the two)."))
        return data
