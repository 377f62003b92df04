"""What every e-mail shares: the site's root URL, a plain-text subject, a text and an HTML part.

Links in e-mails are absolute and built from the default Wagtail ``Site`` record (hostname and
port, which ``make run`` sets to the address it serves), the same root URL the sitemap uses;
``WAGTAILADMIN_BASE_URL`` is only the fallback before any site exists. Subjects are rendered
without HTML escaping and on one line. When an e-mail has no HTML template of its own, its HTML
part is its text part laid out in ``emails/layout.html`` (paragraphs, clickable links).

Every e-mail the platform sends is built here. All but the alert fan-out are then sent by a
Celery task queued through the outbox, once per (event, recipient)
(``crdla.outbox.mail.send_once``); the fan-out keeps its own exactly-once claim and batch
connection (``crdla.network.alerts``). ``tests/core/test_emails__every_kind.py`` sends each
kind and checks it.
"""

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

URL = re.compile(r"(https?://[^\s<>«»\"]+)")


def root_url():
    """« https://crdla.example.org » or « http://127.0.0.1:8000 »: the default site's address."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if site is None:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return site.root_url.rstrip("/")


def absolute_url(path, base=None):
    """An absolute link to ``path`` (already absolute URLs are returned as they are)."""
    if path.startswith(("http://", "https://")):
        return path
    return (base or root_url()) + "/" + path.lstrip("/")


def plain_subject(text):
    """A subject as the reader sees it: no HTML entities, no line breaks, single spaces."""
    return " ".join(str(text).split())


def html_from_text(text, subject=""):
    """The HTML part of an e-mail written as text: escaped paragraphs with clickable links."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", str(text).strip()):
        html = escape(block)
        html = URL.sub(lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', html)
        paragraphs.append(html.replace("\n", "<br>\n"))
    return render_to_string(
        "emails/layout.html", {"subject": subject, "paragraphs": [mark_safe(p) for p in paragraphs]}
    )


def render_parts(template_base, context, subject=""):
    """(text, html) of ``template_base``.txt and ``template_base``.html (or the text laid out)."""
    text = render_to_string(f"{template_base}.txt", context)
    try:
        get_template(f"{template_base}.html")
    except TemplateDoesNotExist:
        return text, html_from_text(text, subject)
    return text, render_to_string(f"{template_base}.html", context)


def build_message(subject, text, to, html=None, headers=None, from_email=None, message_class=None):
    """One e-mail with its text part and its HTML part."""
    subject = plain_subject(subject)
    message = (message_class or EmailMultiAlternatives)(
        subject, text, from_email, list(to) if not isinstance(to, str) else [to], headers=headers
    )
    message.attach_alternative(html or html_from_text(text, subject), "text/html")
    return message


class CountingEmailBackend(BaseEmailBackend):
    """Counts the e-mails and sends none (the demo loader's e-mails)."""

    sent = 0

    def send_messages(self, email_messages):
        count = len(list(email_messages or []))
        type(self).sent += count
        return count
