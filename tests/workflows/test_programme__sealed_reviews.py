"""Committee reviews are sealed until the chair decides (issue 9, finding 4).

Before the decision a member sees their own review and how many were returned; the chair sees
all; after the decision the centre's committee and editors see them; the public never.
"""

import pytest
from django.core import mail
from django.urls import reverse
from viewflow.workflow.models import Task

from workflows.flows import ProgrammeFlow

pytestmark = pytest.mark.django_db

MARKER = "MARQUEUR-AVIS-DGEFP-7f3a"


@pytest.fixture
def dgefp_reviewed(pilotage, submitted_programme, committee):
    """comite.dgefp gave « Défavorable » with a marked comment; the round is not decided."""
    response = pilotage.do(
        committee["dgefp"],
        submitted_programme,
        "review_dgefp",
        {"opinion": "unfavourable", "comment": f"Budget irréaliste {MARKER}"},
    )
    assert response.status_code == 302
    return submitted_programme


def review_task(programme):
    return Task.objects.get(
        process__programmeprocess__programme=programme, flow_task=ProgrammeFlow.review_dgefp
    )


def pages(programme):
    process = programme.processes.get()
    task = review_task(programme)
    return {
        "programme": reverse("programme:programme_detail", args=[programme.pk]),
        "process": reverse("programme:process_detail", args=[process.pk]),
        "dashboard": reverse("programme:centre_dashboard", args=[programme.centre_id]),
        "csv": reverse("programme:programme_csv", args=[programme.pk]),
        "tasks": reverse("programme:task_list"),
        "archive": reverse("programme:archive"),
        "processes": reverse("programme:process_list"),
        "task_detail": task.flow_task.reverse("detail", args=[task.process_id, task.pk]),
    }


def body(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_before_the_decision_other_members_and_editors_see_only_the_count(
    client, dgefp_reviewed, committee, culture_editor, admin_user
):
    urls = pages(dgefp_reviewed)
    for user in (committee["cdc"], committee["avise"], culture_editor, admin_user):
        client.force_login(user)
        for name, url in urls.items():
            if name == "task_detail":
                continue
            assert MARKER not in body(client, url), (user.username, name)
            assert "Défavorable" not in body(client, url), (user.username, name)
        assert "1 avis rendu pour le tour en cours." in body(client, urls["programme"])
    # The review task's own page is refused to the other members and the editors.
    for user in (committee["cdc"], committee["avise"], culture_editor):
        client.force_login(user)
        assert client.get(urls["task_detail"]).status_code == 403, user.username
    # The site administrator may open it (to reassign it) but not read the opinion.
    client.force_login(admin_user)
    page = body(client, urls["task_detail"])
    assert MARKER not in page
    assert "Avis scellé jusqu&#x27;à la décision de la présidence." in page


def test_before_the_decision_the_author_and_the_chair_see_the_review(
    client, dgefp_reviewed, committee, chair
):
    urls = pages(dgefp_reviewed)
    client.force_login(committee["dgefp"])
    page = body(client, urls["programme"])
    assert MARKER in page
    assert "1 avis rendu pour le tour en cours." in page
    assert MARKER in body(client, urls["process"])
    assert MARKER in body(client, urls["task_detail"])
    client.force_login(chair)
    for name in ("programme", "process", "task_detail"):
        assert MARKER in body(client, urls[name]), name


def test_chair_sees_every_review_on_the_decision_page(pilotage, client, dgefp_reviewed, committee):
    others = {k: v for k, v in committee.items() if k != "dgefp"}
    pilotage.review_all(others, dgefp_reviewed)
    decide = pilotage.open_task(dgefp_reviewed, "decide")
    client.force_login(committee["porteuse"])
    assert MARKER in body(client, pilotage.execute_url(decide))


def test_after_the_decision_the_centre_sees_the_reviews(
    pilotage, client, dgefp_reviewed, committee, chair, culture_editor, make_user
):
    others = {k: v for k, v in committee.items() if k != "dgefp"}
    pilotage.review_all(others, dgefp_reviewed)
    assert pilotage.decide(chair, dgefp_reviewed, "revise").status_code == 302
    urls = pages(dgefp_reviewed)
    for user in (committee["cdc"], committee["avise"], culture_editor):
        client.force_login(user)
        assert MARKER in body(client, urls["programme"]), user.username
        assert MARKER in body(client, urls["process"]), user.username
        assert MARKER in body(client, urls["task_detail"]), user.username
    # The editor reads them again on the resubmission page.
    draft = pilotage.open_task(dgefp_reviewed, "draft")
    client.force_login(culture_editor)
    assert MARKER in body(client, pilotage.execute_url(draft))


def test_reviews_never_reach_the_public_nor_any_email(
    pilotage, client, dgefp_reviewed, committee, chair
):
    others = {k: v for k, v in committee.items() if k != "dgefp"}
    pilotage.review_all(others, dgefp_reviewed)
    pilotage.decide(chair, dgefp_reviewed, "approve")
    client.logout()
    assert MARKER not in body(client, reverse("programme-tracker"))
    page = dgefp_reviewed.page
    assert MARKER not in body(client, page.url)
    assert mail.outbox, "the scenario sends task e-mails"
    # Once decided, the opinions go to the people who may read them (the decision e-mail to
    # the centre's committee and editors, issue 17); never to anyone else, never before.
    from crdla.access import programmes as access

    audience = {user.email for user in access.decision_audience(dgefp_reviewed)}
    for message in mail.outbox:
        content = message.subject + message.body
        content += "".join(text for text, _kind in getattr(message, "alternatives", []))
        if MARKER in content:
            assert message.subject.startswith("Décision du comité"), message.subject
            assert set(message.to) <= audience, message.to


def test_viewflow_task_brief_never_shows_the_opinion(dgefp_reviewed):
    task = review_task(dgefp_reviewed)
    assert MARKER not in task.brief


def test_demo_programmes_sealed_under_review_and_open_once_decided(
    client, make_user, culture, sport, django_capture_on_commit_callbacks
):
    """The demo's backdated tasks: the programme under review keeps its reviews sealed from
    the other members; the approved one shows them to the centre's committee."""
    from django.utils import timezone

    from crdla.accounts import roles
    from workflows.demo import REVIEWS, load_demo
    from workflows.models import ActionProgramme

    from .test_programme__demo import FakeCommand

    committee = {
        institution: make_user(f"comite.{institution}")
        for institution in ("porteuse", "dgefp", "cdc", "ministere", "avise")
    }
    make_user("editeur.culture", roles.CENTRE_STAFF, culture.editors_group)
    make_user("editeur.sport", roles.CENTRE_STAFF, sport.editors_group)
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(FakeCommand())
    today = timezone.localdate()
    dgefp_comment = REVIEWS["dgefp"][1]
    under_review = ActionProgramme.objects.get(centre=culture, year=today.year)
    approved = ActionProgramme.objects.get(centre=culture, year=today.year - 1)
    client.force_login(committee["avise"])
    for programme, visible in ((under_review, False), (approved, True)):
        process = programme.processes.get()
        for url in (
            reverse("programme:programme_detail", args=[programme.pk]),
            reverse("programme:process_detail", args=[process.pk]),
        ):
            page = body(client, url).replace("&#x27;", "'")
            assert (dgefp_comment in page) is visible, (programme, url)
    client.force_login(committee["dgefp"])
    process = under_review.processes.get()
    page = body(client, reverse("programme:process_detail", args=[process.pk]))
    assert dgefp_comment in page.replace("&#x27;", "'")
