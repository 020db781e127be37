"""A practitioner's week at a glance (the day itself is the Today page)."""

import datetime as dt
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from acupath.accounts.http import AuthedRequest
from acupath.clinic.models import Practitioner
from acupath.core.errors import Forbidden, NotFound
from acupath.scheduling.access import access_practitioner_by_id, may_manage_feed, require_schedule_viewer
from acupath.scheduling.selectors.week import monday_of, this_monday, today_local, week_schedule


@login_required
def week_view(request: AuthedRequest) -> HttpResponse:
    try:
        require_schedule_viewer(request.user)
        wanted = request.GET.get("practitioner")
        practitioner: Practitioner | None
        if wanted:
            practitioner = access_practitioner_by_id(request.user, uuid.UUID(wanted))
        else:
            practitioner = (
                Practitioner.objects.filter(user=request.user, active=True).first()
                or Practitioner.objects.filter(active=True).order_by("display_name").first()
            )
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except (NotFound, ValueError):
        raise Http404("No such practitioner") from None
    if practitioner is None:
        raise Http404("No practitioners yet")
    try:
        monday = monday_of(dt.date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        monday = this_monday()
    week = week_schedule(practitioner, monday)
    context = {
        "week": week,
        "practitioners": Practitioner.objects.filter(active=True).order_by("display_name"),
        "prev_week": monday - dt.timedelta(days=7),
        "next_week": monday + dt.timedelta(days=7),
        "this_week": this_monday(),
        "today": today_local(),
        "can_feed": may_manage_feed(request.user, practitioner),
        "nav": "schedule",
    }
    return render(request, "scheduling/week.html", context)
