"""Per-address rate limits on the public pages, counted in the cache every app process shares.

A fixed window per address and scope: cheap, and good enough to stop a script filling the diary
with requests. The address is hashed before it is used as a key.
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


def slot_query_limit() -> Limit:
    return Limit("slots", *conf.slot_query_limit())


def client_address(request: HttpRequest) -> str:
    raw = str(request.META.get(conf.client_ip_header()) or request.META.get("REMOTE_ADDR") or "unknown")
    return raw.split(",")[0].strip()


def limit_hit(request: HttpRequest, limit: Limit) -> int | None:
    """Count one use. None when within the limit, else the seconds until the window reopens."""
    now = time.time()
    window = int(now // limit.seconds)
    who = hashlib.sha256(client_address(request).encode()).hexdigest()[:24]
    key = f"rl:{limit.scope}:{who}:{window}"
    cache = caches["shared"]
    cache.add(key, 0, limit.seconds + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, limit.seconds + 5)
        used = 1
    if used <= limit.count:
        return None
    return max(1, int((window + 1) * limit.seconds - now))
