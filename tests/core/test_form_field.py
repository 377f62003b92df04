"""The form-field include: what Django's aria-describedby names exists, so screen readers
announce the help text and the errors of every field."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse


class Ids(HTMLParser):
    """Every id of the page, and every (tag, aria-describedby) pair."""

    def __init__(self, html):
        super().__init__()
        self.ids, self.described = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described.append((tag, attrs["aria-describedby"]))


class SampleForm(forms.Form):
    email = forms.EmailField(label="Courriel", help_text="Votre adresse professionnelle.")
    kinds = forms.MultipleChoiceField(
        label="Types",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun type coché : tous les types.",
    )


def render(field):
    return render_to_string("includes/form_field.html", {"field": field})


def text_of(html, element_id):
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    return match.group(1) if match else None


def test_the_input_is_described_by_its_help_text():
    html = render(SampleForm()["email"])
    page = Ids(html)
    assert page.described == [("input", "id_email_helptext")]
    assert text_of(html, "id_email_helptext") == "Votre adresse professionnelle."


def test_an_invalid_input_is_described_by_its_help_text_and_its_errors():
    form = SampleForm(data={"email": "pas-une-adresse", "kinds": ["z"]})
    assert not form.is_valid()
    html = render(form["email"])
    page = Ids(html)
    assert page.described == [("input", "id_email_helptext id_email_error")]
    assert page.ids.count("id_email_error") == 1
    assert "valide" in text_of(html, "id_email_error")
    assert 'aria-invalid="true"' in html


def test_a_checkbox_group_is_a_fieldset_described_by_its_help_text_and_errors():
    form = SampleForm(data={"email": "a@example.org", "kinds": ["z"]})
    form.is_valid()
    html = render(form["kinds"])
    page = Ids(html)
    assert page.described == [("fieldset", "id_kinds_helptext id_kinds_error")]
    assert "<legend>Types" in html
    assert text_of(html, "id_kinds_helptext") == "Aucun type coché : tous les types."
    assert {"id_kinds_helptext", "id_kinds_error"} <= set(page.ids)


@pytest.mark.django_db
def test_every_description_of_the_alert_form_exists(client, home):
    """A real page: the subscription form (three help texts, a select and two checkbox groups),
    then the same form sent back with its errors."""
    url = reverse("network:alerts-subscribe")
    for response in (client.get(url), client.post(url, {"email": "x", "sectors": ["inconnu"]})):
        html = response.content.decode()
        page = Ids(html)
        named = [i for _tag, value in page.described for i in value.split()]
        assert "id_departements_helptext" in named and "id_sectors_helptext" in named
        assert set(named) <= set(page.ids), set(named) - set(page.ids)
