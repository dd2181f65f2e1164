"""Items and what hangs on them, as the JSON the schemas in ``schemas.py`` describe.

Everything read here was reached through ``duban.items.selectors``: the item came from
``items_visible_to``/``get_visible_item``, its reports from ``reports_visible_on``, its actions from
the state machine (``workflow.available_actions``).
"""

from __future__ import annotations

from django.urls import reverse

from duban.items import selectors, services, workflow
from duban.items.models import Item
from duban.urging import lights

# Where each action of the state machine is fired, relative to the API root. Report actions are
# fired on a report and extension decisions on a request: their paths take that id instead.
ACTION_ENDPOINTS = {
    "edit_draft": ("PUT", "items/{item}"),
    "submit_proposal": ("POST", "items/{item}/submit-proposal"),
    "approve_proposal": ("POST", "items/{item}/approve-proposal"),
    "reject_proposal": ("POST", "items/{item}/reject-proposal"),
    "accept": ("POST", "items/{item}/accept"),
    "accept_as_co": ("POST", "items/{item}/accept-as-co"),
    "decline": ("POST", "items/{item}/decline"),
    "decline_as_co": ("POST", "items/{item}/decline-as-co"),
    "reassign": ("POST", "items/{item}/reassign"),
    "draft_report": ("POST", "items/{item}/reports"),
    "send_report_to_head": ("POST", "reports/{report}/send-to-head"),
    "approve_report": ("POST", "reports/{report}/approve"),
    "return_report_to_author": ("POST", "reports/{report}/return"),
    "submit_report": ("POST", "reports/{report}/submit"),
    "submit_completion_report": ("POST", "reports/{report}/submit"),
    "request_extension": ("POST", "items/{item}/extension-requests"),
    "decide_extension": ("POST", "extension-requests/{request}/decide"),
    "log_urge": ("POST", "items/{item}/urges"),
    "accept_report": ("POST", "items/{item}/review"),
    "return_for_rework": ("POST", "items/{item}/review"),
    "close": ("POST", "items/{item}/close"),
    "instruct": ("POST", "items/{item}/instruct"),
    "archive": ("POST", "items/{item}/archive"),
    "register_lower": ("POST", "items/{item}/register-lower"),
}

# Timeline entries that are not transitions of the state machine.


def api_root() -> str:
    return reverse("api:openapi-json").rsplit("openapi.json", 1)[0]


def unit_ref(unit):
    return {"id": unit.id, "name": unit.name} if unit is not None else None


def person_ref(user):
    return {"id": user.id, "name": user.display_name} if user is not None else None


def person(user) -> dict:
    return {
        "id": user.id, "username": user.username, "name": user.display_name, "role": user.role,
        "role_label": user.get_role_display(), "title": user.title,
    }


def unit(u) -> dict:
    return {
        "id": u.id, "name": u.name, "short_name": u.short_name, "kind": u.kind, "kind_label": u.get_kind_display(),
        "parent_id": u.parent_id, "is_active": u.is_active,
    }


LIGHT_CODES = {lights.RED: "red", lights.YELLOW: "yellow", lights.GREEN: "green"}


def _labels(field: str) -> dict:
    # What get_<field>_display() answers, looked up once: that method flattens the field's
    # choices on every call, 150 times per page of the list.
    return {value: str(label) for value, label in Item._meta.get_field(field).flatchoices}


KIND_LABELS, URGENCY_LABELS, STATUS_LABELS = _labels("kind"), _labels("urgency"), _labels("status")

# The columns item_summary reads, for lists that fetch nothing else (``QuerySet.only``): an item's
# content alone can be 20,000 characters, and the responsible leader's row carries the password hash.
SUMMARY_FIELDS = (
    "id", "number", "title", "kind", "urgency", "status", "is_secret", "deadline", "deadline_provisional",
    "version", "created_at", "last_progress_at", "org_id", "lead_unit_id", "responsible_leader_id",
    "lead_unit__id", "lead_unit__name",
    "responsible_leader__id", "responsible_leader__full_name", "responsible_leader__username",
)


def item_summary(item: Item, today=None, bounds=None) -> dict:
    """An item as ``ItemSummary`` declares it, keys in its order: the list sends this unvalidated."""
    bounds = bounds or lights.boundaries(item.org_id)
    today = today or bounds.today
    light = lights.light_of(item.status, item.deadline, bounds)
    return {
        "id": item.id, "number": item.number, "title": item.title,
        "kind": item.kind, "kind_label": KIND_LABELS.get(item.kind, item.kind),
        "urgency": item.urgency, "urgency_label": URGENCY_LABELS.get(item.urgency, item.urgency),
        "status": item.status, "status_label": STATUS_LABELS.get(item.status, item.status),
        "is_secret": item.is_secret,
        "lead_unit": unit_ref(item.lead_unit), "responsible_leader": person_ref(item.responsible_leader),
        "deadline": item.deadline, "deadline_provisional": item.deadline_provisional,
        "is_overdue": item.is_overdue(today),
        "light": LIGHT_CODES.get(light, ""), "light_label": lights.LABELS.get(light, ""),
        "stalled": lights.is_stalled(item.status, item.last_progress_at, bounds),
        "version": item.version, "created_at": item.created_at,
    }


def as_json(request, data):
    """``data`` rendered as the API renders every answer (same encoder, same headers), unchecked."""
    from .api import api  # the API module imports the routers, which import this one

    return api.create_response(request, data, status=200)


def attachment(a, root: str) -> dict:
    return {
        "token": a.token, "name": a.original_name, "size": a.size, "content_type": a.content_type,
        "uploaded_at": a.uploaded_at, "uploaded_by": person_ref(a.uploaded_by),
        "download": f"{root}attachments/{a.token}",
    }


def report(user, item: Item, r, root: str | None = None, explanation_due: dict[int, bool] | None = None) -> dict:
    """A report as ``user`` sees it, with the steps ``user`` may take on it now (``explanation_due``:
    see ``services.report_transitions``)."""
    root = root or api_root()
    return {
        "id": r.id, "item_id": r.item_id, "unit": unit_ref(r.unit), "kind": r.kind, "kind_label": r.get_kind_display(),
        "state": r.state, "state_label": r.get_state_display(), "body": r.body,
        "author": person_ref(r.author), "head": person_ref(r.head), "head_comment": r.head_comment,
        "created_at": r.created_at, "approved_at": r.approved_at, "submitted_at": r.submitted_at,
        "attachments": [attachment(a, root) for a in r.attachments.all()],
        "actions": [_action(t, root, report=r.id) for t in services.report_transitions(user, item, r, explanation_due=explanation_due)],
    }


def extension_request(e) -> dict:
    return {
        "id": e.id, "item_id": e.item_id, "unit": unit_ref(e.unit), "requested_by": person_ref(e.requested_by),
        "requested_deadline": e.requested_deadline, "reason": e.reason, "progress": e.progress,
        "state": e.state, "state_label": e.get_state_display(), "old_deadline": e.old_deadline,
        "new_deadline": e.new_deadline, "decided_by": person_ref(e.decided_by),
        "decision_comment": e.decision_comment, "created_at": e.created_at, "decided_at": e.decided_at,
    }


def urge(u) -> dict:
    return {
        "id": u.id, "item_id": u.item_id, "unit": unit_ref(u.unit), "method": u.method,
        "method_label": u.get_method_display(), "contact_person": u.contact_person,
        "occurred_at": u.occurred_at, "summary": u.summary, "by": person_ref(u.by),
    }


def upper_item(user, item: Item) -> dict | None:
    """The upper item a lower item carries out: its number and organisation for everyone who sees
    the lower item, its id only for those who may open it."""
    if not item.upper_item_id:
        return None
    upper = Item.objects.select_related("org").get(pk=item.upper_item_id)
    visible = selectors.items_visible_to(user).filter(pk=upper.pk).exists()
    return {"id": upper.id if visible else None, "number": upper.number, "org": upper.org.name}


def lower_progress(row) -> dict:
    return {
        "org": row.org_name, "number": row.number, "status_label": row.status_label, "deadline": row.deadline,
        "total": row.total, "done": row.done, "rate": str(row.rate),
        "by_status": [{"label": label, "count": n} for label, n in row.by_status],
    }


def _action(t: workflow.Transition, root: str, **ids) -> dict:
    method, path = ACTION_ENDPOINTS.get(t.action, (None, None))
    if path:
        for name, value in ids.items():
            path = path.replace("{" + name + "}", str(value))
    return {
        "action": t.action, "label": t.label, "comment_required": t.comment_required,
        "method": method, "path": root + path if path else None,
    }


def item_detail(user, item: Item) -> dict:
    """The item page's content, for ``user``: what the page shows is what the API returns."""
    root = api_root()
    assignments = list(item.assignments.all())
    reports = list(selectors.reports_visible_on(user, item).prefetch_related("attachments__uploaded_by"))
    mine = workflow.acting_assignment(user, item)
    explain_first = mine is not None and services.explanation_required(item, mine.unit_id)
    due = {mine.unit_id: explain_first} if mine is not None else {}  # asked once, as the page does
    return {
        **item_summary(item),
        "content": item.content, "source_text": item.source_text, "drafter": person_ref(item.drafter),
        "start_date": item.start_date, "original_deadline": item.original_deadline,
        "deadline_override_reason": item.deadline_override_reason, "registered_at": item.registered_at,
        "closed_at": item.closed_at, "archived_at": item.archived_at,
        "co_units": [unit_ref(u) for u in item.co_units],
        "assignments": [
            {
                "unit": unit_ref(a.unit), "role": a.role, "role_label": a.get_role_display(), "state": a.state,
                "state_label": a.get_state_display(), "responsible_person": a.responsible_person,
                "responsible_phone": a.responsible_phone, "accepted_at": a.accepted_at,
                "declined_reason": a.declined_reason,
            }
            for a in assignments
        ],
        "actions": [_action(t, root, item=item.id) for t in selectors.actions_for(user, item)],
        "explanation_required": explain_first,
        "upper_item": upper_item(user, item),
        "lower_progress": [lower_progress(r) for r in selectors.sent_down_progress(item)]
        if selectors.may_see_sent_down(user, item) else [],
        "reports": [report(user, item, r, root, due) for r in reports],
        "extension_requests": [
            extension_request(e) for e in item.extension_requests.select_related("unit", "requested_by", "decided_by")
        ],
        "urges": [urge(u) for u in item.urges.select_related("unit", "by")],
        "reviews": [
            {
                "id": r.id, "report_id": r.report_id, "reviewer": person_ref(r.reviewer), "task_done": r.task_done,
                "problem_solved": r.problem_solved, "conclusion_sound": r.conclusion_sound, "lawful": r.lawful,
                "decision": r.decision, "decision_label": r.get_decision_display(), "comment": r.comment, "at": r.at,
            }
            for r in item.reviews.select_related("reviewer")
        ],
        "instructions": [
            {
                "id": i.id, "leader": person_ref(i.leader), "text": i.text, "outcome": i.outcome,
                "outcome_label": i.get_outcome_display(), "satisfaction": i.satisfaction,
                "satisfaction_label": i.get_satisfaction_display(), "at": i.at,
            }
            for i in item.instructions.select_related("leader")
        ],
        "attachments": [
            attachment(a, root) for a in item.attachments.select_related("uploaded_by").filter(report__isnull=True)
        ],
        "events": [
            {
                "id": e.id, "at": e.at, "action": e.action,
                "action_label": workflow.event_label(e.action),
                "actor": person_ref(e.actor), "from_status": e.from_status, "to_status": e.to_status,
                "comment": e.comment, "data": e.data,
            }
            for e in selectors.timeline_for(user, item, reports)
        ],
    }
