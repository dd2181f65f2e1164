from django.contrib import admin

from .models import Sanction, SanctionRule


@admin.register(SanctionRule)
class SanctionRuleAdmin(admin.ModelAdmin):
    list_display = ["org", "ordinal", "or_more", "measure", "creates_item", "deadline_working_days", "is_active", "citation"]
    list_filter = ["org", "measure", "is_active"]
    list_editable = ["is_active"]


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    """Read-only: a sanction is a record, written when the circular was issued."""

    list_display = ["unit", "year", "ordinal", "measure", "state", "item", "created_at"]
    list_filter = ["org", "year", "measure", "state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
