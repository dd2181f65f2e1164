from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins see who holds tokens and revoke one by deleting it; keys are never shown (only digests are stored)."""

    list_display = ("user", "created", "expires_at", "last_used")
    list_filter = ("expires_at",)
    search_fields = ("user__username", "user__full_name")
    readonly_fields = ("user", "created", "expires_at", "last_used")

    def has_add_permission(self, request):
        return False
