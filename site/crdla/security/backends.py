"""Login throttling (django-axes) for every login made over HTTP."""

from axes.backends import AxesStandaloneBackend


class LoginThrottlingBackend(AxesStandaloneBackend):
    """Refuse logins of a locked-out (username, IP address) pair.

    Every HTTP login (our ``/connexion/`` form, the Wagtail admin login) authenticates with its
    request, so it is throttled. A login without a request (the test client's ``login()``, the
    shell) has no client to throttle: this backend steps aside instead of raising.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
