"""Items in the admin are read-only: every change to an item goes through items.services so that
it is checked and recorded. The admin is for looking things up."""

from django.contrib import admin

from .models import Event, Item
from .selectors import items_visible_to


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = Event
    fields = ["at", "actor", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "kind", "status", "lead_unit", "responsible_leader", "deadline", "deadline_provisional"]
    list_filter = ["org", "status", "kind", "urgency", "deadline_provisional", "is_secret"]
    search_fields = ["number", "title"]
    list_select_related = ["lead_unit", "responsible_leader"]
    inlines = [EventInline]

    def get_queryset(self, request):
        # The admin is one more way data leaves the system: it goes through the same door.
        return items_visible_to(request.user)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["at", "item", "actor", "action", "from_status", "to_status"]
    list_filter = ["action"]
    list_select_related = ["item", "actor"]
    search_fields = ["item__number"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(item__in=items_visible_to(request.user))
