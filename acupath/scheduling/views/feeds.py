"""The subscription feed (public, by token) and the page that shows and rotates its address."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from acupath.accounts.http import AuthedRequest
from acupath.core.errors import Forbidden, NotFound
from acupath.scheduling.access import access_practitioner_by_id, may_manage_feed
from acupath.scheduling.models import CalendarFeed
from acupath.scheduling.selectors.feeds import feed_by_token, feed_ics
from acupath.scheduling.services.feeds import feed_rotate


@require_GET
def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """No session: the token is the key. A wrong token is a plain 404."""
    feed = feed_by_token(token)
    if feed is None:
        raise Http404("No such feed")
    response = HttpResponse(feed_ics(feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="acupath.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def feed_settings(request: AuthedRequest, practitioner_id: uuid.UUID) -> HttpResponse:
    try:
        practitioner = access_practitioner_by_id(request.user, practitioner_id)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except NotFound:
        raise Http404("No such practitioner") from None
    if not may_manage_feed(request.user, practitioner):
        raise PermissionDenied("Only the practitioner (or the owner) sees this feed's address.")
    if request.method == "POST":
        feed_rotate(actor=request.user, practitioner=practitioner)
        messages.success(request, "A new feed address is ready; the old one no longer works.")
        return redirect("scheduling:feed_settings", practitioner_id=practitioner.public_id)
    feed = CalendarFeed.objects.filter(practitioner=practitioner).first()
    url = request.build_absolute_uri(reverse("scheduling:feed", args=[feed.token])) if feed else ""
    return render(
        request,
        "scheduling/feed.html",
        {"practitioner": practitioner, "feed": feed, "url": url, "nav": "schedule"},
    )
