from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from acupath.core.errors import Conflict, ServiceError

T = TypeVar("T")


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers, and the benchmark's floor: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


def act_and_return(request: HttpRequest, act: Callable[[], T], done: str | Callable[[T], str], to: str) -> HttpResponse:
    """Run a button's action, say how it went (its refusal, or `done`) and go back to `to`.

    `done` may be a function of what the action returned, for messages that count.
    """
    try:
        result = act()
    except (Conflict, ServiceError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect(to)
