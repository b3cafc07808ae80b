"""The period picker: whole Beijing days [start, end] (end inclusive, so half-open at
the next midnight), and the previous period of the same length for 环比."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError

MAX_DAYS = 366

PRESETS = {
    "today": _("今天"),
    "yesterday": _("昨天"),
    "7d": _("近7天"),
    "30d": _("近30天"),
    "week": _("本周"),
    "month": _("本月"),
}
DEFAULT_PRESET = "7d"


class BadPeriod(DomainError, code="bad_period", message=_("统计周期无效。")):
    """A 统计周期 that is malformed, reversed or longer than MAX_DAYS."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    preset: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> "Period":
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    @property
    def hourly(self) -> bool:
        return self.days == 1

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]

    def query(self) -> dict[str, str]:
        if self.preset:
            return {"period": self.preset}
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def preset_period(preset: str, today: date | None = None) -> Period:
    today = today or timezone.localdate()
    start, end = {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "7d": (today - timedelta(days=6), today),
        "30d": (today - timedelta(days=29), today),
        "week": (today - timedelta(days=today.weekday()), today),
        "month": (today.replace(day=1), today),
    }[preset]
    return Period(start, end, preset)


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        message = _("日期格式应为 YYYY-MM-DD。")
        raise BadPeriod(message, fields={field: [message]}) from exc


def parse_period(params) -> Period:
    """`period=<preset>`, or `from`/`to` (YYYY-MM-DD, inclusive); the default preset
    when neither is given. Raises BadPeriod naming the field."""
    raw_from, raw_to = params.get("from") or "", params.get("to") or ""
    if not raw_from and not raw_to:
        preset = params.get("period") or DEFAULT_PRESET
        if preset not in PRESETS:
            message = _("可选：%(keys)s") % {"keys": ", ".join(PRESETS)}
            raise BadPeriod(message, fields={"period": [message]})
        return preset_period(preset)
    if not raw_from or not raw_to:
        field = "to" if raw_from else "from"
        message = _("请同时填写开始和结束日期。")
        raise BadPeriod(message, fields={field: [message]})
    start, end = _date(raw_from, "from"), _date(raw_to, "to")
    if start > end:
        message = _("开始日期不能晚于结束日期。")
        raise BadPeriod(message, fields={"from": [message]})
    if (end - start).days + 1 > MAX_DAYS:
        message = _("一次最多统计 %(days)s 天。") % {"days": MAX_DAYS}
        raise BadPeriod(message, fields={"to": [message]})
    return Period(start, end)
