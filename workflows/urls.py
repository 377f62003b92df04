"""/pilotage/: the programme process application; every page needs a signed-in user."""

from django.contrib.auth.decorators import login_required
from django.urls import URLResolver, path

from .flows import ProgrammeFlow
from .viewsets import PilotageViewset

pilotage = PilotageViewset(ProgrammeFlow)


def require_login(patterns):
    """Anonymous visitors are sent to the login page instead of seeing viewflow's 403."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            require_login(pattern.url_patterns)
        else:
            pattern.callback = login_required(pattern.callback)
    return patterns


_patterns, _app_name, _namespace = pilotage.urls
urlpatterns = [path("", (require_login(_patterns), _app_name, _namespace))]
