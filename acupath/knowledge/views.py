from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from acupath.accounts.http import AuthedRequest
from acupath.core.errors import ServiceError
from acupath.knowledge import labels
from acupath.knowledge.domain.catalogue import Region, load_catalogue
from acupath.knowledge.domain.codes import UnknownPointCode, normalise_code
from acupath.knowledge.models import Acupoint, Channel
from acupath.knowledge.selectors import body_chart, point_search


@login_required
def point_list(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    channel = request.GET.get("channel", "")
    region = request.GET.get("region", "")
    problem = ""
    try:
        found = point_search(q=q, channel=channel, region=region)
    except ServiceError as exc:
        found, problem = Acupoint.objects.none(), " ".join(exc.errors.values())
    page = Paginator(found, 40).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "channel": channel,
        "region": region,
        "problem": problem,
        "channels": Channel.objects.all(),
        "regions": [(r.value, labels.REGIONS.get(r.value, r.value)) for r in Region],
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
    canonical = load_catalogue().channel_for_prefix(code)
    if canonical is None:
        raise Http404(f"No channel {code}")
    if canonical != code:
        return redirect("knowledge:channel_detail", code=canonical)
    channel = Channel.objects.filter(code=canonical).first()
    if channel is None:
        raise Http404(f"Channel {canonical} is not loaded")
    points = Acupoint.objects.filter(channel=channel).order_by("number")
    return render(request, "knowledge/channel_detail.html", {"channel": channel, "points": points, "nav": "points"})


@login_required
def body_chart_page(request: AuthedRequest) -> HttpResponse:
    """The back view of the body chart to explore; ?pick=1 shows the side buttons a plan page uses."""
    pick = request.GET.get("pick") == "1"
    context = {"body_chart": body_chart("posterior"), "pick": pick, "nav": "points"}
    return render(request, "knowledge/body_chart.html", context)
