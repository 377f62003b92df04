"""Numbers and words read as French readers expect them: one filter set, checked on rendered text."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from crdla.core.templatetags import french

NNBSP, NBSP = "\u202f", "\xa0"


@pytest.fixture(autouse=True)
def in_french():
    with translation.override("fr"):
        yield


def render(source, **context):
    return Template("{% load french %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("34000"), f"34{NNBSP}000{NBSP}€"),
        (Decimal("3200.00"), f"3{NNBSP}200{NBSP}€"),
        (Decimal("1250.5"), f"1{NNBSP}250,50{NBSP}€"),
        ("90000.00", f"90{NNBSP}000{NBSP}€"),
        (None, "—"),
    ],
)
def test_amounts_group_thousands_and_put_the_euro_sign_after(value, expected):
    assert render("{{ v|euros }}", v=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1.30000000000000", "1,3"), (Decimal("0.5"), "0,5"), (Decimal("2"), "2"), ("0.333", "0,33")],
)
def test_etp_has_at_most_two_decimals_and_a_decimal_comma(value, expected):
    assert render("{{ v|etp }}", v=value) == expected


def test_percentages_and_plain_numbers():
    assert render("{{ v|pourcent }}", v=Decimal("12.50")) == f"12,5{NBSP}%"
    assert render("{{ v|nombre }}", v=Decimal("12.00")) == "12"
    assert render("{{ v|nombre }}", v=12345) == f"12{NNBSP}345"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1, "études", "1 étude"),
        (12, "études", "12 études"),
        (0, "structures accompagnées", "0 structure accompagnée"),
        (Decimal("1.5"), "jours de formation", "1,5 jour de formation"),
        (40, "appuis", "40 appuis"),
        (2, "fois", "2 fois"),
    ],
)
def test_units_agree_with_their_quantity(value, unit, expected):
    assert render("{{ v|quantite:u }}", v=value, u=unit).replace(NBSP, " ") == expected


def test_elision_before_a_vowel():
    assert f"Nombre {french.de('appuis')}" == "Nombre d'appuis"
    assert f"Nombre {french.de('études')}" == "Nombre d'études"
    assert f"Nombre {french.de('structures')}" == "Nombre de structures"


def test_deadlines_are_dates_with_an_hour_only_when_it_means_something(settings):
    tz = timezone.get_current_timezone()
    midnight = datetime.datetime(2027, 1, 15, 23, 59, tzinfo=tz)
    noon = datetime.datetime(2027, 1, 15, 12, 0, tzinfo=tz)
    odd = datetime.datetime(2027, 1, 15, 5, 22, tzinfo=tz)
    assert render("{{ d|echeance }}", d=midnight) == "15/01/2027"
    assert render("{{ d|echeance }}", d=noon) == "15/01/2027 à 12 h"
    assert "05:22" not in render("{{ d|echeance }}", d=odd)


def text_of(response):
    body = html.unescape(response.content.decode())
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", body))


def test_feminine_filters_read_toutes(client, home):
    text = text_of(client.get(reverse("resources:all")))
    match = re.search(r"Thématique (\w+)", text)
    assert match and match.group(1) == "Toutes"
    assert re.search(r"Secteur Tous", text)
