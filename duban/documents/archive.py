"""The archive volume (一事一卷, seed 002 art. 5(7); seed 004 归档目录) and the verification of
event chains (issue 10, points 4 and 5).

A volume holds what its reader may see (the office, for a sealed volume): every form as PDF, every
attachment, the timeline as a table (督办卡 and 办理过程.xlsx), the catalogue and the note sheet,
and ``manifest.json`` with each file's SHA-256 and the head of the item's event chain.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone

from duban.items import chain
from duban.items import selectors as items
from duban.items.models import ChainHead, Event, Item, Report
from duban.items.workflow import EVENT_LABELS

from . import forms, render
from .kinds import Retention
from .xlsx import Column, Sheet, build_workbook


@dataclass
class VolumeContents:
    forms: list[tuple[str, forms.Form]] = field(default_factory=list)  # (file name in the ZIP, form)
    attachments: list = field(default_factory=list)  # (file name in the ZIP, Attachment)
    events: list[Event] = field(default_factory=list)
    catalogue: list[tuple] = field(default_factory=list)  # (number, author, title, date, file)


def _safe(name: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .") or "文件"
    return name[:80]


def volume_contents(reader, item: Item) -> VolumeContents:
    """What the volume of ``item`` holds for ``reader``, in the order of the catalogue: the
    reports, files and timeline it holds are those ``timeline_for`` and ``volume_attachments``
    give that reader (issue 8, point 1)."""
    item = Item.objects.select_related("org", "lead_unit", "responsible_leader", "drafter").prefetch_related(
        "assignments__unit").get(pk=item.pk)
    lh = forms.Letterhead.of(item.org)
    reports = list(items.reports_visible_on(reader, item))
    c = VolumeContents(events=items.timeline_for(reader, item, reports))
    entries = []  # (sort key, number, author, title, date, form-or-attachment)

    def add(form, author, when, *, title=None):
        entries.append((when or item.created_at, form.number, author, title or form.title, when, form))

    if item.number:
        add(forms.assignment_notice(item, lh), lh.issuer, item.registered_at)
        add(forms.instruction_slip(item, lh), lh.issuer, item.registered_at, title="领导批示呈批单")
    from duban.urging.models import Notice

    for n in Notice.objects.filter(item=item).select_related("item", "unit").order_by("issued_at", "id"):
        add(forms.notice(n, lh), lh.issuer, n.issued_at, title=f"{n.get_kind_display()}（{n.unit.name}）")
    for e in item.extension_requests.select_related("unit", "requested_by", "decided_by"):
        add(forms.extension_form(e, lh), e.unit.name, e.created_at, title=f"延期申请审批表（{e.unit.name}）")
    for r in reports:
        if r.state in (Report.State.SUBMITTED, Report.State.ACCEPTED, Report.State.RETURNED):
            f = forms.unit_report(r, lh)
            add(f, r.unit.name, r.submitted_at, title=f"{r.get_kind_display()}（{r.unit.name}）")
    from .models import IssuedDocument

    for d in IssuedDocument.objects.filter(item=item).select_related("item", "unit", "answer_item"):
        add(forms.issued_document(d, lh), lh.issuer, d.issued_at)
    entries.sort(key=lambda e: e[0])
    for i, (_, number, author, title, when, form) in enumerate(entries, start=1):
        name = f"{i + 1:02d}-{_safe(title)}.pdf"
        c.forms.append((name, form))
        c.catalogue.append((number, author, title, when, name))
    card = forms.handling_card(item, lh, c.events)
    name = f"{len(entries) + 2:02d}-督办卡（办理过程）.pdf"
    c.forms.append((name, card))
    c.catalogue.append((item.number, lh.issuer, "督办卡（办理过程）", timezone.now(), name))
    used = set()
    for a in items.volume_attachments(item, reports):
        base = _safe(a.original_name)
        name = f"附件/{base}"
        k = 1
        while name in used:
            k += 1
            stem, dot, ext = base.rpartition(".")
            name = f"附件/{stem or base}（{k}）{dot}{ext if stem else ''}"
        used.add(name)
        c.attachments.append((name, a))
        c.catalogue.append(("", a.uploaded_by.display_name if a.uploaded_by_id else "", a.original_name,
                            a.uploaded_at, name))
    return c


def timeline_workbook(item, events) -> bytes:
    rows = [(forms.cn_datetime(e.at), EVENT_LABELS.get(e.action, e.action),
             e.actor.display_name if e.actor else "系统", e.from_status_label, e.to_status_label, e.comment, e.hash)
            for e in events]
    return build_workbook([Sheet(
        name="办理过程", title=f"{item.number} {item.title} 办理过程", subtitle=f"共{len(rows)}条记录",
        columns=[Column("时间", 20), Column("环节", 14), Column("办理人", 10), Column("原状态", 10),
                 Column("新状态", 10), Column("说明", 50, "wrap"), Column("记录哈希", 30, "wrap")],
        rows=rows,
    )])


@dataclass
class BuiltVolume:
    content: bytes
    manifest: dict
    sha256: str
    seconds: float


def build_volume(reader, item: Item, *, retention: str, now=None) -> BuiltVolume:
    """The ZIP of ``item``'s volume as ``reader`` may see it, with its manifest."""
    started = time.perf_counter()
    now = now or timezone.now()
    c = volume_contents(reader, item)
    head = ChainHead.objects.filter(item_id=item.pk).first()
    head_hash, head_len = (head.hash, head.length) if head else ("", 0)
    lh = forms.Letterhead.of(item.org)
    files: list[tuple[str, bytes]] = []
    for name, form in c.forms:
        files.append((name, render.to_pdf(form, item.org)))
    for name, a in c.attachments:
        with a.file.open("rb") as f:
            files.append((name, f.read()))
    files.append(("办理过程.xlsx", timeline_workbook(item, c.events)))
    cat = forms.catalogue(item, lh, c.catalogue)
    files.insert(0, ("01-卷内文件目录.pdf", render.to_pdf(cat, item.org)))
    note = forms.note_sheet(item, lh, files=len(c.forms) + len(c.attachments), events=len(c.events),
                            chain_head=head_hash, retention=Retention(retention).label, sealed_by=reader,
                            sealed_at=now)
    files.append(("备考表.pdf", render.to_pdf(note, item.org)))
    manifest = {
        "format": "duban-volume/1",
        "org": item.org.name,
        "item": {"id": item.pk, "number": item.number, "title": item.title, "year": item.year},
        "retention": retention,
        "documents": len(c.forms) + len(c.attachments),
        "sealed_at": now.isoformat(),
        "sealed_by": reader.display_name,
        "chain": {"algorithm": f"sha256/{chain.VERSION}", "head": head_hash, "length": head_len,
                  "events_in_volume": len(c.events)},
        "files": [{"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in files],
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            z.writestr(name, data)
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    content = buf.getvalue()
    return BuiltVolume(content, manifest, hashlib.sha256(content).hexdigest(), time.perf_counter() - started)


# --- verification -------------------------------------------------------------------------------------

@dataclass
class ItemBreaks:
    item_id: int
    number: str
    title: str
    breaks: list[str]


def verify(org=None, item_ids=None) -> tuple[int, list[ItemBreaks]]:
    """Re-compute every chain (of ``org``, or of ``item_ids``) and compare each archived item's
    chain head with the one its sealed volume recorded. Returns (items checked, items broken)."""
    from .models import Volume

    qs = Item.objects.order_by("id")
    if org is not None:
        qs = qs.filter(org=org)
    if item_ids is not None:
        qs = qs.filter(pk__in=item_ids)
    heads = dict(ChainHead.objects.filter(item__in=qs).values_list("item_id", "hash"))
    lengths = dict(ChainHead.objects.filter(item__in=qs).values_list("item_id", "length"))
    volumes = {v[0]: v[1:] for v in Volume.objects.filter(item__in=qs).values_list("item_id", "chain_head", "chain_length")}
    broken = []
    current, evs = None, []

    def flush(item_row, events):
        item_id, number, title = item_row
        found = [b.message for b in chain.verify_chain(item_id, events, heads.get(item_id), lengths.get(item_id))]
        if item_id in volumes and events:
            head, length = volumes[item_id]
            if events[-1].hash != head or len(events) != length:
                found.append(f"与归档卷记载的记录链头不符（卷内记载{length}条记录）")
        if found:
            broken.append(ItemBreaks(item_id, number, title, found))

    rows = {i: (i, n, t) for i, n, t in qs.values_list("id", "number", "title")}
    checked = len(rows)
    # A subquery, not a list of ids: PostgreSQL takes at most 65,535 parameters in one statement.
    for e in Event.objects.filter(item__in=qs.values("pk")).order_by("item_id", "id").iterator(chunk_size=2000):
        if e.item_id != current:
            if current is not None:
                flush(rows[current], evs)
            current, evs = e.item_id, []
        evs.append(e)
    if current is not None:
        flush(rows[current], evs)
    seen = {b.item_id for b in broken}
    with_events = set(Event.objects.filter(item__in=qs.values("pk")).order_by().values_list("item_id", flat=True).distinct())
    for item_id in set(rows) - with_events - seen:
        if heads.get(item_id) or item_id in volumes:
            flush(rows[item_id], [])
    return checked, broken
