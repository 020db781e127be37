from django.core.cache import cache
from django.http import HttpRequest

from acupath.clinic.models import Clinic


def clinic(request: HttpRequest) -> dict[str, str]:
    name = cache.get("clinic_name")
    if name is None:
        name = Clinic.objects.order_by("id").values_list("name", flat=True).first() or ""
        cache.set("clinic_name", name, 300)
    return {"clinic_name": name}
