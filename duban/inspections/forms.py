"""Forms for the inspection pages: they parse input; the rules live in services.py."""

from __future__ import annotations

from django import forms

from duban.items.models import Status
from duban.items.selectors import items_visible_to
from duban.ledgers.models import Plan
from duban.orgs.models import LEADER_ROLES, User
from duban.web.forms import DateInput, Form, units_of

from .models import Finding, InspectionKind


class InspectionForm(Form):
    title = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="督查类型", choices=InspectionKind.choices,
                             help_text="明察暗访：报告印发前，被督查单位看不到本次督查")
    start_date = forms.DateField(label="开始日期", widget=DateInput())
    end_date = forms.DateField(label="结束日期", widget=DateInput())
    purpose = forms.CharField(label="督查内容与要求", required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    leader = forms.ModelChoiceField(label="审批领导", queryset=User.objects.none(), help_text="审批督查报告")
    team_leader = forms.ModelChoiceField(label="督查组组长", queryset=User.objects.none())
    members = forms.ModelMultipleChoiceField(label="督查组成员", queryset=User.objects.none(), required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 6}))
    external_members = forms.CharField(
        label="外单位参加人员", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="联合督查必填，每行一人，如：市纪委监委 王某某")
    target_units = forms.ModelMultipleChoiceField(label="督查对象：单位", queryset=User.objects.none(), required=False,
                                                  widget=forms.SelectMultiple(attrs={"size": 6}))
    target_items = forms.ModelMultipleChoiceField(label="督查对象：事项", queryset=User.objects.none(), required=False,
                                                  widget=forms.SelectMultiple(attrs={"size": 6}))
    target_plans = forms.ModelMultipleChoiceField(label="督查对象：分解方案", queryset=Plan.objects.none(),
                                                  required=False, widget=forms.SelectMultiple(attrs={"size": 4}))
    sites = forms.CharField(label="督查对象：现场地址", required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 2}), help_text="每行一个地址")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org = user.org
        people = User.objects.filter(org=org, is_active=True).order_by("unit__order", "id")
        self.fields["leader"].queryset = people.filter(role__in=LEADER_ROLES)
        self.fields["team_leader"].queryset = people
        self.fields["members"].queryset = people
        self.fields["target_units"].queryset = units_of(org)
        self.fields["target_items"].queryset = items_visible_to(user).exclude(
            status__in=[Status.DRAFT, Status.PENDING_APPROVAL]).order_by("-id")[:500]
        self.fields["target_plans"].queryset = Plan.objects.filter(org=org).order_by("-id")

    def clean_target_items(self):
        return list(self.cleaned_data["target_items"])


class FindingForm(Form):
    target = forms.ChoiceField(label="督查对象")
    text = forms.CharField(label="发现情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    captured_at = forms.CharField(required=False, widget=forms.HiddenInput())
    latitude = forms.CharField(required=False, widget=forms.HiddenInput())
    longitude = forms.CharField(required=False, widget=forms.HiddenInput())
    accuracy_m = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, inspection, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "请选择")] + [(t.id, f"{t.get_kind_display()}：{t.label}")
                                                         for t in inspection.targets.all()]


class DecideFindingForm(Form):
    outcome = forms.ChoiceField(label="处理方式", choices=[c for c in Finding.Outcome.choices if c[0] != "pending"])
    note = forms.CharField(label="处理意见", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="下发整改通知书或通报表扬时必填")
    unit = forms.ModelChoiceField(label="整改单位", queryset=User.objects.none(), required=False)
    deadline = forms.DateField(label="整改时限", required=False, widget=DateInput(), help_text="留空按规则计算")

    def __init__(self, org, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(org)


class ReportForm(Form):
    body = forms.CharField(label="督查报告", max_length=50000, widget=forms.Textarea(attrs={"rows": 14}))


class RecheckForm(Form):
    result = forms.ChoiceField(label="结果", choices=[("holding", "巩固"), ("relapsed", "反弹")])
    note = forms.CharField(label="回头看情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label="反弹后整改时限", required=False, widget=DateInput())
