from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender="orgs.Organization")
def install_presets_for_new_organization(sender, instance, created, raw=False, **kwargs):
    """A new organisation starts with the seeds' time limits, which its admin can then edit."""
    if created and not raw:
        from .services import install_presets

        install_presets(instance)
