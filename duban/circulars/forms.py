"""Forms of the circular pages: parse and validate; the rules live in ``services``."""

from __future__ import annotations

from django import forms

from duban.web.forms import DateInput, Form, units_of

from .models import CircularKind, Mention


class DraftForm(Form):
    kind = forms.ChoiceField(label="通报类别", choices=CircularKind.choices)
    period_start = forms.DateField(label="统计起始日", widget=DateInput())
    period_end = forms.DateField(label="统计截止日", widget=DateInput())
    title = forms.CharField(label="标题", max_length=200, required=False, help_text="留空按统计期间自动生成")


class EditForm(Form):
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", max_length=20000, widget=forms.Textarea(attrs={"rows": 12}),
                           help_text="以“一、”“（一）”开头的行是标题；表扬与批评在正文之后按名单生成")
    closing = forms.CharField(label="下一步工作要求", max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class MentionForm(Form):
    kind = forms.ChoiceField(label="类型", choices=Mention.Kind.choices)
    unit = forms.ModelChoiceField(label="单位", queryset=None)
    facts = forms.CharField(label="事实依据", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, org, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(org)


class CommentForm(Form):
    comment = forms.CharField(label="意见", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
