"""Input the database must never see, refused before any view runs.

PostgreSQL refuses a NUL character in text (SQLite stores it), so a NUL reaching a query is a
500 on one database and silent garbage on the other. Checking here, once, covers every API
operation and page, present and future, instead of a validator on each field.
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

NUL = "\x00"
API_PREFIX = "/api/"


def _nul_locations(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """Where in a decoded JSON value (keys included) a NUL character sits."""
    if isinstance(value, str):
        if NUL in value:
            yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield (*loc, key)
            yield from _nul_locations(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_locations(item, (*loc, index))


def _refused_fields(request: HttpRequest) -> list[tuple[str | int, ...]]:
    fields: list[tuple[str | int, ...]] = [
        ("query", name) for name, values in request.GET.lists() if NUL in name or any(NUL in v for v in values)
    ]
    fields += [("path",)] if NUL in request.path else []
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return fields  # malformed JSON is the API's to answer (422 from ninja)
        fields += [("body", *loc) for loc in _nul_locations(body, ())]
    elif request.method == "POST":
        fields += [("form", name) for name, values in request.POST.lists() if any(NUL in v for v in values)]
    return fields


class RefuseUnstorableInputMiddleware:
    """NUL characters answer 422 (API) or 400 (pages) naming the field; a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE answers a JSON 413 on the API instead of Django's HTML 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith(API_PREFIX)
        try:
            fields = _refused_fields(request)
        except RequestDataTooBig:
            if is_api:
                return JsonResponse({"detail": "The request body is too large; send less data at once."}, status=413)
            return HttpResponse("The form you sent is too large.", status=413, content_type="text/plain")
        if not fields:
            return self.get_response(request)
        if not is_api:
            return HttpResponseBadRequest("A field contains a NUL character; remove it and send the form again.")
        detail = [
            {"loc": list(loc), "msg": "Remove the NUL character (\\u0000): it cannot be stored.", "type": "value_error"}
            for loc in fields
        ]
        return JsonResponse({"detail": detail}, status=422)
