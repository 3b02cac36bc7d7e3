from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from crowdfold.accounts import services
from crowdfold.accounts.models import User


@admin.register(User)
class CrowdfoldUserAdmin(UserAdmin):
    list_display = (
        "username",
        "email",
        "fullname",
        "is_superuser",
        "pro",
        "restrict",
        "date_joined",
    )
    list_filter = ("is_superuser", "pro", "restrict", "privacy_mode", "valid_email", "locale")
    search_fields = ("username", "email", "fullname")
    fieldsets = UserAdmin.fieldsets + (
        (
            _("Profile and privacy"),
            {"fields": ("fullname", "locale", "pro", "privacy_mode", "restrict", "info")},
        ),
    )
    actions = ["grant_admin", "revoke_admin"]

    @admin.action(description=_("Grant admin rights"))
    def grant_admin(self, request, queryset):
        for user in queryset:
            services.set_admin(user, True)
        self.message_user(request, _("Admin rights granted."), messages.SUCCESS)

    @admin.action(description=_("Revoke admin rights"))
    def revoke_admin(self, request, queryset):
        # Never leave the server without an admin, and never lock yourself out by accident.
        for user in queryset.exclude(pk=request.user.pk):
            services.set_admin(user, False)
        self.message_user(request, _("Admin rights revoked (not your own)."), messages.SUCCESS)
