"""Which forms a reader may have, and the filled form itself. Every read starts from the item
door (``get_visible_item`` → ``items_visible_to``); a form about a record the reader may not see
(another unit's report or notice, a draft) is not there for them: the page gets ``None`` → 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from duban.items import selectors as items
from duban.items.models import Report, Status
from duban.orgs.acting import acting_for

from . import forms
from .kinds import FormKind


@dataclass
class Available:
    kind: str
    label: str
    ref: int | None = None


def may_read_volume(user, item) -> bool:
    """The sealed volume is the office's: it holds what the office may see, so the office and the
    leaders of the item's organisation (who see the same) read it; units never do."""
    return user.is_authenticated and user.org_id == item.org_id and user.role in items.ORG_WIDE_ROLES


def _issued_visible(user, item):
    from .models import IssuedDocument

    qs = IssuedDocument.objects.filter(Q(item=item) | Q(answer_item=item)).select_related(
        "item", "unit", "answer_item")
    if user.org_id == item.org_id and user.role in items.ORG_WIDE_ROLES:
        return qs
    return qs.filter(unit_id__in=acting_for(user).units).exclude(kind=FormKind.SPECIAL_REPORT)


def _notices_visible(user, item):
    from duban.urging.ladder import notices_on

    return notices_on(user, item)


def available_forms(user, item, reports=None, extensions=None) -> list[Available]:
    """The download buttons of the item page, for a reader who may see the item. ``reports`` (the
    reports visible to the user) and ``extensions`` (the item's extension requests with their unit)
    spare reading again what the item page has already read."""
    out = []
    registered = item.status not in (Status.DRAFT,)
    if item.number:
        out.append(Available(FormKind.ASSIGNMENT_NOTICE, "交办通知单"))
    if registered:
        out.append(Available(FormKind.INSTRUCTION_SLIP, "呈批单"))
    out.append(Available(FormKind.HANDLING_CARD, "督办卡"))
    for n in _notices_visible(user, item):
        out.append(Available(n.kind, n.number, n.id))
    if extensions is None:
        extensions = item.extension_requests.select_related("unit")
    for e in extensions:
        out.append(Available(FormKind.EXTENSION_FORM, f"延期申请审批表（{e.unit.name}）", e.id))
    finals = (Report.Kind.COMPLETION, Report.Kind.EXPLANATION)
    if reports is None:
        reports = items.reports_visible_on(user, item).filter(kind__in=finals)
    for r in (r for r in reports if r.kind in finals):
        kind = FormKind.COMPLETION_REPORT if r.kind == Report.Kind.COMPLETION else FormKind.EXPLANATION
        out.append(Available(kind, f"{r.get_kind_display()}（{r.unit.name}）", r.id))
    for d in _issued_visible(user, item).select_related(None):  # the buttons show kind and number only
        out.append(Available(d.kind, f"{d.get_kind_display()} {d.number}", d.id))
    if item.status == Status.ARCHIVED and may_read_volume(user, item):
        out.append(Available(FormKind.CATALOGUE, "卷内文件目录"))
        if _volume(item) is not None:
            out.append(Available(FormKind.NOTE_SHEET, "备考表"))
    return out


def _volume(item):
    from .models import Volume

    return Volume.objects.filter(item=item).select_related("sealed_by").first()


def form_for(user, item_id, kind: str, ref=None) -> tuple[forms.Form, object] | None:
    """The filled form ``kind`` (of record ``ref`` where the kind has one) for this reader, with
    the item's organisation; ``None`` if the item, the record or the form is not theirs to see."""
    item = items.get_visible_item(user, item_id)
    if item is None or kind not in FormKind.values:
        return None
    lh = forms.Letterhead.of(item.org)
    try:
        ref = int(ref) if ref not in (None, "") else None
    except (TypeError, ValueError):
        return None
    form = None
    if kind == FormKind.ASSIGNMENT_NOTICE and item.number:
        form = forms.assignment_notice(item, lh)
    elif kind == FormKind.INSTRUCTION_SLIP and item.status != Status.DRAFT:
        form = forms.instruction_slip(item, lh)
    elif kind == FormKind.HANDLING_CARD:
        form = forms.handling_card(item, lh, items.timeline_for(user, item))
    elif kind in (FormKind.URGE_NOTICE, FormKind.SUPERVISION_ORDER) and ref:
        n = _notices_visible(user, item).select_related("item", "unit").filter(pk=ref, kind=kind).first()
        form = n and forms.notice(n, lh)
    elif kind == FormKind.EXTENSION_FORM and ref:
        e = item.extension_requests.select_related("unit", "requested_by", "decided_by").filter(pk=ref).first()
        form = e and forms.extension_form(e, lh)
    elif kind in (FormKind.COMPLETION_REPORT, FormKind.EXPLANATION) and ref:
        report_kind = Report.Kind.COMPLETION if kind == FormKind.COMPLETION_REPORT else Report.Kind.EXPLANATION
        r = items.reports_visible_on(user, item).filter(pk=ref, kind=report_kind).first()
        form = r and forms.unit_report(r, lh)
    elif kind in (FormKind.SPECIAL_REPORT, FormKind.RECTIFICATION_NOTICE, FormKind.RECOMMENDATION_LETTER) and ref:
        d = _issued_visible(user, item).filter(pk=ref, kind=kind).first()
        form = d and forms.issued_document(d, lh)
    elif kind == FormKind.CATALOGUE and item.status == Status.ARCHIVED and may_read_volume(user, item):
        from .archive import volume_contents

        form = forms.catalogue(item, lh, volume_contents(user, item).catalogue)
    elif kind == FormKind.NOTE_SHEET and may_read_volume(user, item) and (v := _volume(item)) is not None:
        form = forms.note_sheet(item, lh, files=v.manifest.get("documents", 0), events=v.manifest.get("chain", {}).get(
            "events_in_volume", v.chain_length), chain_head=v.chain_head, retention=v.get_retention_display(),
            sealed_by=v.sealed_by, sealed_at=v.sealed_at)
    return (form, item) if form else None
