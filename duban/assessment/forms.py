"""Forms of the assessment pages: they parse; the rules are in services.py."""

from django import forms

from duban.web.forms import Form

from .models import Assessment
from .services import assessed_units


class RunForm(Form):
    kind = forms.ChoiceField(label="考核类型", choices=Assessment.Kind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2099)
    period_start = forms.DateField(label="考核期起（可不填）", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="考核期止（可不填）", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AdjustForm(Form):
    unit = forms.ModelChoiceField(label="单位", queryset=None)
    points = forms.DecimalField(label="调整分值", max_digits=6, decimal_places=2,
                                help_text="正数加分，负数扣分", widget=forms.NumberInput(attrs={"step": "0.5"}))
    reason = forms.CharField(label="调整理由", max_length=480, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, org, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = assessed_units(org).order_by("order", "id")


class CommentForm(Form):
    comment = forms.CharField(label="意见", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
