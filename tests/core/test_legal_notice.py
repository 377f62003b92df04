"""The legal notice comes from the site settings, and production refuses placeholders."""

import html

from crdla.core.checks import legal_notice_is_filled, placeholder_problems
from crdla.core.models import SiteSettings
from tests.factories import StandardPageFactory

REAL = {
    "publisher_name": "Association Réseau Solidaire, association loi 1901",
    "publication_director": "Jeanne Martin, présidente",
    "address": "3 rue des Lilas, 69001 Lyon",
    "contact_email": "contact@reseau-solidaire.fr",
    "contact_phone": "04 72 10 20 30",
    "host_name": "Hébergeur Réel SAS",
    "host_address": "10 avenue du Port, 13002 Marseille",
    "host_phone": "04 91 11 22 33",
}


def settings_for(home, **values):
    from wagtail.models import Site

    site_settings = SiteSettings.for_site(Site.objects.get(root_page=home))
    for field, value in values.items():
        setattr(site_settings, field, value)
    site_settings.save()
    return site_settings


def test_legal_notice_page_shows_publisher_and_host_from_settings(client, home):
    page = StandardPageFactory(parent=home, title="Mentions légales", slug="mentions-legales")
    settings_for(home, legal_notice_page=page, **REAL)
    text = html.unescape(client.get(page.url).content.decode())
    for value in ("Jeanne Martin, présidente", "Hébergeur Réel SAS", "04 91 11 22 33"):
        assert value in text
    assert "3 rue des Lilas" in text


def test_production_check_refuses_empty_placeholder_and_demo_values(home):
    site_settings = settings_for(home, **REAL)
    assert placeholder_problems(site_settings) == []
    assert legal_notice_is_filled() == []
    site_settings.host_name = "[nom de l'hébergeur]"
    site_settings.publication_director = ""
    site_settings.contact_email = "contact@crdla.example.org"
    site_settings.save()
    errors = legal_notice_is_filled()
    assert [error.id for error in errors] == ["crdla.E001"]
    message = errors[0].msg
    assert "hébergeur" in message and "directeur·rice de la publication : vide" in message
    assert "courriel de contact" in message
    demo_director = "Claire Dubois, présidente de l'association"
    site_settings.publication_director = demo_director
    site_settings.host_name = "Hébergeur Réel SAS"
    site_settings.contact_email = REAL["contact_email"]
    site_settings.save()
    assert demo_director in legal_notice_is_filled()[0].msg
