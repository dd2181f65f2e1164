from django import forms

from duban.items.models import Status
from duban.items.selectors import items_visible_to
from duban.web.forms import Form, units_of

from .models import Audience


class SurveyForm(Form):
    title = forms.CharField(label="名称", max_length=200)
    intro = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    units = forms.ModelMultipleChoiceField(label="测评单位", queryset=None, required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 6}))
    items = forms.ModelMultipleChoiceField(label="测评事项（计入主办单位）", queryset=None, required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 6}))
    questions = forms.CharField(label="问题", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                                initial="工作落实情况\n工作作风与服务态度", help_text="每行一个问题；每题按 满意 / 基本满意 / 不满意 作答")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units_of(user.org)
        self.fields["items"].queryset = items_visible_to(user).exclude(
            status__in=[Status.DRAFT, Status.PENDING_APPROVAL]).order_by("-id")[:500]


class LinksForm(Form):
    audience = forms.ChoiceField(label="测评对象", choices=Audience.choices)
    count = forms.IntegerField(label="份数", min_value=1, max_value=500, initial=10)
    label = forms.CharField(label="备注", required=False, max_length=100, help_text="如：第一组人大代表")
