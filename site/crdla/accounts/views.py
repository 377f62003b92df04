"""« Mon espace »: the address every role lands on after login (``LOGIN_REDIRECT_URL``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from .workspace import landing_url


@login_required
def workspace(request):
    """Send the user where their work is (see ``workspace.landing_url``)."""
    return redirect(landing_url(request.user))
