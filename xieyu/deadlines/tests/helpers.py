import datetime

from xieyu.deadlines.workcalendar import TZ


def at(text: str) -> datetime.datetime:
    """at("2026-10-09 16:00") → an aware datetime in Asia/Shanghai."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TZ)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def local(value: datetime.datetime) -> str:
    return value.astimezone(TZ).strftime("%Y-%m-%d %H:%M")
