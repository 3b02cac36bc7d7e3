"""Forms for the owner pages. Validation of short names is the project service's."""

from __future__ import annotations

from django import forms
from django.conf import settings

from crowdfold.projects.models import Category, Project
from crowdfold.projects.services import short_name_problem
from crowdfold.workshop.services import MAX_REDUNDANCY, SCHEDULERS


class ProjectDetailsForm(forms.Form):
    name = forms.CharField(max_length=255)
    short_name = forms.CharField(max_length=255)
    description = forms.CharField(max_length=255, required=False)
    long_description = forms.CharField(widget=forms.Textarea, required=False, help_text="Markdown")
    category = forms.ModelChoiceField(queryset=Category.objects.order_by("name"), required=False)

    def __init__(self, *args, project: Project | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_short_name(self) -> str:
        value = self.cleaned_data["short_name"].strip()
        problem = short_name_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        taken = Project.objects.filter(short_name=value)
        if self.project is not None:
            taken = taken.exclude(pk=self.project.pk)
        if taken.exists():
            raise forms.ValidationError("That short name is already taken")
        return value

    def clean_name(self) -> str:
        value = self.cleaned_data["name"].strip()
        taken = Project.objects.filter(name=value)
        if self.project is not None:
            taken = taken.exclude(pk=self.project.pk)
        if taken.exists():
            raise forms.ValidationError("That name is already taken")
        return value


class NewProjectForm(ProjectDetailsForm):
    template = forms.ChoiceField(choices=[], widget=forms.RadioSelect, initial="basic")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from crowdfold.workshop.presenters import template_choices

        self.fields["template"].choices = template_choices()


class ContributionSettingsForm(forms.Form):
    allow_anonymous_contributors = forms.BooleanField(required=False)
    zip_download = forms.BooleanField(required=False)
    webhook = forms.URLField(required=False, assume_scheme="https")

    def __init__(self, *args, webhooks: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not webhooks:  # PRO_FEATURES["webhooks"]: the field is neither shown nor accepted
            del self.fields["webhook"]


class PasswordForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput, required=False, help_text="Leave empty to remove the password"
    )


class SchedulerForm(forms.Form):
    sched = forms.ChoiceField(choices=[(s, s.replace("_", " ")) for s in SCHEDULERS])


class RedundancyForm(forms.Form):
    n_answers = forms.IntegerField(min_value=1, max_value=MAX_REDUNDANCY)


class PriorityForm(forms.Form):
    task_ids = forms.CharField(help_text="Comma-separated task ids, e.g. 1,2,3")
    priority_0 = forms.FloatField(min_value=0.0, max_value=1.0)

    def clean_task_ids(self) -> list[int]:
        try:
            ids = [int(part) for part in self.cleaned_data["task_ids"].split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(
                "Task ids must be whole numbers separated by commas"
            ) from exc
        if not ids:
            raise forms.ValidationError("Give at least one task id")
        return ids


class CoownerForm(forms.Form):
    name = forms.CharField(max_length=150, label="User name")


class TransferForm(forms.Form):
    email_or_name = forms.CharField(max_length=254, label="New owner's e-mail or user name")


class ConfirmDeleteForm(forms.Form):
    confirm = forms.CharField(label="Type the project's short name to confirm")


class PresenterForm(forms.Form):
    editor = forms.CharField(widget=forms.Textarea, required=False, strip=False)


class TutorialForm(forms.Form):
    tutorial = forms.CharField(widget=forms.Textarea, required=False, strip=False)


class HelpingMaterialForm(forms.Form):
    title = forms.CharField(max_length=255)
    media_url = forms.URLField(required=False, assume_scheme="https")
    text = forms.CharField(widget=forms.Textarea, required=False)


class ThumbnailForm(forms.Form):
    thumbnail = forms.FileField(help_text="PNG, JPEG, GIF or WebP")


class BlogPostForm(forms.Form):
    title = forms.CharField(max_length=255)
    body = forms.CharField(widget=forms.Textarea, help_text="Markdown")


def disable_presenter() -> bool:
    return bool(settings.DISABLE_TASK_PRESENTER)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV, TSV, JSON, JSON lines or Excel (.xlsx); may be zipped")
    n_answers = forms.IntegerField(
        min_value=1, max_value=1000, required=False, label="Answers needed per task"
    )
