"""The whole year through the HTTP views, role by role: start → submit → five reviews →
approval (frozen version, public page) → reports → acknowledgements → evaluation → end."""

from decimal import Decimal

from django.core import mail
from django.urls import reverse
from viewflow.workflow.status import PROCESS, STATUS

from workflows.models import (
    CommitteeReview,
    FollowUpReport,
    ProgrammePage,
    ProgrammeStatus,
)


def test_full_year_end_to_end(
    pilotage, client, submitted_programme, committee, chair, culture_editor
):
    programme = submitted_programme
    process = pilotage.process(programme)
    assert programme.status == ProgrammeStatus.SUBMITTED
    assert programme.versions.count() == 1
    review_tasks = process.task_set.filter(flow_task_type="HUMAN", status=STATUS.ASSIGNED)
    assert review_tasks.count() == 5
    assert {t.owner for t in review_tasks} == set(committee.values())
    # each reviewer was e-mailed when their task opened
    assert {m.to[0] for m in mail.outbox} >= {u.email for u in committee.values()}

    pilotage.review_all(committee, programme)
    assert CommitteeReview.objects.filter(programme=programme, round=1).count() == 5

    response = pilotage.decide(chair, programme, "approve", budget="4000")
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.APPROVED
    assert programme.budget_allocated == Decimal("4000")
    assert programme.decision_date is not None
    version = programme.approved_version
    assert version.number == 1 and version.is_approved
    assert len(version.snapshot["axes"]) == 4

    page = ProgrammePage.objects.get(programme=programme)
    assert page.live and page.get_parent().pk == programme.centre.pk
    client.logout()
    public = client.get(page.url)
    assert public.status_code == 200
    body = public.content.decode()
    assert "Action de l&#x27;axe 1" in body or "Action de l'axe 1" in body
    assert "pas encore renseigné" in body

    indicators = list(programme.indicators().order_by("pk"))
    lines = list(programme.financing_lines.all())
    report = {"comment": "Premier semestre conforme."}
    report.update({f"actual_{i.pk}": "4" for i in indicators})
    report.update({f"spent_{line.pk}": "500" for line in lines})
    assert pilotage.do(culture_editor, programme, "mid_year_report", report).status_code == 302
    ack = {"acknowledgement": "Bilan pris en compte."}
    assert pilotage.do(chair, programme, "acknowledge_mid_year", ack).status_code == 302

    client.logout()
    body = client.get(page.url).content.decode()
    assert "(40\xa0%)" in body  # 4 of 10 structures

    report["comment"] = "Année terminée."
    report.update({f"actual_{i.pk}": "12" for i in indicators})
    assert pilotage.do(culture_editor, programme, "final_report", report).status_code == 302
    assert pilotage.do(chair, programme, "acknowledge_final", ack).status_code == 302
    assert (
        FollowUpReport.objects.filter(programme=programme, acknowledged_at__isnull=False).count()
        == 2
    )

    evaluation = {"rating": "achieved", "assessment": "Objectifs atteints.", "recommendations": ""}
    assert pilotage.do(chair, programme, "evaluate", evaluation).status_code == 302
    process.refresh_from_db()
    programme.refresh_from_db()
    assert process.status == PROCESS.DONE and process.finished is not None
    assert programme.status == ProgrammeStatus.EVALUATED
    client.logout()
    assert "(120\xa0%)" in client.get(page.url).content.decode()

    # the full history is readable by the committee and the centre's editors
    for user in (committee["cdc"], culture_editor):
        client.force_login(user)
        response = client.get(reverse("programme:process_detail", args=[process.pk]))
        assert response.status_code == 200
        text = response.content.decode()
        assert "Avis de cdc." in text and "Objectifs atteints." in text
        assert "Version 1 soumise au comité." in text
