"""Password checks that go beyond length: a shipped list of breached and common passwords."""

from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator

# Django's list of 20,000 common passwords (from leaked sets, see Django's docs) plus the demo's
# own password, which is published in the README and so must never protect a real account.
BREACHED_LIST = Path(__file__).resolve().parent / "data" / "breached-passwords.txt.gz"


class BreachedPasswordValidator(CommonPasswordValidator):
    def __init__(self) -> None:
        super().__init__(password_list_path=BREACHED_LIST)
