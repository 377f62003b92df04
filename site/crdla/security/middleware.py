"""Content Security Policy: strict on the public site, relaxed only where the admin needs it."""

from csp.middleware import CSPMiddleware
from django.conf import settings


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
