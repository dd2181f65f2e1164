"""Run as a script on a freshly seeded demo (DUBAN_VAR_DIR set by the test): the office attaches
files with real, random bytes to open items of 住建局 through the service, so that backups and the
move carry attachments (the demo itself has none). Prints the attachments' tokens and SHA-256."""

import hashlib
import json
import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from duban.items.models import OPEN_STATUSES, Item  # noqa: E402
from duban.items.services import add_attachment  # noqa: E402
from duban.orgs.models import User  # noqa: E402

office = User.objects.get(username="duchayuan")
made = {}
items = Item.objects.filter(lead_unit__name="市住房和城乡建设局", status__in=OPEN_STATUSES).order_by("id")[:3]
for n, item in enumerate(items):
    data = os.urandom(50_000 + 10_000 * n)
    att = add_attachment(item.id, office, SimpleUploadedFile(f"现场材料{n + 1}.pdf", data, "application/pdf"))
    made[att.token] = hashlib.sha256(data).hexdigest()
print(json.dumps(made))
