"""``circular_issued(sender=Circular, circular=..., now=...)``: sent inside the issuing transaction,
after the number is taken and the record frozen. A receiver that raises rolls the issue back (the
accountability ladder counts criticisms from here, seed 001 art. 16)."""

from django.dispatch import Signal

circular_issued = Signal()
