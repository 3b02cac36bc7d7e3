"""Account pages around allauth's: profiles, settings, API key, language, GDPR export and erasure."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crowdfold.accounts import privacy, services
from crowdfold.accounts.forms import AvatarForm, ProfileForm
from crowdfold.accounts.models import User
from crowdfold.lib.errors import DomainError
from crowdfold.ops.cache import FrozenPage, remember


def _forbidden(request, message: str):
    return HttpResponseForbidden(
        render(request, "accounts/forbidden.html", {"message": message}).content
    )


def _own_account(request, name: str):
    """The named account if the viewer is that person or an admin, else None."""
    user = get_object_or_404(User, username=name)
    if privacy.is_self(request.user, user) or privacy.is_admin(request.user):
        return user
    return None


def user_list(request, page: int = 1):
    if not privacy.people_pages_visible(request.user):
        return _forbidden(request, _("This server keeps its volunteers private."))
    if request.user.is_authenticated:  # what a signed-in person sees depends on who they are
        return render(request, "accounts/list.html", {"page": _people_page(request.user, page)})
    cached = remember(
        f"users:page:{page}",
        "USER_TIMEOUT",
        lambda: _people_page(request.user, page),
        scopes=("users",),
    )
    return render(request, "accounts/list.html", {"page": cached})


def _people_page(viewer, page: int) -> FrozenPage:
    people = privacy.visible_people(viewer, User.objects.filter(is_active=True))
    paginator = Paginator(people.order_by("username"), 50)
    if not viewer.is_authenticated:
        # PYBOSSA's USER_TOTAL_TIMEOUT figure: counting every account is the costly part.
        paginator.count = remember(
            "users:total", "USER_TOTAL_TIMEOUT", people.count, scopes=("users",)
        )
    frozen = FrozenPage(paginator.get_page(page))
    for person in frozen:  # privacy mode keeps the name public and hides the full name
        person.shown_fullname = privacy.public_profile(viewer, person).get("fullname")
    return frozen


def _profile_figures(user: User) -> dict:
    return {
        "projects": list(user.created_projects.filter(published=True).order_by("id")[:50]),
        "n_answers": user.task_runs.count(),
    }


@login_required
def my_profile(request):
    return redirect("accounts:profile", name=request.user.username)


def profile(request, name: str):
    user = get_object_or_404(User, username=name, is_active=True)
    if user.restrict and not privacy.can_view_profile(request.user, user):
        raise Http404  # as if absent: restricted data is not processed, not even to say "hidden"
    if not privacy.can_view_profile(request.user, user):
        return _forbidden(request, _("This server keeps its volunteers private."))
    context = {
        "person": user,
        "details": privacy.shows_details(request.user, user),
        "is_self": privacy.is_self(request.user, user),
        "info": privacy.public_info(user),
        # The public info keys beyond the picture (USER_INFO_PUBLIC_FIELDS), as /api/user shows.
        "info_items": [
            (key, value)
            for key, value in sorted(privacy.public_info(user).items())
            if key not in ("avatar", "avatar_url", "container")
        ],
        **remember(
            f"users:profile:{user.pk}",
            "USER_TIMEOUT",
            lambda: _profile_figures(user),
            scopes=(f"user:{user.pk}", "projects"),
        ),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def update(request, name: str):
    user = _own_account(request, name)
    if user is None:
        return _forbidden(request, _("You may only change your own account."))
    form = ProfileForm(instance=user)
    avatar_form = AvatarForm()
    if request.method == "POST" and request.POST.get("form_name") == "avatar":
        avatar_form = AvatarForm(request.POST, request.FILES)
        if avatar_form.is_valid():
            services.set_avatar(user, avatar_form.cleaned_data["avatar"])
            messages.success(request, _("Your picture has been updated."))
            return redirect("accounts:update", name=user.username)
    elif request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been updated."))
            response = redirect("accounts:update", name=user.username)
            if privacy.is_self(request.user, user):
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.locale, samesite="Lax")
            return response
    status = 400 if request.method == "POST" else 200
    context = {
        "person": user,
        "form": form,
        "avatar_form": avatar_form,
        "is_self": privacy.is_self(request.user, user),
    }
    return render(request, "accounts/update.html", context, status=status)


@login_required
@require_POST
def reset_api_key(request, name: str):
    user = _own_account(request, name)
    if user is None:
        return _forbidden(request, _("You may only change your own account."))
    services.regenerate_api_key(user)
    messages.success(request, _("A new API key has been created; the old one no longer works."))
    return redirect("accounts:update", name=user.username)


@login_required
def export(request, name: str):
    user = _own_account(request, name)
    if user is None:
        return _forbidden(request, _("You may only download your own data."))
    response = HttpResponse(services.export_user_data(user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{user.username}_personal_data.zip"'
    return response


@login_required
def delete(request, name: str):
    user = _own_account(request, name)
    if user is None:
        return _forbidden(request, _("You may only delete your own account."))
    if request.method != "POST":
        return render(request, "accounts/delete.html", {"person": user})
    if request.POST.get("confirm_name") != user.username:
        messages.error(request, _("Type the account name to confirm."))
        return render(request, "accounts/delete.html", {"person": user}, status=400)
    deleting_self = privacy.is_self(request.user, user)
    try:
        services.delete_account(user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return render(request, "accounts/delete.html", {"person": user}, status=exc.status_code)
    if deleting_self:
        logout(request)
    messages.success(request, _("The account has been deleted. Its answers remain, anonymised."))
    return redirect("/")


@require_POST
def set_language(request):
    """Switch the interface language: a cookie for everyone, and the profile for registered people."""
    code = request.POST.get("language", "")
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    if code not in dict(settings.LANGUAGES):
        return HttpResponse(_("Unknown language."), status=400, content_type="text/plain")
    if request.user.is_authenticated and request.user.locale != code:
        request.user.locale = code
        request.user.save(update_fields=["locale"])
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response
