from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender="orgs.Organization")
def install_ladder_for_new_organization(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .presets import install_ladder_presets

        install_ladder_presets(instance)
