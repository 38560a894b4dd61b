from django.conf import settings
from django.http import HttpRequest

from reports.accounts.middleware import may_be_signed_in


def session(request: HttpRequest) -> dict:
    """The idle timeout and its warning, for static/js/session.js (signed-in pages only)."""
    if not (may_be_signed_in(request) and request.user.is_authenticated):
        return {}
    return {"session_timeout": settings.SESSION_IDLE_TIMEOUT, "session_warning": settings.SESSION_IDLE_WARNING}
