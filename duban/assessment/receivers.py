from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender="orgs.Organization")
def install_scheme_for_new_organization(sender, instance, created, raw=False, **kwargs):
    """A new organisation starts with the preset scoring scheme, which its admin can then edit."""
    if created and not raw:
        from .presets import install_scheme_presets

        install_scheme_presets(instance)
