from django.http import HttpRequest, HttpResponse


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers, and the benchmark's floor: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")
