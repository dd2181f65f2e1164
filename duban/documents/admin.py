"""The organisation's document settings, templates and retention periods; volumes read-only."""

from django.contrib import admin

from .models import ArchiveJob, DocumentSettings, FormTemplate, IssuedDocument, RetentionRule, Volume


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(admin.ModelAdmin):
    list_display = ("org", "heading", "issuer")


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("org", "item_kind", "period")
    list_filter = ("org", "period")


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    """Uploads go through the archive page, which checks every placeholder; here they can be retired."""

    list_display = ("org", "kind", "original_name", "is_active", "uploaded_by", "uploaded_at")
    list_filter = ("org", "kind", "is_active")
    fields = ("org", "kind", "original_name", "is_active", "uploaded_by", "uploaded_at")
    readonly_fields = ("org", "kind", "original_name", "uploaded_by", "uploaded_at")

    def has_add_permission(self, request):
        return False


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnly):
    list_display = ("number", "kind", "title", "issued_by", "issued_at")
    list_filter = ("org", "kind", "year")


@admin.register(Volume)
class VolumeAdmin(ReadOnly):
    list_display = ("archive_number", "item", "retention", "file_count", "sealed_at", "build_seconds")
    list_filter = ("org", "year", "retention")


@admin.register(ArchiveJob)
class ArchiveJobAdmin(ReadOnly):
    list_display = ("org", "year", "state", "done", "total", "created_at", "finished_at")
