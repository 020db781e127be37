from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "acupath.accounts"
    label = "accounts"

    def ready(self) -> None:
        from acupath.accounts import lockout, signals  # noqa: F401  (connects sign-in auditing)
