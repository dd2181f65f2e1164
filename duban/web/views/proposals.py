"""Suggestion and proposal pages (建议提案办理): list, import, registration by hand, the proposal page
with the actions its steps allow, the year's report, and the office's disclosure page for the public
portal. Rules live in duban.proposals and duban.portal; views parse, call and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from duban.items.errors import DomainError
from duban.portal import services as portal
from duban.portal.models import Publication, PublicOpinion
from duban.proposals import importing, report, selectors, services
from duban.proposals.models import Answer, Body, Contest, ProposalState

from .. import proposal_forms as forms
from .items import _apply_error
from .ledgers import DOCX, XLSX, _download

PAGE_SIZE = 50


def _office_only(request):
    if not request.user.is_office:
        raise Http404


@login_required
def proposal_list(request):
    qs = selectors.proposals_visible_to(request.user)
    year = request.GET.get("year", "")
    body = request.GET.get("body", "")
    state = request.GET.get("state", "")
    q = request.GET.get("q", "")
    qs = selectors.filter_proposals(
        qs, year=int(year) if year.isdigit() else None, body=body if body in Body.values else None,
        state=state if state in ProposalState.values else None, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/proposal_list.html", {
        "page": page, "year": year, "body": body, "state": state, "q": q, "bodies": Body.choices,
        "states": ProposalState.choices, "session_form": forms.SessionForm() if request.user.is_office else None,
    })


@login_required
@require_POST
def session_create(request):
    _office_only(request)
    form = forms.SessionForm(request.POST)
    if form.is_valid():
        try:
            s = services.create_session(request.user.org, request.user, **form.cleaned_data)
            messages.success(request, f"已新建会次：{s.name}")
        except DomainError as err:
            messages.error(request, err.message)
    else:
        messages.error(request, "会次信息不完整：" + "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("proposal_list")


@login_required
def proposal_import(request):
    _office_only(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            made, errors = importing.import_batch(request.user.org, request.user, d["file"], body=d["body"],
                                                  year=d["year"], default_session=d["default_session"])
        except DomainError as err:
            form.add_error("file", err.message)
        else:
            if not errors:
                messages.success(request, f"已导入{len(made)}件，请逐件交办")
                return redirect(reverse("proposal_list") + f"?year={d['year']}&state=received")
    return render(request, "web/proposal_import.html", {"form": form, "errors": errors[:500],
                                                        "error_count": len(errors)})


@login_required
def proposal_template(request):
    _office_only(request)
    return _download(importing.template_workbook(), "建议提案导入模板.xlsx", XLSX)


@login_required
def proposal_register(request):
    _office_only(request)
    form = forms.RegisterForm(request.user.org, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            co = importing.parse_people(d["cosigners"], d["lead_group"])
        except ValueError as e:
            form.add_error("cosigners", f"无法识别的姓名：{e}")
        else:
            people = [services.ProposerFields(name=d["lead_name"], group=d["lead_group"], phone=d["lead_phone"],
                                              is_lead=True)] + [services.ProposerFields(name=n, group=g) for n, g in co]
            try:
                p = services.register_proposal(d["session"], request.user, services.ProposalFields(
                    number=d["number"], title=d["title"], content=d["content"], category=d["category"],
                    proposers=people))
            except DomainError as err:
                _apply_error(form, err)
            else:
                messages.success(request, f"已登记{p.label}")
                return redirect("proposal_detail", p.id)
    return render(request, "web/proposal_form.html", {"form": form})


def _proposal(request, pk):
    p = selectors.get_visible_proposal(request.user, pk)
    if p is None:
        raise Http404
    return p


@login_required
def proposal_detail(request, pk):
    p = _proposal(request, pk)
    user = request.user
    actions = {s.action for s in selectors.actions_for(user, p)}
    answers = list(p.answers.all())
    open_answer = next((a for a in answers if a.round == p.round and a.state in services.OPEN_ANSWER_STATES), None)
    review_answer = next((a for a in answers if a.state == Answer.State.SENT), None)
    edit_form = None
    if open_answer is not None and open_answer.state == Answer.State.DRAFT and "draft_answer" in actions:
        edit_form = forms.AnswerForm(initial={
            "answer_class": open_answer.answer_class, "body": open_answer.body,
            "publishable": open_answer.publishable, "abstract": open_answer.abstract,
            "commitments": "\n".join(f"{c.text}｜{c.due:%Y-%m-%d}" for c in open_answer.commitments.all())})
    org = p.item.org
    ctx = {
        "p": p, "item": p.item, "actions": actions, "answers": answers, "open_answer": open_answer,
        "review_answer": review_answer, "edit_form": edit_form, "today": timezone.localdate(),
        "contest_open": bool(p.contest_until and timezone.localdate() <= p.contest_until),
        "pending_contests": [c for c in p.contests.all() if c.state == Contest.State.PENDING],
        "assign_form": forms.AssignForm(org) if "assign" in actions else None,
        "contest_form": forms.ContestForm() if "contest" in actions else None,
        "decide_form": forms.DecideContestForm(org) if "decide_contest" in actions else None,
        "co_opinion_form": forms.CoOpinionForm() if "submit_co_opinion" in actions else None,
        "contact_form": forms.ContactForm(initial={"on": timezone.localdate()}) if "record_contact" in actions else None,
        "answer_form": forms.AnswerForm() if "draft_answer" in actions and open_answer is None else None,
        "review_form": forms.ReviewAnswerForm() if "accept_answer" in actions else None,
        "paper_form": forms.PaperRatingForm() if "record_paper_rating" in actions else None,
        "comment_form": forms.CommentForm(),
        "live_link": selectors.live_link_of(p) if user.is_office else None,
        "is_office": user.is_office,
        "publication": Publication.objects.filter(source_key=f"answer:{p.id}", withdrawn_at__isnull=True).first()
        if user.is_office else None,
    }
    return render(request, "web/proposal_detail.html", ctx)


def _link_message(request, token):
    url = request.build_absolute_uri(reverse("portal:rate", args=[token]))
    messages.success(request, f"评价链接（请发送给领衔代表委员，仅显示一次）：{url}")


@login_required
@require_POST
def proposal_action(request, pk, action):
    p = _proposal(request, pk)
    user, org, post = request.user, p.item.org, request.POST
    try:
        if action == "assign":
            form = forms.AssignForm(org, post)
            if not form.is_valid():
                raise _FormError(form)
            d = form.cleaned_data
            services.assign(p.id, user, lead_unit=d["lead_unit"], co_units=list(d["co_units"]),
                            responsible_leader=d["responsible_leader"], co_opinion_due=d["co_opinion_due"])
            messages.success(request, "已交办")
        elif action == "contest":
            form = forms.ContestForm(post)
            if not form.is_valid():
                raise _FormError(form)
            services.contest(p.id, user, reason=form.cleaned_data["reason"])
            messages.success(request, "异议已提交督查室")
        elif action == "submit_co_opinion":
            form = forms.CoOpinionForm(post)
            if not form.is_valid():
                raise _FormError(form)
            services.submit_co_opinion(p.id, user, body=form.cleaned_data["body"])
            messages.success(request, "会办意见已提交")
        elif action == "record_contact":
            form = forms.ContactForm(post)
            if not form.is_valid():
                raise _FormError(form)
            services.record_contact(p.id, user, **form.cleaned_data)
            messages.success(request, "已登记沟通情况")
        elif action == "draft_answer":
            form = forms.AnswerForm(post)
            if not form.is_valid():
                raise _FormError(form)
            d = form.cleaned_data
            services.draft_answer(p.id, user, services.AnswerFields(
                body=d["body"], answer_class=d["answer_class"], publishable=d["publishable"], abstract=d["abstract"],
                commitments=d["commitments"]))
            messages.success(request, "答复函草稿已保存")
        elif action == "issue_rating_link":
            _link_message(request, services.issue_rating_link(p.id, user))
        elif action == "record_paper_rating":
            form = forms.PaperRatingForm(post)
            if not form.is_valid():
                raise _FormError(form)
            r = services.record_paper_rating(p.id, user, **form.cleaned_data)
            messages.success(request, f"已录入评价：{r.get_value_display()}")
        elif action == "publish_answer":
            portal.publish_answer(p.id, user)
            messages.success(request, "答复已在公开门户发布")
        else:
            raise Http404
    except _FormError as e:
        messages.error(request, e.text)
    except DomainError as err:
        messages.error(request, err.message)
    return redirect("proposal_detail", p.id)


class _FormError(Exception):
    def __init__(self, form):
        self.text = "；".join(f"{form.fields[k].label if k in form.fields else ''}{'：' if k in form.fields else ''}{e}"
                             for k, errs in form.errors.items() for e in errs)


ANSWER_ACTIONS = {"edit", "send_answer_to_head", "sign_answer", "return_answer_to_author", "send_answer", "review"}


@login_required
@require_POST
def answer_action(request, answer_id, action):
    a = Answer.objects.filter(pk=answer_id).only("id", "proposal_id").first()
    if a is None or action not in ANSWER_ACTIONS:
        raise Http404
    p = _proposal(request, a.proposal_id)
    user, post = request.user, request.POST
    try:
        if action == "edit":
            form = forms.AnswerForm(post)
            if not form.is_valid():
                raise _FormError(form)
            d = form.cleaned_data
            services.edit_answer(a.id, user, services.AnswerFields(
                body=d["body"], answer_class=d["answer_class"], publishable=d["publishable"], abstract=d["abstract"],
                commitments=d["commitments"]))
            messages.success(request, "答复函已修改")
        elif action == "send_answer_to_head":
            services.send_answer_to_head(a.id, user)
            messages.success(request, "已呈负责人签发")
        elif action == "sign_answer":
            services.sign_answer(a.id, user, comment=post.get("comment", ""))
            messages.success(request, "已签发")
        elif action == "return_answer_to_author":
            services.return_answer_to_author(a.id, user, comment=post.get("comment", ""))
            messages.success(request, "已退回修改")
        elif action == "send_answer":
            services.send_answer(a.id, user)
            messages.success(request, "答复已发出，待督查室审核")
        elif action == "review":
            form = forms.ReviewAnswerForm(post)
            if not form.is_valid():
                raise _FormError(form)
            d = form.cleaned_data
            accept = post.get("decision") == "accept"
            _, token = services.review_answer(a.id, user, accept=accept, criteria=d, comment=d["comment"])
            if accept:
                messages.success(request, "审核通过")
                _link_message(request, token)
            else:
                messages.success(request, "已退回重办")
    except _FormError as e:
        messages.error(request, e.text)
    except DomainError as err:
        messages.error(request, err.message)
    return redirect("proposal_detail", p.id)


@login_required
@require_POST
def contest_decide(request, contest_id):
    c = Contest.objects.filter(pk=contest_id).first()
    if c is None:
        raise Http404
    p = _proposal(request, c.proposal_id)
    form = forms.DecideContestForm(p.item.org, request.POST)
    try:
        if not form.is_valid():
            raise _FormError(form)
        d = form.cleaned_data
        services.decide_contest(c.id, request.user, uphold=d["uphold"], comment=d["comment"],
                                lead_unit=d["lead_unit"], co_units=list(d["co_units"]))
        messages.success(request, "已决定")
    except _FormError as e:
        messages.error(request, e.text)
    except DomainError as err:
        messages.error(request, err.message)
    return redirect("proposal_detail", p.id)


@login_required
def proposal_report(request, fmt="html"):
    if not (request.user.is_office or request.user.is_leader):
        raise Http404
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2099)
    r = report.year_report(request.user, year)
    if fmt == "xlsx":
        return _download(report.report_xlsx(r), f"{year}年建议提案办理情况.xlsx", XLSX)
    if fmt == "docx":
        return _download(report.report_docx(r, issuer=request.user.org.name), f"{year}年建议提案办理情况报告.docx", DOCX)
    return render(request, "web/proposal_report.html", {
        "r": r, "year": year, "classes": report.CLASSES, "headers": report.HEADERS,
        "session_rows": [report.row_of(label, t) for label, t in r.by_session],
        "unit_rows": [report.row_of(label, t) for label, t in r.by_unit],
        "total_row": report.row_of("合计", r.total),
    })


# --- disclosure: what the office publishes on the portal, and the public's opinions --------------------

@login_required
def disclosure(request):
    _office_only(request)
    pubs = Publication.objects.filter(org_id=request.user.org_id, withdrawn_at__isnull=True).order_by("-updated_at")[:200]
    pending = (PublicOpinion.objects.filter(publication__org_id=request.user.org_id, state=PublicOpinion.State.PENDING)
               .select_related("publication").order_by("created_at")[:200])
    return render(request, "web/disclosure.html", {
        "pubs": pubs, "pending": pending, "item_form": forms.PublishItemForm(), "plan_form": forms.PublishPlanForm(),
        "moderate_form": forms.ModerateForm(),
    })


@login_required
@require_POST
def disclosure_action(request, action, pk=None):
    _office_only(request)
    user = request.user
    try:
        if action == "item":
            form = forms.PublishItemForm(request.POST)
            if not form.is_valid():
                raise _FormError(form)
            portal.publish_item(form.cleaned_data["item"], user, body=form.cleaned_data["body"])
            messages.success(request, "事项已公开")
        elif action == "plan":
            form = forms.PublishPlanForm(request.POST)
            if not form.is_valid():
                raise _FormError(form)
            portal.publish_plan(form.cleaned_data["plan"], user)
            messages.success(request, "整改进展已公开")
        elif action == "withdraw":
            portal.withdraw(pk, user)
            messages.success(request, "已撤回")
        elif action == "moderate":
            form = forms.ModerateForm(request.POST)
            if not form.is_valid():
                raise _FormError(form)
            portal.moderate_opinion(pk, user, approve=form.cleaned_data["approve"], reply=form.cleaned_data["reply"])
            messages.success(request, "已审核")
        else:
            raise Http404
    except _FormError as e:
        messages.error(request, e.text)
    except DomainError as err:
        messages.error(request, err.message)
    return redirect("disclosure")
