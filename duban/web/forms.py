"""Django forms for the pages. They parse and validate input; the rules live in items.services."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from duban.items.models import ItemKind, Report, ReportCycle, Satisfaction, Status, Urge, Urgency
from duban.items.selectors import WORKLIST_LABELS
from duban.items.services import REVIEW_CRITERIA
from duban.orgs.models import LEADER_ROLES, Unit, User
from duban.urging import lights


class OrgUnits(QuerySet):
    """An organisation's handling units. A choice among them is searched as you type (the page
    asks /lookup/units/) instead of rendering hundreds of <option>s into every form that offers
    it: on a city's 300 units that was most of a list page's time (issue 13, point 1)."""

    lookup = "units"


def lookup_url(kind: str) -> str:
    return reverse("lookup", args=[kind])


class LookupMixin:
    """A select whose choices are an OrgUnits queryset renders only the chosen options (and the
    empty one); the rest come from the lookup as the person types (duban.js, Tom Select). Any
    other queryset renders as a plain select. ``known``: units the form already holds (an item's
    own units, offered as the initial choice), rendered without reading them again."""

    known: dict = {}

    def get_context(self, name, value, attrs):
        iterator = self.choices
        kind = getattr(getattr(iterator, "queryset", None), "lookup", None)
        if not kind:
            return super().get_context(name, value, attrs)
        attrs = {**(attrs or {}), "data-lookup": lookup_url(kind)}
        self.choices = list(_chosen(iterator, self.format_value(value), self.known))
        try:
            return super().get_context(name, value, attrs)
        finally:
            self.choices = iterator


def _chosen(iterator, values, known):
    if iterator.field.empty_label is not None:
        yield ("", iterator.field.empty_label)
    ids = [int(v) for v in values if str(v).isdigit() and len(str(v)) < 19]
    if ids and all(i in known for i in ids):
        for i in ids:
            yield iterator.choice(known[i])
    elif ids:
        for obj in iterator.queryset.filter(pk__in=ids):
            yield iterator.choice(obj)


class LookupSelect(LookupMixin, forms.Select):
    pass


class LookupSelectMultiple(LookupMixin, forms.SelectMultiple):
    pass


def _as_lookup(field):
    """Give a model choice field the lookup-capable form of its select (same attrs and choices)."""
    w = field.widget
    cls = {forms.Select: LookupSelect, forms.SelectMultiple: LookupSelectMultiple}.get(type(w))
    if cls is not None and isinstance(field, forms.ModelChoiceField):
        new = cls(attrs=w.attrs)
        new.choices, new.is_required = w.choices, w.is_required
        field.widget = new


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _as_lookup(field)
            w = field.widget
            if isinstance(w, (forms.CheckboxInput, forms.RadioSelect)):
                w.attrs.setdefault("class", "form-check-input")
            elif isinstance(w, (forms.Select, forms.SelectMultiple)):
                w.attrs.setdefault("class", "form-select")
            else:
                w.attrs.setdefault("class", "form-control")


class Form(BootstrapMixin, forms.Form):
    pass


def units_of(org):
    return OrgUnits(model=Unit).filter(org=org, is_active=True).exclude(kind__in=[Unit.Kind.OFFICE, Unit.Kind.LEADERSHIP])


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# The years the API accepts too (duban/api/schemas.py, ApiDate): beyond them working-day
# arithmetic and date formatting overflow (9999-12-31 + 1 day), which used to be a 500.
MIN_YEAR, MAX_YEAR = 2000, 2099
YEAR_RANGE_MESSAGE = f"日期应在 {MIN_YEAR}—{MAX_YEAR} 年之间"


class DateField(forms.DateField):
    """A date field whose value lies within 2000—2099, or a Chinese message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DateInput())
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(YEAR_RANGE_MESSAGE, code="year_range")


class DateTimeField(forms.DateTimeField):
    """A date and time within 2000—2099, or a Chinese message."""

    def validate(self, value):
        super().validate(value)
        if value and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(YEAR_RANGE_MESSAGE, code="year_range")


class ItemDraftForm(Form):
    title = forms.CharField(label="标题", max_length=200)
    kind = forms.ChoiceField(label="类别", choices=ItemKind.choices)
    urgency = forms.ChoiceField(label="缓急", choices=Urgency.choices)
    content = forms.CharField(label="内容与要求", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    source_text = forms.CharField(label="来源与依据", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)
    lead_unit = forms.ModelChoiceField(label="主办单位", queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label="协办单位", queryset=Unit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}), help_text="输入名称查找，可多选",
    )
    responsible_leader = forms.ModelChoiceField(label="分管领导", queryset=User.objects.none())
    deadline = DateField(label="办理时限", required=False, widget=DateInput(),
                               help_text="留空则按本组织的时限规则自动计算")
    deadline_override_reason = forms.CharField(label="调整时限理由", required=False, max_length=500,
                                               help_text="办理时限与规则建议不同时必填")
    report_cycle = forms.ChoiceField(
        label="定期报告", required=False, initial="auto",
        choices=[("auto", "按类别默认（重要文件每半年，其余不定期）")] + list(ReportCycle.choices),
        help_text="办结前按周期报送进展（续报）")
    is_secret = forms.BooleanField(label="涉密事项（仅知悉人员可见）", required=False)

    def __init__(self, org, *args, known=(), **kwargs):
        """``known``: the item's current units, shown as the initial choice without a query."""
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units_of(org)
        self.fields["co_units"].queryset = units_of(org)
        known = {u.pk: u for u in known if u is not None and u.org_id == org.id}
        self.fields["lead_unit"].widget.known = self.fields["co_units"].widget.known = known
        self.fields["responsible_leader"].queryset = User.objects.filter(org=org, role__in=LEADER_ROLES, is_active=True)


class CommentForm(Form):
    comment = forms.CharField(label="意见", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(Form):
    comment = forms.CharField(label="理由", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class AcceptForm(Form):
    responsible_person = forms.CharField(label="责任人", max_length=50)
    responsible_phone = forms.CharField(label="责任人电话", max_length=30, required=False)


class ReassignForm(Form):
    lead_unit = forms.ModelChoiceField(label="主办单位", queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(label="协办单位", queryset=Unit.objects.none(), required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 5}))
    comment = forms.CharField(label="说明", required=False, max_length=5000)

    def __init__(self, org, *args, known=(), **kwargs):
        """``known``: the item's current units, shown as the initial choice without a query."""
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units_of(org)
        self.fields["co_units"].queryset = units_of(org)
        known = {u.pk: u for u in known if u is not None and u.org_id == org.id}
        self.fields["lead_unit"].widget.known = self.fields["co_units"].widget.known = known


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ReportForm(Form):
    kind = forms.ChoiceField(label="报告类型", choices=Report.Kind.choices)
    body = forms.CharField(label="报告内容", max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(label="附件", required=False)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds:
            self.fields["kind"].choices = [(k, Report.Kind(k).label) for k in kinds]


class ExtensionRequestForm(Form):
    until = DateField(label="申请延至", widget=DateInput())
    reason = forms.CharField(label="延期理由", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    progress = forms.CharField(label="目前进展", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(Form):
    decision = forms.ChoiceField(label="审批结果", choices=[("approve", "同意延期"), ("refuse", "不同意")])
    new_deadline = DateField(label="批准时限", required=False, widget=DateInput(), help_text="留空则按申请日期")
    comment = forms.CharField(label="审批意见", required=False, max_length=1000)


class UrgeForm(Form):
    method = forms.ChoiceField(label="方式", choices=Urge.Method.choices)
    unit = forms.ModelChoiceField(label="催办单位", queryset=Unit.objects.none(), required=False)
    contact_person = forms.CharField(label="对方联系人", max_length=50, required=False)
    occurred_at = DateTimeField(label="时间", required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      help_text="留空为现在")
    summary = forms.CharField(label="催办内容与答复", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, item, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = Unit.objects.filter(assignments__item=item)
        # The options are the item's units, already read with the item (its assignments): the
        # queryset validates the choice, the options need no query of their own.
        units = sorted((a.unit for a in item.assignments.all()), key=lambda u: (u.order, u.pk))  # Unit's ordering
        field.choices = [("", field.empty_label)] + [(u.pk, str(u)) for u in units]


class ReviewForm(Form):
    task_done = forms.BooleanField(label=REVIEW_CRITERIA["task_done"], required=False)
    problem_solved = forms.BooleanField(label=REVIEW_CRITERIA["problem_solved"], required=False)
    conclusion_sound = forms.BooleanField(label=REVIEW_CRITERIA["conclusion_sound"], required=False)
    lawful = forms.BooleanField(label=REVIEW_CRITERIA["lawful"], required=False)
    comment = forms.CharField(label="审核意见", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class InstructionForm(Form):
    text = forms.CharField(label="批示内容", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(InstructionForm):
    """同意办结, with the leader's optional rating of the work (000 art. 4(6))."""

    satisfaction = forms.ChoiceField(
        label="满意度评价", required=False, choices=[("", "不评价")] + list(Satisfaction.choices),
        widget=forms.RadioSelect,
    )


class AttachmentForm(Form):
    files = MultipleFileField(label="附件")


class ItemFilterForm(Form):
    q = forms.CharField(label="搜索", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "标题或编号"}))
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部状态"), ("open", "未办结"), ("done", "已办结（含归档）")] + list(Status.choices))
    year = forms.IntegerField(label="立项年度", required=False, min_value=2000, max_value=2099,
                              widget=forms.NumberInput(attrs={"placeholder": "立项年度"}))
    # Set by the dashboard's links (a month's bar); shown on the list as a removable note.
    registered_in = forms.RegexField(label="交办月份", required=False, regex=r"^20\d\d-(0[1-9]|1[0-2])$",
                                     widget=forms.HiddenInput, error_messages={"invalid": "月份应为 YYYY-MM"})
    closed_in = forms.RegexField(label="办结时间", required=False, regex=r"^20\d\d(-(0[1-9]|1[0-2]))?$",
                                 widget=forms.HiddenInput, error_messages={"invalid": "办结时间应为 YYYY 或 YYYY-MM"})
    # Set by the work list's 查看全部: the items of one of its buckets (shown as a removable note).
    todo = forms.ChoiceField(label="待办", required=False, widget=forms.HiddenInput,
                             choices=[("", "")] + list(WORKLIST_LABELS.items()))
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别")] + list(ItemKind.choices))
    unit = forms.ModelChoiceField(label="单位", required=False, queryset=Unit.objects.none(), empty_label="全部单位")
    unit_role = forms.ChoiceField(label="承办角色", required=False,
                                  choices=[("", "主办或协办"), ("lead", "主办"), ("co", "协办")])
    leader = forms.ModelChoiceField(label="分管领导", required=False, queryset=User.objects.none(), empty_label="全部领导")
    light = forms.ChoiceField(label="预警", required=False, choices=[("", "全部预警")] + lights.CHOICES)
    sort = forms.ChoiceField(label="排序", required=False,
                             choices=[("", "最新在前"), ("light", "预警程度"), ("deadline", "办理时限")])
    overdue = forms.BooleanField(label="已超期", required=False)
    due_this_week = forms.BooleanField(label="本周到期", required=False)

    def __init__(self, org, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(org)
        self.fields["leader"].queryset = User.objects.filter(org=org, role__in=LEADER_ROLES)
