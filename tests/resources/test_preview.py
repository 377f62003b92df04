"""« Aperçu » of a resource never fails (issue 9 finding 8, issue 17): a brand-new draft with
no theme, one with a theme ticked (its themes exist only in the form), and « voir le brouillon »."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from tests.factories import ResourcePageFactory, ThemeFactory

pytestmark = pytest.mark.django_db

MARKER = "Aperçu-d-une-ressource-neuve"


def add_form(client, parent):
    url = reverse("wagtailadmin_pages:add", args=("resources", "resourcepage", parent.pk))
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(
        {
            "title": MARKER,
            "slug": "apercu-ressource-neuve",
            "kind": "guide",
            "summary": "Résumé.",
            "published_date": "2026-01-15",
            "body-count": "0",  # the StreamField's own inputs are drawn by JavaScript
        }
    )
    return data


def preview_new(client, parent, themes=()):
    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=("resources", "resourcepage", parent.pk)
    )
    data = add_form(client, parent)
    data.setlist("themes", [str(theme.pk) for theme in themes])
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.json() == {"is_valid": True, "is_available": True}
    return client.get(url)


def test_preview_of_a_new_draft_without_theme(client, culture_index, admin_user):
    client.force_login(admin_user)
    response = preview_new(client, culture_index)
    assert response.status_code == 200
    assert MARKER in response.content.decode()


def test_preview_of_a_new_draft_with_a_theme_ticked(client, culture_index, admin_user):
    theme = ThemeFactory(name="Gouvernance", slug="gouvernance")
    other = ResourcePageFactory(parent=culture_index, title="Ressource voisine")
    other.themes.add(theme)
    other.save_revision().publish()
    client.force_login(admin_user)
    response = preview_new(client, culture_index, themes=[theme])
    assert response.status_code == 200
    content = response.content.decode()
    assert MARKER in content
    assert "Ressource voisine" in content  # related by the ticked theme


def test_view_draft_of_a_page_never_published(client, culture_index, admin_user):
    draft = ResourcePageFactory(parent=culture_index, title=MARKER, live=False)
    draft.save_revision()
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[draft.pk]))
    assert response.status_code == 200
    assert MARKER in response.content.decode()
