"""A page of a long list read without counting the whole list first.

Counting what a unit may see means testing each of its 13,000 items (one index probe each), and
on the bench database that count was the largest query of every list page: more than the 50 rows
the page shows. A page therefore reads one row more than it shows, which says whether there is a
next page, and the page asks for the total once it is on screen (the view ``item_list_count``), in
a request of its own. When the list ends on the page shown, the total is known without counting
and is shown at once.
"""

from __future__ import annotations

from django.core.paginator import Paginator


MAX_OFFSET = 2**31


class Window:
    """The rows of page ``number`` of ``qs`` and what the pager needs; ``count`` and
    ``num_pages`` are None until known."""

    def __init__(self, qs, number, per_page: int):
        self.per_page = per_page
        self.number = page_number(number)
        start = (self.number - 1) * per_page
        # A number past any list (a hostile ?page=10**30 would overflow the database's OFFSET) is
        # past the end without asking.
        rows = list(qs[start:start + per_page + 1]) if start <= MAX_OFFSET else []
        if not rows and self.number > 1:
            # Past the end (an old link, a list that shrank): the last page, as Django's get_page.
            page = Paginator(qs, per_page).get_page(self.number)
            self.number, rows, self.count = page.number, list(page.object_list), page.paginator.count
        else:
            self.count = None if len(rows) > per_page else start + len(rows)
        self._more = len(rows) > per_page
        self.object_list = rows[:per_page]

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def num_pages(self) -> int | None:
        return None if self.count is None else pages_for(self.count, self.per_page)

    @property
    def label(self) -> str | None:
        return None if self.count is None else pager_label(self.number, self.count, self.per_page)

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def pager_label(number, count: int, per_page: int) -> str:
    """"第 x / y 页，共 N 件": the list page's pager and the count request's answer say it alike;
    a number past the end is the last page."""
    pages = pages_for(count, per_page)
    return f"第 {min(page_number(number), pages)} / {pages} 页，共 {count} 件"


def pages_for(count: int, per_page: int) -> int:
    return max(1, -(-count // per_page))


def page_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1
