"""Per-address rate limits on the public pages, counted in the cache every app process shares.

A fixed window per address and scope: cheap, and good enough to stop a script filling the diary
with requests. The address (or e-mail) is hashed before it is used as a key.

Booking requests count only when they succeed (`submit_refused` looks, `submit_counted` counts), so
a family or a whole mobile network behind one address is not locked out by typing mistakes; a
request from an e-mail the clinic has verified is counted against that e-mail, with a higher limit.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.http import HttpRequest

from acupath.booking import conf


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    seconds: int


def submit_limit() -> Limit:
    return Limit("submit", *conf.submit_limit())


def verified_submit_limit() -> Limit:
    return Limit("submit-email", *conf.verified_submit_limit())


def slot_query_limit() -> Limit:
    return Limit("slots", *conf.slot_query_limit())


def client_address(request: HttpRequest) -> str:
    raw = str(request.META.get(conf.client_ip_header()) or request.META.get("REMOTE_ADDR") or "unknown")
    return raw.split(",")[0].strip()


def _key(limit: Limit, who: str, now: float) -> str:
    digest = hashlib.sha256(who.encode()).hexdigest()[:24]
    return f"rl:{limit.scope}:{digest}:{int(now // limit.seconds)}"


def _retry_after(limit: Limit, now: float) -> int:
    return max(1, int((int(now // limit.seconds) + 1) * limit.seconds - now))


def _count(limit: Limit, who: str, now: float) -> int:
    key = _key(limit, who, now)
    cache = caches["shared"]
    cache.add(key, 0, limit.seconds + 5)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, limit.seconds + 5)
        return 1


def limit_hit(request: HttpRequest, limit: Limit) -> int | None:
    """Count one use. None when within the limit, else the seconds until the window reopens."""
    now = time.time()
    if _count(limit, client_address(request), now) <= limit.count:
        return None
    return _retry_after(limit, now)


def _submit_scope(request: HttpRequest, verified_email: str | None) -> tuple[Limit, str]:
    if verified_email:
        return verified_submit_limit(), verified_email.strip().lower()
    return submit_limit(), client_address(request)


def submit_refused(request: HttpRequest, verified_email: str | None = None) -> int | None:
    """Without counting: None when one more request may succeed, else the seconds until it may."""
    limit, who = _submit_scope(request, verified_email)
    now = time.time()
    used = int(caches["shared"].get(_key(limit, who, now)) or 0)
    return None if used < limit.count else _retry_after(limit, now)


def submit_counted(request: HttpRequest, verified_email: str | None = None) -> None:
    """Count a request that succeeded."""
    limit, who = _submit_scope(request, verified_email)
    _count(limit, who, time.time())
