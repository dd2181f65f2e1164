"""Configuration history (issue 8, point 6): django-simple-history keeps a snapshot of a rule, a
ladder step, a unit or a person at every change, with who made it and when; the audit page
(duban/accounts) shows them as before → after."""

from simple_history.models import HistoricalRecords

# Saves that change no configuration: a login stamps last_login; Django re-hashes a password with
# a stronger hasher at login. Neither is a change anyone made.
HOUSEKEEPING_FIELDS = {"last_login", "password", "updated_at"}


class ConfigHistory(HistoricalRecords):
    """HistoricalRecords that ignores housekeeping saves (``save(update_fields=...)`` of only the
    fields above), so the history holds what people changed, not every login."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= HOUSEKEEPING_FIELDS \
                and getattr(instance, "_password", None) is None:
            return
        super().post_save(instance, created, using=using, **kwargs)


def config_history(**kwargs) -> ConfigHistory:
    kwargs.setdefault("excluded_fields", [])
    return ConfigHistory(cascade_delete_history=False, **kwargs)
