"""Production checks (``manage.py check --deploy``): the legal notice names who publishes the
site and who hosts it, with no placeholder or demo value left."""

import json
import re

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

# Fields of SiteSettings the legal notice (loi pour la confiance dans l'économie numérique,
# article 6) and the contact line need.
REQUIRED = {
    "publisher_name": "éditeur du site",
    "publication_director": "directeur·rice de la publication",
    "address": "adresse postale",
    "contact_email": "courriel de contact",
    "contact_phone": "téléphone",
    "host_name": "hébergeur",
    "host_address": "adresse de l'hébergeur",
    "host_phone": "téléphone de l'hébergeur",
}
PLACEHOLDER = re.compile(
    r"\[|\]|lorem|ipsum|démonstration|exemple|example\.|à compléter|xxx|00 00 00 00",
    re.IGNORECASE,
)


def placeholder_problems(site_settings, demo_values=()):
    """The legal fields of ``site_settings`` that are empty, placeholders or demo values."""
    problems = []
    for field, label in REQUIRED.items():
        value = (getattr(site_settings, field, "") or "").strip()
        if not value:
            problems.append(f"{label} : vide")
        elif PLACEHOLDER.search(value) or value in demo_values:
            problems.append(f"{label} : « {value} » n'est pas une vraie valeur")
    return problems


def demo_values():
    """The demo site's values (fixtures/site.json): fine for a demo, refused in production."""
    path = settings.BASE_DIR / "fixtures" / "site.json"
    if not path.exists():
        return set()
    with open(path, encoding="utf-8") as handle:
        return {value for value in json.load(handle)["settings"].values() if value}


@register(Tags.compatibility, deploy=True)
def legal_notice_is_filled(app_configs=None, **kwargs):
    from .models import SiteSettings

    try:
        all_settings = list(SiteSettings.objects.select_related("site"))
    except DatabaseError:  # no table yet (before migrate): nothing to check
        return []
    errors = []
    for site_settings in all_settings:
        problems = placeholder_problems(site_settings, demo_values())
        if problems:
            errors.append(
                Error(
                    f"Mentions légales incomplètes pour le site {site_settings.site} : "
                    + " ; ".join(problems),
                    hint="Renseignez-les dans l'administration : Paramètres > Paramètres du site.",
                    obj=site_settings,
                    id="crdla.E001",
                )
            )
    return errors
