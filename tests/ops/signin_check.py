"""Run as a script against a moved or restored database (DATABASE_URL, DUBAN_VAR_DIR set by the
test): a demo liaison signs in through the login page, sees the work list, and downloads an
attachment. Prints one JSON line for tests/ops/test_move.py to read."""

import json
import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from django.utils.html import escape  # noqa: E402

from duban.items.models import OPEN_STATUSES, Attachment, Item  # noqa: E402
from duban.orgs.models import User  # noqa: E402

username, password = sys.argv[1], sys.argv[2]
user = User.objects.get(username=username)
client = Client()
login = client.post("/login/", {"username": username, "password": password})
worklist = client.get("/worklist/")
page = worklist.content.decode()
own = list(Item.objects.filter(lead_unit=user.unit, status__in=OPEN_STATUSES).values_list("title", flat=True)[:20])
downloads = {}
for att in Attachment.objects.filter(item__lead_unit=user.unit).order_by("id")[:3]:
    r = client.get(f"/files/{att.token}/")
    downloads[att.token] = [r.status_code, len(b"".join(r.streaming_content)) if r.status_code == 200 else 0, att.size]
print(json.dumps({
    "login_status": login.status_code, "login_redirect": login.get("Location", ""),
    "worklist_status": worklist.status_code, "own_open_items": len(own),
    "titles_shown": sum(1 for t in own if escape(t) in page), "downloads": downloads,
}, ensure_ascii=False))
