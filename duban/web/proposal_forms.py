"""Forms of the suggestion and proposal pages; rules live in duban.proposals.services."""

from __future__ import annotations

import datetime as dt

from django import forms

from duban.orgs.models import LEADER_ROLES, User
from duban.proposals.models import AnswerClass, Body, Contact, Publishable, Rating, Session

from .forms import DateInput, Form, units_of


class SessionForm(Form):
    body = forms.ChoiceField(label="提出机关", choices=Body.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2099, initial=lambda: dt.date.today().year)
    name = forms.CharField(label="会次", max_length=100)
    answer_due = forms.DateField(label="统一答复期限（选填）", required=False, widget=DateInput())


class ImportForm(Form):
    body = forms.ChoiceField(label="类型", choices=[(Body.CONGRESS, "人大代表建议"), (Body.CPPCC, "政协委员提案")])
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2099, initial=lambda: dt.date.today().year)
    default_session = forms.CharField(label="默认会次", max_length=100, required=False,
                                      help_text="表格没有“会次”列或该列为空时使用")
    file = forms.FileField(label="Excel 文件（.xlsx）")


class RegisterForm(Form):
    session = forms.ModelChoiceField(label="会次", queryset=Session.objects.none())
    number = forms.IntegerField(label="编号（第N号）", min_value=1, max_value=99999)
    title = forms.CharField(label="标题", max_length=200)
    category = forms.CharField(label="类别", max_length=50, required=False)
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    lead_name = forms.CharField(label="领衔人", max_length=50)
    lead_group = forms.CharField(label="代表团/界别", max_length=100, required=False)
    lead_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    cosigners = forms.CharField(label="附议人（用顿号分隔，可注明代表团/界别，如 李红（城关代表团））", max_length=2000,
                                required=False)

    def __init__(self, org, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(org=org)


class AssignForm(Form):
    lead_unit = forms.ModelChoiceField(label="主办单位", queryset=None)
    co_units = forms.ModelMultipleChoiceField(label="会办（分办）单位", queryset=None, required=False)
    responsible_leader = forms.ModelChoiceField(label="分管领导（默认主要领导）", queryset=None, required=False)
    co_opinion_due = forms.DateField(label="会办意见期限（选填）", required=False, widget=DateInput())

    def __init__(self, org, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units_of(org)
        self.fields["co_units"].queryset = units_of(org)
        self.fields["responsible_leader"].queryset = User.objects.filter(org=org, role__in=LEADER_ROLES, is_active=True)


class ContestForm(Form):
    reason = forms.CharField(label="异议理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DecideContestForm(Form):
    uphold = forms.TypedChoiceField(label="决定", choices=[("1", "异议成立，改派"), ("0", "异议不成立，维持交办")],
                                    coerce=lambda v: v == "1")
    comment = forms.CharField(label="决定意见", max_length=1000, required=False)
    lead_unit = forms.ModelChoiceField(label="改派主办单位", queryset=None, required=False)
    co_units = forms.ModelMultipleChoiceField(label="改派会办单位", queryset=None, required=False)

    def __init__(self, org, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units_of(org)
        self.fields["co_units"].queryset = units_of(org)


class CoOpinionForm(Form):
    body = forms.CharField(label="会办意见", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class ContactForm(Form):
    method = forms.ChoiceField(label="方式", choices=Contact.Method.choices)
    on = forms.DateField(label="日期", widget=DateInput())
    who = forms.CharField(label="参加人员", max_length=200)
    summary = forms.CharField(label="沟通情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                              required=False)


class AnswerForm(Form):
    answer_class = forms.ChoiceField(label="答复类别", choices=AnswerClass.choices)
    body = forms.CharField(label="答复函正文", widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)
    publishable = forms.ChoiceField(label="是否公开", choices=Publishable.choices)
    abstract = forms.CharField(label="公开摘要（摘要公开时填写）", widget=forms.Textarea(attrs={"rows": 3}),
                               max_length=2000, required=False)
    commitments = forms.CharField(
        label="承诺事项（B类、C类必填；每行一项：事项｜完成时间，如 完成加装电梯补助办法｜2026-09-30）",
        widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)

    def clean_commitments(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["commitments"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            parts = [x.strip() for x in line.replace("|", "｜").split("｜")]
            if len(parts) != 2:
                raise forms.ValidationError(f"第{n}行应为“事项｜完成时间”")
            rows.append((parts[0], parts[1]))
        return rows


class CommentForm(Form):
    comment = forms.CharField(label="意见", max_length=1000, required=False)


class ReviewAnswerForm(Form):
    answers_question = forms.BooleanField(label="答其所问", required=False)
    lawful = forms.BooleanField(label="合法合规", required=False)
    commitments_concrete = forms.BooleanField(label="承诺事项具体", required=False)
    comment = forms.CharField(label="审核意见（退回时必填）", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                              required=False)


class PaperRatingForm(Form):
    value = forms.ChoiceField(label="评价", choices=Rating.Value.choices)
    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)


class PublishItemForm(Form):
    item = forms.IntegerField(label="事项ID", min_value=1)
    body = forms.CharField(label="公开内容（办理进展）", widget=forms.Textarea(attrs={"rows": 4}), max_length=30000)


class PublishPlanForm(Form):
    plan = forms.IntegerField(label="方案ID", min_value=1)


class ModerateForm(Form):
    approve = forms.TypedChoiceField(label="审核", choices=[("1", "公开"), ("0", "不予公开")], coerce=lambda v: v == "1")
    reply = forms.CharField(label="答复（选填）", max_length=2000, required=False)
