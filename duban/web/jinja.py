"""The Jinja2 environment of the pages' hot fragments: the parts rendered once per row or per
record (the item list's rows, the item page's body). Django templates remain the pages' frame
(base.html and every other page); these fragments are rendered to a string by the view and placed
in it. Jinja2 compiles a template to Python code: the item page's body renders in a third of the
time Django's engine took (issue 13, point 1: pages near their SQL time).

The filters carry the same names and meaning as their Django counterparts (duban.web.templatetags),
so that a fragment reads like the Django template it replaced."""

from __future__ import annotations

import datetime as dt

from django.forms import renderers
from django.template import TemplateDoesNotExist, defaultfilters
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from jinja2 import ChainableUndefined, Environment

from duban.web.templatetags import duban as tags

# Django date formats the fragments use, as strftime (dateformat.format reads the format letter by
# letter: ten times slower, and a timeline formats a date per event).
_STRFTIME = {"Y-m-d": "%Y-%m-%d", "Y-m-d H:i": "%Y-%m-%d %H:%M"}


def date(value, fmt="Y-m-d"):
    """Django's ``date`` filter: an aware datetime is shown in local time, as Django's engine does."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    known = _STRFTIME.get(fmt)
    return value.strftime(known) if known else dateformat.format(value, fmt)


def url(name, *args):
    return reverse(name, args=args)


def fragment(request, name: str, context: dict) -> str:
    """A Jinja2 fragment rendered for ``request`` (csrf_input, request), safe to place in a page."""
    return mark_safe(render_to_string(name, context, request, using="jinja2"))


def environment(**options):
    options.setdefault("undefined", ChainableUndefined)  # item.lead_unit.name with no lead unit is ""
    env = Environment(**options)
    env.globals.update(url=url, static=static)
    env.filters.update(
        date=date,
        cn_date=tags.cn_date,
        status_color=tags.status_color,
        light_badge=tags.light_badge,
        short_name=tags.short_name,
        is_overdue=tags.is_overdue,
        linebreaksbr=lambda v: defaultfilters.linebreaksbr(v, autoescape=True),
        filesizeformat=defaultfilters.filesizeformat,
        yesno=defaultfilters.yesno,
    )
    return env


class WidgetRenderer(renderers.Jinja2):
    """The form renderer (settings.FORM_RENDERER): Django's widget templates in their Jinja2 form, a
    select's options one loop instead of an include per option (a third of the time per widget).
    A widget with no Jinja2 twin (the admin's related-object wrapper) renders through Django's."""

    @cached_property
    def fallback(self):
        return renderers.DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
