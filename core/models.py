"""What every event and log row is: who, when, and what happened as a code with its
parameters. The text is rendered when the row is displayed, in the reader's language
(as Saleor's order events do), so the English console shows English timelines even for
rows written by a Chinese request. A person's own words (a cancel reason, a stock note)
and old rows that no code matched are kept as they were typed, in `note`."""

from contextlib import suppress
from dataclasses import dataclass, field
from types import FunctionType
from typing import ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Said:
    """What a service records: a code of the model's MESSAGES, its parameters, and
    optionally a person's own words."""

    code: str
    params: dict = field(default_factory=dict)
    note: str = ""


def said_fields(said, *, limit: int = 300) -> dict:
    """The `code`, `params` and `note` of a row for `said` (a Said, or plain text a
    person typed)."""
    if isinstance(said, Said):
        return {"code": said.code, "params": said.params, "note": said.note[:limit]}
    return {"code": "", "params": {}, "note": (said or "")[:limit]}


class Coded(models.Model):
    """A row whose text is a code and parameters, rendered through translation."""

    code = models.CharField(_("事件代码"), max_length=40, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    # code -> message (gettext_lazy, %(name)s placeholders); subclasses fill it.
    MESSAGES: ClassVar[dict] = {}
    # parameter -> Choices class: the parameter holds a value, the text shows its label.
    LABELS: ClassVar[dict] = {}
    # The field with a person's own words (or an old row's text).
    NOTE_FIELD: ClassVar[str] = "note"

    class Meta:
        abstract = True

    @classmethod
    def render(cls, code: str, params: dict | None) -> str:
        """The message for `code` in the active language ("" for an unknown code). A
        message may be a function of the parameters, for text built of parts."""
        template = cls.MESSAGES.get(code)
        if template is None:
            return ""
        params = dict(params or {})
        for name, choices in cls.LABELS.items():
            if params.get(name) is not None:
                # A value that is no longer a choice shows as stored.
                with suppress(ValueError):
                    params[name] = choices(params[name]).label
        if isinstance(template, FunctionType):
            return template(params)
        try:
            return str(template) % params
        except (KeyError, TypeError, ValueError):
            return str(template)

    def message(self) -> str:
        return self.render(self.code, self.params)

    @property
    def text(self) -> str:
        """What the row says in the active language: the message, then the note."""
        message = self.message()
        note = getattr(self, self.NOTE_FIELD, "") or ""
        if message and note:
            return gettext("%(message)s（%(note)s）") % {"message": message, "note": note}
        return message or note


class Event(Coded):
    """An event or log row: who acted (None for the system, a buyer, a callback) and when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def actor_text(self) -> str:
        """Who acted when no user did (买家, 系统 …), in the reader's language."""
        label = getattr(self, "actor_label", "")
        return gettext(label) if label else ""
