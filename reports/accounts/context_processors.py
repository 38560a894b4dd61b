from django.conf import settings
from django.http import HttpRequest


def session(request: HttpRequest) -> dict:
    """The idle timeout and its warning, for static/js/session.js (signed-in pages only)."""
    if not request.user.is_authenticated:
        return {}
    return {"session_timeout": settings.SESSION_IDLE_TIMEOUT, "session_warning": settings.SESSION_IDLE_WARNING}
