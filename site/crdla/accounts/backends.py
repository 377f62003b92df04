from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class DemoAwareModelBackend(ModelBackend):
    """The standard backend, except that demo accounts only log in with dev/test settings."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        profile = getattr(user, "profile", None)
        if profile is not None and profile.is_demo:
            return bool(getattr(settings, "CRDLA_DEMO_ACCOUNTS", False))
        return True
