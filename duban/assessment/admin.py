from django.contrib import admin

from .models import Assessment, Scheme, SchemeRule


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["org", "base_score", "floor", "citation"]


@admin.register(SchemeRule)
class SchemeRuleAdmin(admin.ModelAdmin):
    list_display = ["org", "kind", "points", "cap", "is_active", "citation"]
    list_filter = ["org", "is_active"]
    list_editable = ["points", "cap", "is_active"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Read-only: assessments are run, adjusted and published on their pages, through the services."""

    list_display = ["title", "org", "status", "period_start", "period_end", "published_at"]
    list_filter = ["org", "status", "kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
