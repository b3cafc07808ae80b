from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ACTOR = _("操作人")


def actor_field(verbose_name=ACTOR) -> models.ForeignKey:
    """Who did it. Logs outlive people: a deleted user leaves the row, with no actor."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )
