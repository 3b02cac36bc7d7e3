from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

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
    list_filter = ("is_superuser", "pro", "restrict", "privacy_mode")
    search_fields = ("username", "email", "fullname")
    fieldsets = UserAdmin.fieldsets + (
        (
            "Crowdfold",
            {"fields": ("fullname", "locale", "pro", "privacy_mode", "restrict", "info")},
        ),
    )
