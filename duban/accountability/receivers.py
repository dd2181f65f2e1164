from django.db.models.signals import post_save
from django.dispatch import receiver

from duban.circulars.signals import circular_issued


@receiver(post_save, sender="orgs.Organization")
def install_sanction_ladder_for_new_organization(sender, instance, created, raw=False, **kwargs):
    """A new organisation starts with 001 art. 16's ladder, which its admin can then edit."""
    if created and not raw:
        from .presets import install_sanction_presets

        install_sanction_presets(instance)


@receiver(circular_issued)
def sanction_the_criticised(sender, circular, now=None, **kwargs):
    """Inside the issuing transaction: a failure here rolls the issue back."""
    from .services import apply_ladder

    apply_ladder(circular, now=now)
