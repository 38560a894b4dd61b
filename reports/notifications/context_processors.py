from django.http import HttpRequest

from reports.notifications.services import unread_count


def inbox(request: HttpRequest) -> dict:
    """The unread count for the navigation bar; nothing for the public, whose pages are cached."""
    if not request.user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(request.user)}
