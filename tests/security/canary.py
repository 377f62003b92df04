"""The canary scenario: markers planted in every confidential object of the demo, and a
probe that fetches every output of the site as a given role and reports where each marker
shows.

Every planted text reads « vesperine <SECRET> »: the probe searches for « vesperine » (a word
found nowhere else) and looks for the secrets, so a search page that echoes its query never
counts as a leak. ``ALLOWED`` says who may see each secret; the test
(``test_canary.py``) fails when a secret reaches anyone else, and proves that it can fail by
requiring that each secret *is* found by its witness, a role allowed to see it.
"""

import io
import re
import time
from collections import defaultdict
from decimal import Decimal
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils.timezone import now
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from crdla.accounts import roles
from crdla.centres.models import CentrePage
from crdla.network.access import sync_network_group
from crdla.network.models import (
    AlertSubscription,
    DLAPage,
    ExchangeSpace,
    NetworkPage,
    SpaceMembership,
    SpaceReply,
    SpaceThread,
    SurveyPage,
)
from crdla.resources.models import ResourceIndexPage, ResourcePage

QUERY = "vesperine"

# The secrets, by the kind of confidential object that carries them.
RES_TITLE = "cnryrestitle"  # a DLA-only resource: title, summary, body
RES_SUMMARY = "cnryressummary"
RES_BODY = "cnryresbody"
DOC_TITLE = "cnrydoctitle"  # a document placed only in that resource's body
DOC_FILE = "cnrydocfile"  # the text inside that document's file
IMG_TITLE = "cnryimgtitle"  # an image placed only in that resource's body
THREAD = "cnrythread"  # an exchange space's thread and reply
REPLY = "cnryreply"
REVIEW = "cnryreview"  # a committee review comment, before the chair's decision
DRAFT = "cnrydraft"  # another centre's unpublished draft
SURVEY = "cnrysurvey"  # the free text of a survey answer
SUBSCRIBER = "cnrysubscriber"  # an unconfirmed provider's address

# Who may see what. The DLA network: every officer and animator (of any region), every
# centre's staff and the site administrators (the groups of the view restriction).
NETWORK = {
    "admin",
    "expert.culture",
    "editeur.culture",
    "expert.sport",
    "editeur.sport",
    "cm.dla08",
    "cm.dla10",
    "animateur.grandest",
    "cm.autre",
}
ALLOWED = {
    RES_TITLE: NETWORK,
    RES_SUMMARY: NETWORK,
    RES_BODY: NETWORK,
    DOC_TITLE: NETWORK,
    DOC_FILE: NETWORK,
    IMG_TITLE: NETWORK,
    # Members only: administrators and the animator manage a space without reading it.
    THREAD: {"cm.dla08"},
    REPLY: {"cm.dla08"},
    # Sealed until the decision: the reviewer and the chair (and the site administrator,
    # who runs the process).
    REVIEW: {"comite.porteuse", "admin"},  # and the reviewer (``Scenario.reviewer``)
    # Sport's own staff and the site administrators.
    DRAFT: {"expert.sport", "editeur.sport", "admin"},
    # The author, the network's animator and the site administrators.
    SURVEY: {"cm.dla08", "animateur.grandest", "admin"},
    SUBSCRIBER: {"admin"},
}
WITNESS = {
    RES_TITLE: "cm.autre",
    RES_SUMMARY: "cm.dla10",
    RES_BODY: "cm.dla10",
    DOC_TITLE: "expert.culture",
    DOC_FILE: "cm.dla08",
    IMG_TITLE: "expert.culture",
    THREAD: "cm.dla08",
    REPLY: "cm.dla08",
    REVIEW: "comite.porteuse",
    DRAFT: "expert.sport",
    SURVEY: "animateur.grandest",
    SUBSCRIBER: "admin",
}
ANONYMOUS = "anonyme"
ROLES = [
    ANONYMOUS,
    "admin",
    "expert.culture",
    "editeur.culture",
    "expert.sport",
    "editeur.sport",
    "comite.porteuse",
    "comite.dgefp",
    "comite.cdc",
    "comite.ministere",
    "comite.avise",
    "cm.dla08",  # member of the canary space, author of the survey answer
    "cm.dla10",  # same network, not a member of the space
    "animateur.grandest",
    "cm.autre",  # an officer of another regional network
]

# Links never followed: they change state on GET or end the session.
SKIP = re.compile(
    r"/(deconnexion|logout|alertes/(confirmer|desinscription|renouveler)|langue/[a-z-]+)/"
    r"|/admin/(logout|.*/(delete|unpublish|move|copy|lock|unlock|revisions/\d+/revert)/)"
)
# Bounds of the crawl: a handful of URLs per kind of page, a ceiling per role.
PER_KIND = 1
PER_ROLE = 45


def text(secret):
    return f"{QUERY} {secret.upper()}"


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (40, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


class Scenario:
    """Plants the markers in the demo content (``load_initial_data`` must have run)."""

    def __init__(self):
        self.users = {u.username: u for u in get_user_model().objects.all()}
        self.urls = []  # direct URLs every role probes, whether linked or not

    def plant(self):
        self.another_network_officer()
        self.restricted_resource()
        self.space()
        self.review()
        self.draft()
        self.survey_answer()
        self.subscriber()
        return self

    def another_network_officer(self):
        grand_est = self.users["cm.dla08"].profile.network
        network = NetworkPage.objects.exclude(pk=grand_est.pk).first()
        dla = DLAPage.objects.child_of(network).first()
        user = get_user_model().objects.create_user(
            "cm.autre", email="cm.autre@example.org", password="x", first_name="Autre"
        )
        user.profile.network, user.profile.dla = network, dla
        user.profile.save()
        user.groups.add(roles_group(roles.DLA_OFFICERS))
        assert user.groups.filter(pk=sync_network_group(network).pk).exists()
        self.users["cm.autre"] = user

    def restricted_resource(self):
        culture = CentrePage.objects.get(slug="culture")
        index = ResourceIndexPage.objects.child_of(culture).first()
        document = get_document_model().objects.create(
            title=text(DOC_TITLE),
            file=ContentFile(text(DOC_FILE).encode(), name="canari.txt"),
        )
        image = get_image_model().objects.create(
            title=text(IMG_TITLE), file=ContentFile(png_bytes(), name="canari.png")
        )
        page = ResourcePage(
            title=text(RES_TITLE),
            slug="ressource-canari",
            kind=ResourcePage._meta.get_field("kind").choices[0][0],
            summary=text(RES_SUMMARY),
            visibility="dla",
            body=[
                ("paragraph", RichText(f"<p>{text(RES_BODY)}</p>")),
                ("image", {"image": image, "alt": "", "caption": ""}),
                (
                    "paragraph",
                    RichText(f'<p><a linktype="document" id="{document.pk}">fiche</a></p>'),
                ),
            ],
        )
        page.documents.add(page.documents.model(document=document))
        index.add_child(instance=page)
        page.save_revision(user=self.users["expert.culture"]).publish()
        page.refresh_from_db()
        self.resource, self.document, self.image = page, document, image
        rendition = image.get_rendition("fill-64x48")
        self.urls += [page.url, document.url, image.file.url, rendition.url]

    def space(self):
        network = self.users["cm.dla08"].profile.network
        space = ExchangeSpace.objects.create(
            network=network, title="Espace du canari", description="Pour les membres."
        )
        SpaceMembership.objects.create(space=space, user=self.users["cm.dla08"])
        thread = SpaceThread.objects.create(
            space=space, author=self.users["cm.dla08"], title=text(THREAD), body=text(THREAD)
        )
        SpaceReply.objects.create(thread=thread, author=self.users["cm.dla08"], body=text(REPLY))
        self.urls += [
            f"/reseaux/espaces/{space.pk}/",
            f"/reseaux/espaces/{space.pk}/membres/",
            f"/reseaux/espaces/{space.pk}/discussions/{thread.pk}/",
        ]

    def review(self):
        """A review of Culture's programme returned, the chair's decision not taken yet."""
        from viewflow.workflow.models import Task
        from viewflow.workflow.status import STATUS

        from tests.workflows.conftest import Pilotage, fill_programme
        from workflows.models import ActionProgramme

        programme = ActionProgramme.objects.get(centre__slug="culture", year=2026)
        pilotage = Pilotage(Client(), lambda execute: _NoCapture())
        process = Pilotage.process(programme)
        open_tasks = Task.objects.filter(process=process, status__in=[STATUS.NEW, STATUS.ASSIGNED])
        if open_tasks.filter(flow_task_type="HUMAN", owner__username="editeur.culture").exists():
            if not programme.axis_blocks.filter(actions__isnull=False).exists():
                fill_programme(programme, budget=Decimal("1000"))
            response = pilotage.submit(self.users["editeur.culture"], programme)
            assert response.status_code == 302, response.content.decode()[:3000]
        review = (
            open_tasks.filter(owner__username__startswith="comite.")
            .exclude(owner__username="comite.porteuse")
            .select_related("owner")
            .first()
        )
        assert review is not None, "no open review in the demo"
        reviewer = review.owner.username
        name = review.flow_task.name
        response = pilotage.do(
            self.users[reviewer],
            programme,
            name,
            {"opinion": "unfavourable", "comment": text(REVIEW)},
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        self.reviewer = reviewer
        self.urls += [f"/pilotage/{process.pk}/", f"/pilotage/programmes/{programme.pk}/"]
        self.urls += [
            task.flow_task.reverse("detail", args=[process.pk, task.pk])
            for task in process.task_set.filter(flow_task_type="HUMAN")
        ]

    def draft(self):
        sport = CentrePage.objects.get(slug="sport")
        index = ResourceIndexPage.objects.child_of(sport).first()
        page = ResourcePage(
            title=text(DRAFT),
            slug="brouillon-canari",
            kind=ResourcePage._meta.get_field("kind").choices[0][0],
            summary=text(DRAFT),
            live=False,
        )
        index.add_child(instance=page)
        page.save_revision(user=self.users["expert.sport"])
        self.urls += [
            f"/admin/pages/{page.pk}/edit/",
            f"/admin/pages/{page.pk}/view_draft/",
            f"/admin/pages/{index.pk}/",
        ]

    def survey_answer(self):
        survey = SurveyPage.objects.live().first()
        # One answer per officer: the canary's answer replaces any demo answer of its author.
        survey.get_submission_class().objects.filter(
            page=survey, user=self.users["cm.dla08"]
        ).delete()
        client = Client()
        client.force_login(self.users["cm.dla08"])
        data = {}
        for field in survey.form_fields.all():
            choices = [c.strip() for c in field.choices.splitlines() if c.strip()]
            if not choices and "," in field.choices:
                choices = [c.strip() for c in field.choices.split(",")]
            data[field.clean_name] = choices[0] if choices else text(SURVEY)
        response = client.post(survey.url, data)
        assert response.status_code in (200, 302), response.status_code
        assert (
            survey.get_submission_class()
            .objects.filter(page=survey, user=self.users["cm.dla08"])
            .exists()
        )
        self.urls += [
            f"/reseaux/enquetes/{survey.pk}/resultats/",
            f"/reseaux/enquetes/{survey.pk}/resultats.csv",
        ]

    def subscriber(self):
        AlertSubscription.objects.create(
            email=f"{SUBSCRIBER}@example.org", consent_text="J'accepte.", consent_at=now()
        )


def roles_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=name)


class _NoCapture:
    """On-commit callbacks run at once outside a test transaction; nothing to capture."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


SEARCHES = [
    f"/recherche/?q={QUERY}",
    f"/recherche/api/?q={QUERY}",
    f"/recherche/suggestions/?q={QUERY[:5]}",
    f"/api/v2/pages/?search={QUERY}",
    "/api/v2/pages/?limit=20&order=-id",
    "/api/v2/documents/?limit=20&order=-id",
    "/api/v2/images/?limit=20&order=-id",
    f"/admin/pages/search/?q={QUERY}",
    f"/admin/choose-page/search/?q={QUERY}",
    f"/admin/documents/?q={QUERY}",
    f"/admin/documents/chooser/?q={QUERY}",
    f"/admin/images/?q={QUERY}",
    f"/admin/images/chooser/?q={QUERY}",
    "/admin/documents/",
    "/admin/images/",
    "/admin/reports/site-history/",
    "/admin/reports/locked/",
    "/admin/pages/",
    "/admin/snippets/",
    "/admin/snippets/network/alertsubscription/",
    "/admin/snippets/network/alertdelivery/",
    "/django-admin/",
]
SEEDS = ["/", "/admin/", "/pilotage/", "/sitemap.xml", "/donnees/", "/reseaux/espaces/"]


class Probe:
    """Fetches what one role can reach and records where each secret shows."""

    def __init__(self, role, user, direct_urls, page_kinds):
        self.role = role
        self.page_kinds = page_kinds
        self.client = Client(raise_request_exception=False)
        if user is not None:
            self.client.force_login(user)
        self.direct = list(direct_urls)
        self.found = defaultdict(set)  # secret → URLs
        self.errors = {}  # URL → status (5xx)
        self.fetched = 0
        self.seconds = defaultdict(float)  # kind of URL → time spent

    def run(self):
        queue = [*self.direct, *SEARCHES, *SEEDS]
        seen, per_kind = set(), defaultdict(int)
        forced = set(queue)
        while queue and self.fetched < PER_ROLE + len(forced):
            url = queue.pop(0)
            if url in seen or SKIP.search(url):
                continue
            seen.add(url)
            kind = self.kind(url)
            if kind is None:
                continue
            if url not in forced:
                if per_kind[kind] >= PER_KIND:
                    continue
                per_kind[kind] += 1
            started = time.monotonic()
            body, links = self.fetch(url)
            self.seconds[kind] += time.monotonic() - started
            self.look(url, body)
            queue.extend(link for link in links if link not in seen)
        return self

    def kind(self, url):
        """Pages count by type, other views by name: one URL of each is enough."""
        path = urlsplit(url).path
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.view_name in ("wagtail_serve", ""):
            return f"page:{self.page_kinds.get(path, path)}:{'?' in url}"
        return f"{match.view_name}:{'?' in url}"

    def fetch(self, url):
        self.fetched += 1
        response = self.client.get(url)
        if response.status_code >= 500:
            self.errors[url] = response.status_code
        if response.status_code in (301, 302) and response.get("Location"):
            location = urljoin(url, response["Location"])
            return b"", [location] if same_site(location) else []
        if getattr(response, "streaming", False):
            content = b"".join(response.streaming_content)
        else:
            content = response.content
        links = []
        kind = response.get("Content-Type", "")
        if "html" in kind or "xml" in kind or "json" in kind:
            for href in re.findall(rb'(?:href|src|action)="([^"#]+)"|<loc>([^<]+)</loc>', content):
                link = unescape((href[0] or href[1]).decode())
                absolute = urldefrag(urljoin(url, link))[0]
                if same_site(absolute):
                    links.append(local(absolute))
        return content, links

    def look(self, url, body):
        lowered = body.lower()
        for secret in ALLOWED:
            if secret.encode() in lowered:
                self.found[secret].add(url)


def page_kinds():
    """Each live page's path → its type, so that the crawl opens one page of each type."""
    from wagtail.models import Page

    return {page.url: type(page).__name__ for page in Page.objects.live().specific()}


def same_site(url):
    parts = urlsplit(url)
    return parts.scheme in ("", "http", "https") and parts.netloc in (
        "",
        "testserver",
        "localhost",
        "localhost:8000",
    )


def local(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def mails_by_role(users):
    """Secrets in the e-mails sent so far, by the role of each recipient."""
    by_address = {u.email.lower(): name for name, u in users.items() if u.email}
    found = defaultdict(set)
    for message in mail.outbox:
        parts = [message.subject, message.body]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        content = " ".join(str(p) for p in parts).lower()
        for address in message.recipients():
            role = by_address.get(address.lower())
            if role is None:
                continue
            for secret in ALLOWED:
                if secret in content:
                    found[secret].add((role, f"courriel « {message.subject} »"))
    return found
