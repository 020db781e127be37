from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from acupath.accounts.http import AuthedRequest
from acupath.knowledge.domain.codes import UnknownPointCode, normalise_code
from acupath.knowledge.models import Acupoint, Channel
from acupath.knowledge.selectors import point_search


@login_required
def point_list(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    channel = request.GET.get("channel", "")
    region = request.GET.get("region", "")
    page = Paginator(point_search(q=q, channel=channel, region=region), 40).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "channel": channel,
        "region": region,
        "channels": Channel.objects.all(),
        "regions": sorted(set(Acupoint.objects.values_list("region", flat=True))),
        "nav": "points",
    }
    return render(request, "knowledge/_results.html" if request.htmx else "knowledge/point_list.html", context)


@login_required
def point_detail(request: AuthedRequest, code: str) -> HttpResponse:
    try:
        who = normalise_code(code)
    except UnknownPointCode as exc:
        raise Http404(str(exc)) from None
    if who != code:
        return redirect("knowledge:point_detail", code=who)
    point = Acupoint.objects.select_related("channel").filter(code=who).first()
    if point is None:
        raise Http404(f"Point {who} is not loaded")
    return render(request, "knowledge/point_detail.html", {"p": point, "nav": "points"})


@login_required
def channel_detail(request: AuthedRequest, code: str) -> HttpResponse:
    channel = Channel.objects.filter(code=code.upper()).first()
    if channel is None:
        raise Http404(f"No channel {code}")
    points = Acupoint.objects.filter(channel=channel).order_by("number")
    return render(request, "knowledge/channel_detail.html", {"channel": channel, "points": points, "nav": "points"})
