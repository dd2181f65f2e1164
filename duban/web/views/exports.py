"""Downloads of lists as formatted .xlsx (what offices print and file), beside the plain CSV.

The rows come from the list's own filter (`items._filtered`, which starts from
`items_visible_to`), so an export never holds an item its user could not open on the page.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone

from duban.documents.xlsx import Column, Sheet, build_workbook
from duban.items.models import ItemKind, Status, Urgency
from duban.urging import lights

from .items import EXPORT_LIMIT, _filtered

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ITEM_COLUMNS = [
    Column("编号", 18), Column("标题", 44, "wrap"), Column("类别", 14, "wrap"), Column("缓急", 7),
    Column("主办单位", 22, "wrap"), Column("分管领导", 10), Column("办理时限", 17, "date"), Column("时限暂定", 6),
    Column("状态", 10), Column("预警", 10),
]


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _filters_text(form) -> str:
    """The active filters in words, e.g. "状态：办理中；单位：住建局；已超期"."""
    if not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name == "sort" or value in (None, "", False):
            continue
        if isinstance(field, forms.BooleanField):
            parts.append(str(field.label))
        elif isinstance(field, forms.ModelChoiceField):
            parts.append(f"{field.label}：{value}")
        elif isinstance(field, forms.ChoiceField):
            parts.append(f"{field.label}：{dict(field.choices).get(value, value)}")
        else:
            parts.append(f"{field.label}：{value}")
    return "；".join(parts)


def _download(content: bytes, filename: str, ascii_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    # RFC 6266/5987: an ASCII name for old clients, the Chinese one for everyone else.
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def item_export_xlsx(request):
    """The filtered item list as a printable .xlsx: same rows and limit as the CSV, plus the light."""
    form, qs = _filtered(request)
    kinds, urgencies, statuses = dict(ItemKind.choices), dict(Urgency.choices), dict(Status.choices)
    # Plain tuples, as in the CSV: 20,000 model instances would cost about a second more.
    fetched = list(qs.values_list(
        "number", "title", "kind", "urgency", "lead_unit__name", "responsible_leader__full_name",
        "responsible_leader__username", "deadline", "deadline_provisional", "status", "light", "stalled",
    )[:EXPORT_LIMIT])
    rows = [
        [number, title, kinds.get(kind, kind), urgencies.get(urgency, urgency), unit or "",
         leader_name or leader_username or "", deadline, "是" if provisional else "", statuses.get(status, status),
         "、".join(filter(None, [lights.LABELS.get(light), "停滞" if stalled else ""]))]
        for number, title, kind, urgency, unit, leader_name, leader_username, deadline, provisional, status, light, stalled
        in fetched
    ]
    count = f"共{len(rows)}件"
    if len(rows) == EXPORT_LIMIT:
        total = qs.count()
        if total > EXPORT_LIMIT:
            count = f"共{total}件，导出前{EXPORT_LIMIT}件"
    subtitle = f"导出时间：{_cn_date(timezone.localdate())}  {count}"
    if filters := _filters_text(form):
        subtitle += f"  筛选条件：{filters}"
    content = build_workbook([Sheet(
        name="督查事项", title="督查事项清单", columns=ITEM_COLUMNS, rows=rows, subtitle=subtitle,
    )])
    return _download(content, "督查事项.xlsx", "items.xlsx")
