import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from reports.accounts.middleware import LAST_SEEN


@receiver(user_logged_in, dispatch_uid="accounts_session_started")
def session_started(sender, request, user, **kwargs) -> None:
    """The idle clock starts at login (so that the first page after it writes nothing more to the session)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())
