from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LadderStep, Notice, UrgingPolicy


@admin.register(UrgingPolicy)
class UrgingPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["org", "warning_working_days", "stall_working_days"]


@admin.register(LadderStep)
class LadderStepAdmin(SimpleHistoryAdmin):
    list_display = ["name", "org", "urgency", "offset_working_days", "action", "recipients", "is_active", "citation"]
    list_filter = ["org", "urgency", "action", "is_active"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "unit", "item", "issued_at", "answered_at"]
    list_filter = ["kind"]
    list_select_related = ["unit", "item"]
    readonly_fields = ["org", "item", "unit", "kind", "year", "seq", "number", "body", "issued_at"]

    def has_add_permission(self, request):
        return False
