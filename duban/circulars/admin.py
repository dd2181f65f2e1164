from django.contrib import admin

from .models import Circular, CircularSettings


@admin.register(CircularSettings)
class CircularSettingsAdmin(admin.ModelAdmin):
    list_display = ("org", "prefix", "issuer")


@admin.register(Circular)
class CircularAdmin(admin.ModelAdmin):
    """Read only: a circular changes through its pages (and, once issued, never)."""

    list_display = ("number", "title", "org", "kind", "status", "issued_at")
    list_filter = ("status", "kind")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
