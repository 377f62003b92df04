"""The programme pages write amounts, ETP, shares and units in French (issue 11, item 7)."""

import html
import re
from decimal import Decimal

from django.urls import reverse

from workflows.models import Action, FinancingLine, FundingSource, Indicator

NNBSP, NBSP = "\u202f", "\xa0"


def text_of(response):
    body = html.unescape(response.content.decode())
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", body))


def test_programme_page_reads_right(pilotage, client, culture_editor, culture, committee):
    programme = pilotage.start(culture_editor, culture)
    for block in programme.axis_blocks.select_related("axis"):
        action = Action.objects.create(
            axis_block=block,
            title=f"Action {block.axis.number}",
            etp=Decimal("0.33"),
            budget=Decimal("34000") if block.axis.number == 1 else Decimal("3200"),
        )
        Indicator.objects.create(action=action, label="Observatoire", unit="études", target=1)
    FinancingLine.objects.create(
        programme=programme, funder=FundingSource.DGEFP, amount=Decimal("43600")
    )
    client.force_login(culture_editor)
    text = text_of(client.get(reverse("programme:programme_detail", args=[programme.pk])))
    assert f"34{NNBSP}000{NBSP}€" in text
    assert f"3{NNBSP}200{NBSP}€" in text
    assert "3200,00" not in text and "34 000,00" not in text
    assert f"cible 1{NBSP}étude" in text and "1 études" not in text
    assert "0,33 ETP" in text
    assert f"100{NBSP}%" in text
