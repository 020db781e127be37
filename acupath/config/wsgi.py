import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acupath.config.settings")
application = get_wsgi_application()

from acupath.core.warmup import warm  # noqa: E402 - needs the apps loaded above

warm()
