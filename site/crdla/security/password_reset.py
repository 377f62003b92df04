"""Password reset with Django's own views, in French, throttled like the login.

The request form is limited per address and per e-mail over the login's cool-off period
(``AXES_FAILURE_LIMIT`` requests per ``AXES_COOLOFF_TIME``): nobody can flood an inbox or probe
addresses faster than they could guess passwords. The e-mail has a text and an HTML part and
its link is built from the site's root URL, like every other e-mail.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.urls import reverse_lazy

from crdla.core import emails


def _over_limit(key, limit, window):
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


def too_many_requests(request, email):
    """Count this request against its address and its e-mail; True once either is over."""
    window = int(settings.AXES_COOLOFF_TIME.total_seconds())
    limit = settings.AXES_FAILURE_LIMIT
    address = request.META.get("REMOTE_ADDR") or "unknown"
    keys = [f"crdla:password-reset:ip:{address}"]
    if email:
        keys.append(f"crdla:password-reset:email:{email.strip().lower()}")
    # Both counters move on every request, so neither can be dodged by changing the other.
    return any([_over_limit(key, limit, window) for key in keys])


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        if too_many_requests(request, request.POST.get("email", "")):
            cooloff = settings.AXES_COOLOFF_TIME
            return TemplateResponse(
                request,
                "registration/password_reset_throttled.html",
                {"minutes": int(cooloff.total_seconds() // 60)},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.extra_email_context = {"root_url": emails.root_url()}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
