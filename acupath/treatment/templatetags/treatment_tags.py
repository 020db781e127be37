"""Template filters of the session pages and the room board (timers)."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def epoch_ms(value: dt.datetime | None) -> int | str:
    """Milliseconds since 1970 (UTC), for the page's timer script."""
    return int(value.timestamp() * 1000) if value else ""


@register.filter
def clock(seconds: int | None) -> str:
    """A duration as m:ss (h:mm:ss from an hour), always positive: the sign is said in words."""
    if seconds is None:
        return ""
    s = abs(int(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"
