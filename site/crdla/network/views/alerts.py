"""Provider alert views: subscribe, confirm, unsubscribe, preferences, re-consent."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..models import AlertSubscription
from ..subscriptions import (
    CONSENT_TEXT,
    SubscriptionForm,
    client_ip,
    rate_limited,
)
from ..tokens import CONFIRM_MAX_AGE, make_token, read_token


def _noindex(response):
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def subscribe(request):
    """Subscription form; nothing is stored when the form is invalid or rate-limited."""
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST":
        email = request.POST.get("email", "").strip()
        if rate_limited(client_ip(request), email):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Trop de demandes d'inscription depuis votre connexion ou pour cette adresse. "
                    "Réessayez dans une heure."
                ),
            )
        elif form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                existing = AlertSubscription.objects.filter(email__iexact=data["email"]).first()
                if existing and existing.is_confirmed:
                    # Never reveal who is subscribed: same answer, a preferences link by e-mail.
                    _confirmation_on_commit(existing)
                else:
                    subscription = existing or AlertSubscription(email=data["email"].lower())
                    subscription.kinds = data["kinds"]
                    subscription.consent_text = str(CONSENT_TEXT)
                    subscription.consent_at = timezone.now()
                    subscription.consent_ip = client_ip(request)
                    subscription.save()
                    subscription.sectors.set(data["sectors"])
                    subscription.departements.set(data["departements"])
                    _confirmation_on_commit(subscription)
            return redirect("network:alerts-pending")
        return _noindex(
            render(request, "network/alerts/subscribe.html", {"form": form}, status=400)
        )
    return _noindex(render(request, "network/alerts/subscribe.html", {"form": form}))


def _confirmation_on_commit(subscription):
    """The e-mail leaves through the outbox: a mail server down never fails the form."""
    from crdla.outbox.mail import new_event
    from crdla.outbox.service import enqueue

    from ..tasks import send_subscription_confirmation

    enqueue(
        send_subscription_confirmation,
        subscription.pk,
        new_event("alerts:confirm"),
        description=_("Courriel de confirmation d'abonnement à %(email)s")
        % {"email": subscription.email},
    )


def pending(request):
    return _noindex(render(request, "network/alerts/pending.html"))


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """Double opt-in: a GET shows a button (mail scanners follow links), the POST confirms."""
    subscription = read_token(token, "confirm", max_age=CONFIRM_MAX_AGE)
    if subscription is None:
        return _noindex(render(request, "network/alerts/invalid_link.html", status=404))
    if request.method == "POST":
        now = timezone.now()
        subscription.confirmed_at = subscription.confirmed_at or now
        subscription.last_activity_at = now
        subscription.save(update_fields=["confirmed_at", "last_activity_at"])
        messages.success(request, _("Votre inscription est confirmée. Merci !"))
        return redirect("network:alerts-preferences", token=_preferences_token(subscription))
    return _noindex(render(request, "network/alerts/confirm.html", {"subscription": subscription}))


def _preferences_token(subscription):
    return make_token(subscription, "preferences")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One-click unsubscribe (RFC 8058 POST from mail clients, or the button of the page)."""
    subscription = read_token(token, "unsubscribe")
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(status=200)
        return _noindex(render(request, "network/alerts/unsubscribed.html"))
    if subscription is None:
        return _noindex(render(request, "network/alerts/unsubscribed.html"))
    return _noindex(
        render(request, "network/alerts/unsubscribe.html", {"subscription": subscription})
    )


@require_http_methods(["GET", "POST"])
def preferences(request, token):
    """Change preferences from the signed link of any alert (no account)."""
    subscription = read_token(token, "preferences")
    if subscription is None:
        return _noindex(render(request, "network/alerts/invalid_link.html", status=404))
    initial = {
        "sectors": list(subscription.sectors.all()),
        "departements": [d.code for d in subscription.departements.all()],
        "kinds": subscription.kinds,
    }
    form = SubscriptionForm(request.POST or None, initial=initial, with_consent=False)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            subscription.kinds = form.cleaned_data["kinds"]
            subscription.last_activity_at = timezone.now()
            subscription.reconsent_requested_at = None
            subscription.save()
            subscription.sectors.set(form.cleaned_data["sectors"])
            subscription.departements.set(form.cleaned_data["departements"])
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("network:alerts-preferences", token=token)
    return _noindex(
        render(
            request,
            "network/alerts/preferences.html",
            {
                "form": form,
                "subscription": subscription,
                "token": token,
                "unsubscribe_token": make_token(subscription, "unsubscribe"),
            },
            status=400 if form.errors else 200,
        )
    )


@require_http_methods(["GET", "POST"])
def reconsent(request, token):
    """Renew the consent of a subscriber asked after 3 years without activity."""
    subscription = read_token(token, "reconsent")
    if subscription is None:
        return _noindex(render(request, "network/alerts/invalid_link.html", status=404))
    if request.method == "POST":
        subscription.consent_text = str(CONSENT_TEXT)
        subscription.consent_at = subscription.last_activity_at = timezone.now()
        subscription.consent_ip = client_ip(request)
        subscription.reconsent_requested_at = None
        subscription.save()
        messages.success(request, _("Merci, votre abonnement est prolongé."))
        return redirect("network:alerts-preferences", token=_preferences_token(subscription))
    return _noindex(
        render(
            request,
            "network/alerts/reconsent.html",
            {"subscription": subscription, "consent_text": CONSENT_TEXT},
        )
    )
