"""Settings for the test suite: the production settings, with background tasks run inline."""

import os

# The suite asks for DEBUG as the demo does (production leaves it off); must precede the import.
os.environ.setdefault("DUBAN_DEBUG", "1")

from duban.settings import *  # noqa: E402, F403
from duban.settings import HUEY  # noqa: E402

HUEY = {**HUEY, "immediate": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The calendar cache rechecks the database every 10 s; a query-counting test must not meet it.
DUBAN_CALENDAR_RECHECK_SECONDS = 3600.0
