from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organization, Unit, User


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "number_prefix", "parent"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "org", "kind", "parent", "org_link", "order", "is_active"]
    list_filter = ["org", "kind", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "org", "unit", "role", "is_active"]
    list_filter = ["org", "role", "is_active"]
    search_fields = ["username", "full_name"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("督查工作", {"fields": ("full_name", "org", "unit", "role", "title", "phone")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("督查工作", {"fields": ("full_name", "org", "unit", "role")}),
    )
