"""Errors services raise; the web and API layers turn them into messages and status codes."""


class NotFound(Exception):
    """Absent, or present but not visible to this user: both answer the same (no leaks)."""


class Forbidden(Exception):
    """The user's role may not do this at all (nothing about any record is revealed)."""


class Conflict(Exception):
    """The request is valid but clashes with the current state (e.g. a slot already taken).

    ``code`` and ``data`` are machine fields for API clients (a rule code, the ids of the records
    in the way); people only ever see the message."""

    def __init__(self, message: str = "", *, code: str = "", data: dict[str, object] | None = None):
        self.code = code
        self.data = data or {}
        super().__init__(message)


class ServiceError(Exception):
    """Input a service refuses, with per-field messages that say how to fix it."""

    def __init__(self, errors: dict[str, str] | str, *, data: dict[str, object] | None = None):
        self.errors = errors if isinstance(errors, dict) else {"__all__": errors}
        self.data = data or {}  # machine fields for API clients, e.g. the codes of missing answers
        super().__init__("; ".join(f"{k}: {v}" if k != "__all__" else v for k, v in self.errors.items()))
