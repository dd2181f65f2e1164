from django.contrib import admin

from .models import ProposalConfig, Session


@admin.register(ProposalConfig)
class ProposalConfigAdmin(admin.ModelAdmin):
    """Each organisation's windows and limits for suggestions, with the presets as defaults."""

    list_display = ("org", "contest_working_days", "co_opinion_days_before", "rehandle_months", "rating_link_days")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("name", "org", "body", "year", "answer_due")
    list_filter = ("body", "year")
