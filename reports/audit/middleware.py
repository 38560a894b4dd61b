from reports.audit.services import forget_address, remember_address


class AuditMiddleware:
    """Keeps the client's address for the length of a request, for the events recorded while it is served."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = remember_address(request)
        try:
            return self.get_response(request)
        finally:
            forget_address(token)
