"""After the chair's decision, every committee member and the centre's editors get the
decision and all the round's opinions, with the public programme page (issue 17)."""

import pytest
from django.core import mail
from viewflow.workflow.models import Task

from crdla.accounts import roles
from workflows.flows import ProgrammeFlow
from workflows.tasks import DECIDED, send_task_notification

pytestmark = pytest.mark.django_db


def decision_mails():
    return [m for m in mail.outbox if m.subject.startswith("Décision du comité")]


def test_everyone_of_the_centre_learns_the_decision_and_the_opinions(
    pilotage, submitted_programme, committee, chair, culture_editor, make_user, sport
):
    outsider = make_user("editeur.sport", roles.CENTRE_STAFF, sport.editors_group)
    pilotage.review_all(committee, submitted_programme)
    mail.outbox.clear()
    assert pilotage.decide(chair, submitted_programme, "approve").status_code == 302

    messages = decision_mails()
    recipients = sorted(m.to[0] for m in messages)
    expected = sorted([u.email for u in committee.values()] + [culture_editor.email])
    assert recipients == expected
    assert outsider.email not in recipients
    submitted_programme.refresh_from_db()
    page_url = submitted_programme.page.url
    for message in messages:
        assert "Valider le programme" in message.subject
        for institution in committee:
            assert f"Avis de {institution}." in message.body
        assert "Motivation de la décision." in message.body
        assert page_url in message.body

    # Sent once per recipient, even if the task runs again.
    decide = Task.objects.get(
        process__programmeprocess__programme=submitted_programme, flow_task=ProgrammeFlow.decide
    )
    mail.outbox.clear()
    assert send_task_notification(decide.pk, DECIDED) == 0
    assert mail.outbox == []


def test_a_revision_decision_is_sent_without_public_page(
    pilotage, submitted_programme, committee, chair, culture_editor
):
    pilotage.review_all(committee, submitted_programme, opinion="reserved")
    mail.outbox.clear()
    assert pilotage.decide(chair, submitted_programme, "revise").status_code == 302
    messages = decision_mails()
    assert len(messages) == len(committee) + 1
    assert all("Avis de dgefp." in m.body for m in messages)
    assert all("La page publique du programme" not in m.body for m in messages)
