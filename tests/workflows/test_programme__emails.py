"""Task e-mails: a plain-text subject, a text and an HTML part, links from the site's address."""

from wagtail.models import Site


def test_task_email_has_plain_subject_both_parts_and_site_links(
    pilotage, culture_editor, culture, committee, mailoutbox
):
    Site.objects.filter(is_default_site=True).update(hostname="crdla.example.org", port=443)
    culture.title = "Centre d'appui"
    culture.save()
    programme = pilotage.start(culture_editor, culture, title="Programme d'actions 2026")
    from .conftest import fill_programme

    fill_programme(programme)
    mailoutbox.clear()
    pilotage.submit(culture_editor, programme)
    assert mailoutbox, "the five reviewers are told"
    message = mailoutbox[0]
    assert "Programme d'actions 2026" in message.subject
    assert "&#x27;" not in message.subject and "&amp;" not in message.subject
    assert "\n" not in message.subject
    html = dict((mime, body) for body, mime in message.alternatives)["text/html"]
    assert 'href="https://crdla.example.org/' in html
    assert "https://crdla.example.org/" in message.body
    assert "localhost" not in message.body + html
