from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from duban.deadlines.models import CalendarDay, CalendarYear, DeadlineRule
from duban.deadlines.services import (
    parse_schedule_text,
    publish_year,
    schedule_text_for_year,
    stored_schedule,
    validate_schedule,
)

_WEEKDAYS = "一二三四五六日"


class CalendarYearForm(forms.ModelForm):
    """The year's record plus its official schedule as text; a changed schedule is published on save."""

    schedule = forms.CharField(
        label="官方安排",
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 60}),
        help_text=(
            "按国务院办公厅当年节假日安排通知填写，每行一条：“2027-01-01 至 2027-01-03 元旦”表示放假，"
            "“2027-02-06 春节调休上班”表示调休上班（名称中含“上班”）。保存后该年即为已发布，"
            "按该年计算的暂定时限将重新计算。"
        ),
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "source", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["schedule"].initial = schedule_text_for_year(self.instance.year)
        self.parsed_schedule = None

    def clean_schedule(self):
        text = self.cleaned_data["schedule"]
        published = bool(self.instance.pk and self.instance.published)
        if not text.strip():
            if published:
                raise ValidationError("已发布年份的官方安排不能清空。")
            return text
        parsed = parse_schedule_text(text)
        # Compared as days, not as text: browsers send the textarea back with other line endings.
        if not (published and parsed == stored_schedule(self.instance.year)):
            self.parsed_schedule = parsed
        return text

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year") or self.instance.year
        if self.parsed_schedule is not None and year:
            holidays, workdays = self.parsed_schedule
            try:
                validate_schedule(year, holidays, workdays, cleaned.get("source", ""))
            except ValidationError as error:
                self.add_error("schedule", error)
                self.parsed_schedule = None
        return cleaned


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    form = CalendarYearForm
    list_display = ["year", "published", "source", "holiday_count", "workday_count", "published_at", "published_by"]
    list_filter = ["published"]
    readonly_fields = ["published", "published_at", "published_by", "updated_at"]
    fields = ["year", "published", "source", "schedule", "note", "published_at", "published_by", "updated_at"]

    @admin.display(description="放假天数")
    def holiday_count(self, obj):
        return CalendarDay.objects.filter(date__year=obj.year, is_workday=False).count()

    @admin.display(description="调休上班天数")
    def workday_count(self, obj):
        return CalendarDay.objects.filter(date__year=obj.year, is_workday=True).count()

    def get_readonly_fields(self, request, obj=None):
        # The year of a stored record stays fixed: its days are found by it.
        return self.readonly_fields + (["year"] if obj else [])

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.parsed_schedule is None:
            return
        holidays, workdays = form.parsed_schedule
        publish_year(obj.year, holidays, workdays, source=obj.source, by=request.user)
        obj.refresh_from_db()
        self.message_user(
            request,
            f"已发布{obj.year}年节假日安排：放假{len(holidays)}天，调休上班{len(workdays)}天。",
            messages.SUCCESS,
        )


class YearListFilter(admin.SimpleListFilter):
    title = "年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(d.year), f"{d.year}年") for d in CalendarDay.objects.dates("date", "year", order="DESC")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "weekday", "is_workday", "name", "source"]
    list_filter = [YearListFilter, "is_workday"]
    search_fields = ["name"]
    ordering = ["date"]

    @admin.display(description="星期")
    def weekday(self, obj):
        return f"星期{_WEEKDAYS[obj.date.weekday()]}"


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "name", "org", "item_kind", "urgency", "period", "max_total_amount", "priority", "citation", "is_active",
    ]
    list_filter = ["org", "item_kind", "urgency", "period_unit", "is_active"]
    search_fields = ["name", "citation"]
    ordering = ["org", "priority", "id"]
    list_select_related = ["org"]

    @admin.display(description="时限", ordering="amount")
    def period(self, obj):
        return obj.period_label
