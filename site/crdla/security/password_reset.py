"""Password reset with Django's own views, in French, throttled like the login.

The e-mail is queued through the outbox (``crdla.security.tasks.send_password_reset``) and
rendered by the worker through ``crdla.core.emails``, like every other e-mail.

The request form is limited per address and per e-mail over the login's cool-off period
(``AXES_FAILURE_LIMIT`` requests per ``AXES_COOLOFF_TIME``): nobody can flood an inbox or probe
addresses faster than they could guess passwords. The e-mail has a text and an HTML part and
its link is built from the site's root URL, like every other e-mail.
"""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from crdla.outbox.mail import new_event
from crdla.outbox.service import enqueue


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


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form (same accounts, same silence about unknown addresses), whose e-mail
    leaves through the outbox instead of being sent inside the request."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        from .tasks import send_password_reset

        user = context["user"]
        enqueue(
            send_password_reset,
            user.pk,
            new_event("password-reset"),
            description=_("Courriel de nouveau mot de passe du compte %(user)s")
            % {"user": user.get_username()},
        )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
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


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
