"""The inbox and the channel choices. Views parse, call a selector or a service, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import PreferenceForm
from .models import Notification

PAGE_SIZE = 50


def _back_to_inbox(request):
    page = request.POST.get("page", "")
    url = reverse("notify:inbox")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@login_required
def inbox(request):
    page = Paginator(selectors.inbox_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page, "unread": selectors.unread_count(request.user)})


def _mark_read(request, notification_id) -> Notification:
    try:
        return services.mark_read(notification_id, request.user)
    except Notification.DoesNotExist:
        raise Http404("消息不存在") from None


@login_required
@require_POST
def read(request, notification_id):
    _mark_read(request, notification_id)
    return _back_to_inbox(request)


@login_required
@require_POST
def read_all(request):
    n = services.mark_all_read(request.user)
    messages.success(request, f"已将 {n} 条消息标为已读" if n else "没有未读消息")
    return _back_to_inbox(request)


@login_required
@require_POST
def open_target(request, notification_id):
    """Clicking a notification marks it read and opens its item (or its own link)."""
    note = _mark_read(request, notification_id)
    target = note.target_url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return _back_to_inbox(request)


@login_required
def preferences(request):
    pref = selectors.preference_of(request.user)
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=pref)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(request.user, **{f: form.cleaned_data[f] for f in PreferenceForm.Meta.fields})
        messages.success(request, "通知方式已保存")
        return redirect("notify:preferences")
    return render(request, "notify/preferences.html", {
        "form": form, "robots": selectors.robots_of(request.user), "person": request.user,
    })
