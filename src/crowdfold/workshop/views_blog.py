"""The project blog (public to read, owners write) and the audit log (owners only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crowdfold.workshop import forms, services
from crowdfold.workshop.access import (
    can_manage,
    managed_project,
    owner_view,
    require_feature,
    viewable_project,
)
from crowdfold.workshop.audit import record_changes
from crowdfold.workshop.markup import render_markdown
from crowdfold.workshop.models import AuditEntry, BlogPost
from crowdfold.workshop.views import back, page


@owner_view
def blog(request, short_name: str):
    project = viewable_project(request, short_name)
    posts = Paginator(BlogPost.objects.filter(project=project), 10).get_page(
        request.GET.get("page")
    )
    for post in posts:
        post.html = render_markdown(post.body)
    return page(
        request,
        "blog.html",
        project,
        "blog",
        posts=posts,
        manager=can_manage(project, request.user),
    )


@owner_view
def blog_post(request, short_name: str, post_id: int):
    project = viewable_project(request, short_name)
    post = BlogPost.objects.filter(project=project, pk=post_id).first()
    if post is None:
        raise Http404("No such post")
    post.html = render_markdown(post.body)
    return page(
        request,
        "blog_post.html",
        project,
        "blog",
        post=post,
        manager=can_manage(project, request.user),
    )


@owner_view
def new_post(request, short_name: str):
    project = managed_project(request, short_name)
    form = forms.BlogPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = services.publish_post(
            project, request.user, form.cleaned_data["title"], form.cleaned_data["body"]
        )
        if post.notified:
            messages.success(request, _("Posted; volunteers who contributed are told by e-mail."))
        else:
            messages.success(request, _("Posted. (E-mail to volunteers is a pro feature here.)"))
        return back(f"/project/{short_name}/blog/{post.pk}")
    return page(request, "blog_form.html", project, "blog", form=form, post=None)


@owner_view
def update_post(request, short_name: str, post_id: int):
    project = managed_project(request, short_name)
    post = BlogPost.objects.filter(project=project, pk=post_id).first()
    if post is None:
        raise Http404("No such post")
    form = forms.BlogPostForm(
        request.POST or None, initial={"title": post.title, "body": post.body}
    )
    if request.method == "POST" and form.is_valid():
        old = post.title
        post.title, post.body = form.cleaned_data["title"], form.cleaned_data["body"]
        post.save()
        record_changes(project, request.user, {f"blogpost.{post.pk}": (old, post.title)})
        messages.success(request, _("Post updated."))
        return back(f"/project/{short_name}/blog/{post.pk}")
    return page(request, "blog_form.html", project, "blog", form=form, post=post)


@owner_view
@require_POST
def delete_post(request, short_name: str, post_id: int):
    project = managed_project(request, short_name)
    post = BlogPost.objects.filter(project=project, pk=post_id).first()
    if post is None:
        raise Http404("No such post")
    record_changes(project, request.user, {f"blogpost.{post.pk}": (post.title, None)})
    post.delete()
    messages.success(request, _("Post deleted."))
    return back(f"/project/{short_name}/blog")


@owner_view
def audit_log(request, short_name: str):
    project = managed_project(request, short_name)
    require_feature("auditlog", request.user)
    entries = Paginator(AuditEntry.objects.filter(project=project), 50).get_page(
        request.GET.get("page")
    )
    return page(request, "auditlog.html", project, "auditlog", entries=entries)
