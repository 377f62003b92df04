"""Content Security Policy: strict on the public site, relaxed only where the admin needs it."""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class ScopedCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, adding ``CRDLA_ADMIN_CSP_UPDATE`` under the admin paths only.

    The public pages get ``CONTENT_SECURITY_POLICY`` as it is (no inline script); the Wagtail
    and Django admins still rely on inline scripts and styles, so they get the relaxation.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path.startswith(tuple(settings.CRDLA_ADMIN_CSP_PATHS)):
            update = dict(parts.update or {})
            for directive, sources in settings.CRDLA_ADMIN_CSP_UPDATE.items():
                update[directive] = [*update.get(directive, []), *sources]
            parts.update = update
        return parts


class RejectNullCharactersMiddleware:
    """Answer 400 to a URL or query string holding a NUL character.

    No legitimate link contains one, and PostgreSQL refuses NUL in text parameters, so a
    filter or page lookup would otherwise end in a server error. Forms already reject NUL
    (Django's ``ProhibitNullCharactersValidator``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                _("Adresse invalide : elle contient un caractère nul."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
