"""Admin for the site's content: categories, projects (featuring them), announcements."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from crowdfold.projects.models import Category, Project
from crowdfold.site.models import Announcement, FeaturedProject


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "created")
    search_fields = ("name", "short_name", "description")
    prepopulated_fields = {"short_name": ("name",)}


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "owner", "category", "published", "featured", "created")
    list_filter = ("featured", "published", "category", "allow_anonymous_contributors")
    list_editable = ("featured",)
    search_fields = ("short_name", "name", "description", "owner__username")
    raw_id_fields = ("owner",)
    filter_horizontal = ("owners",)
    readonly_fields = ("secret_key", "created", "updated")
    actions = ["feature", "unfeature"]

    @admin.action(description=_("Feature on the front page"))
    def feature(self, request, queryset):
        queryset.update(featured=True)

    @admin.action(description=_("Stop featuring"))
    def unfeature(self, request, queryset):
        queryset.update(featured=False)


@admin.register(FeaturedProject)
class FeaturedProjectAdmin(ProjectAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).filter(featured=True)


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ("title", "audience", "published", "created")
    list_filter = ("published", "audience")
    search_fields = ("title", "body")
    exclude = ("user",)

    def save_model(self, request, obj, form, change):
        if obj.user_id is None:
            obj.user = request.user
        super().save_model(request, obj, form, change)
