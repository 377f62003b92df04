"""One root URL: the default Wagtail Site's address, for e-mail links and the sitemap alike."""

import re

from wagtail.models import Site

from crdla.core import emails
from crdla.core.management.commands.load_initial_data import Command
from crdla.network.subscriptions import send_confirmation_request
from tests.network.factories import AlertSubscriptionFactory


def set_site(hostname, port):
    Site.objects.filter(is_default_site=True).update(hostname=hostname, port=port)


def test_root_url_follows_the_site_record(home):
    set_site("crdla.example.org", 443)
    assert emails.root_url() == "https://crdla.example.org"
    set_site("127.0.0.1", 8130)
    assert emails.root_url() == "http://127.0.0.1:8130"
    assert emails.absolute_url("/alertes/") == "http://127.0.0.1:8130/alertes/"


def test_sitemap_locations_use_the_same_root_url(client, culture):
    set_site("crdla.example.org", 443)
    xml = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert locations
    assert all(loc.startswith("https://crdla.example.org/") for loc in locations)


def test_alert_confirmation_has_both_parts_and_absolute_links(home, mailoutbox):
    set_site("crdla.example.org", 443)
    send_confirmation_request(AlertSubscriptionFactory())
    message = mailoutbox[-1]
    assert message.subject == "Confirmez votre inscription aux alertes des consultations DLA"
    html = dict((mime, body) for body, mime in message.alternatives)["text/html"]
    assert '<a href="https://crdla.example.org/alertes/' in html
    assert "https://crdla.example.org/alertes/" in message.body


def test_html_part_escapes_the_text_and_links_urls():
    html = emails.html_from_text("Bonjour <b>,\n\nVoir https://a.example/x?y=1&z=2 .")
    assert "&lt;b&gt;" in html
    assert '<a href="https://a.example/x?y=1&amp;z=2">' in html


def test_set_site_address_option(home):
    Command().set_site_address("127.0.0.1:8131")
    assert emails.root_url() == "http://127.0.0.1:8131"
