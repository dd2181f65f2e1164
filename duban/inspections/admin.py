from django.contrib import admin

from .models import Inspection, RecheckRule


@admin.register(RecheckRule)
class RecheckRuleAdmin(admin.ModelAdmin):
    """Each organisation's 回头看 rules: the one setting of this app an administrator edits."""

    list_display = ("__str__", "org", "kind", "item_kind", "months", "percent", "is_active")
    list_filter = ("org", "kind", "is_active")


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services, so it is checked."""

    list_display = ("title", "org", "kind", "start_date", "end_date", "status")
    list_filter = ("org", "kind", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
