"""The `acupath` console command: Django's management commands under the product's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acupath.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["acupath", *sys.argv[1:]])


if __name__ == "__main__":
    main()
