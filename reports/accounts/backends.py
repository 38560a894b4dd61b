from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout for sign-ins that come with a request (every login page, SSO callback). Code that
    checks a password without one (the test client, a management command) is not a sign-in from an address:
    nothing to count or lock, and the other back ends decide."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
