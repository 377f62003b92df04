"""Alert subscriptions: the form (validation, consent, rate limit) and the provider e-mails."""

from django import forms
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crdla.core import emails
from crdla.core.models import Departement, Sector
from crdla.outbox.mail import new_event, send_once

from .alerts import absolute_url
from .models import SupportKind
from .tokens import make_token

CONSENT_TEXT = _(
    "J'accepte que les centres de ressources DLA conservent mon adresse électronique et mes "
    "préférences pour m'envoyer les consultations des DLA qui y correspondent. Je peux me "
    "désinscrire à tout moment par le lien présent dans chaque courriel."
)

RATE_LIMIT_PER_IP = 5
RATE_LIMIT_PER_EMAIL = 3
RATE_WINDOW = 3600


class DepartementCodesField(forms.MultipleChoiceField):
    """Département codes, with a clear message naming the unknown ones."""

    default_error_messages = {
        "invalid_choice": _("Département inconnu : %(value)s."),
    }


class SubscriptionForm(forms.Form):
    """Subscribe to call-for-tenders alerts: e-mail, preferences and explicit consent."""

    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        error_messages={
            "required": _("Indiquez votre adresse électronique."),
            "invalid": _("Cette adresse électronique n'est pas valide (exemple : nom@domaine.fr)."),
        },
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Secteurs"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun secteur coché : tous les secteurs."),
        error_messages={"invalid_choice": _("Secteur inconnu : %(value)s.")},
    )
    departements = DepartementCodesField(
        label=_("Départements"),
        required=False,
        help_text=_("Aucun département choisi : toute la France."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Types d'accompagnement"),
        choices=SupportKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun type coché : tous les types."),
        error_messages={"invalid_choice": _("Type d'accompagnement inconnu : %(value)s.")},
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        required=True,
        error_messages={"required": _("Votre consentement est nécessaire pour vous inscrire.")},
    )

    def __init__(self, *args, with_consent=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departements"].choices = [
            (d.code, str(d)) for d in Departement.objects.order_by("code")
        ]
        if not with_consent:
            del self.fields["consent"]
            del self.fields["email"]

    def clean_departements(self):
        codes = self.cleaned_data["departements"]
        return list(Departement.objects.filter(code__in=codes))


def rate_limited(ip, email):
    """True when this IP or e-mail has already made too many requests this hour."""
    keys = [(f"crdla:alerts:ip:{ip}", RATE_LIMIT_PER_IP)]
    if email:
        keys.append((f"crdla:alerts:email:{email.lower()}", RATE_LIMIT_PER_EMAIL))
    limited = False
    for key, limit in keys:
        cache.add(key, 0, RATE_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RATE_WINDOW)
            count = 1
        limited = limited or count > limit
    return limited


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def _send(subscription, template, subject, event, **context):
    context.update(
        subscription=subscription,
        preferences_url=absolute_url(
            reverse("network:alerts-preferences", args=[make_token(subscription, "preferences")])
        ),
        unsubscribe_url=absolute_url(
            reverse("network:alerts-unsubscribe", args=[make_token(subscription, "unsubscribe")])
        ),
    )
    text, html = emails.render_parts(f"network/emails/{template}", context, str(subject))
    message = emails.build_message(subject, text, [subscription.email], html=html)
    return send_once(event or new_event(f"alerts:{template}"), message)


def send_confirmation_request(subscription, event=None):
    """The double opt-in e-mail: nothing else is sent until its link is followed."""
    return _send(
        subscription,
        "confirm_subscription",
        _("Confirmez votre inscription aux alertes des consultations DLA"),
        event,
        confirm_url=absolute_url(
            reverse("network:alerts-confirm", args=[make_token(subscription, "confirm")])
        ),
    )


def send_reconsent_request(subscription, event=None):
    return _send(
        subscription,
        "reconsent",
        _("Souhaitez-vous continuer à recevoir les consultations DLA ?"),
        event,
        reconsent_url=absolute_url(
            reverse("network:alerts-reconsent", args=[make_token(subscription, "reconsent")])
        ),
    )
