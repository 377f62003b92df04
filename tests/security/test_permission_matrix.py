"""Permission matrix: every URL of the project × every role → expected status.

Providers have no account (they are anonymous visitors); committee members and chairs have
no page of their own yet, so they behave as logged-in users outside the DLA network. When a
feature adds URL names, ``test_every_project_url_name_is_in_the_matrix`` fails until the
matrix below says who may open them.
"""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.documents.models import Document

from crdla.accounts import roles
from tests.public_site import add_network_and_search_pages, build_public_site

ROLES = [
    "anonyme",
    "prestataire",
    "expert",
    "editeur",
    "comite",
    "president",
    "charge_mission",
    "animateur",
    "admin",
]
NETWORK = {"expert", "editeur", "charge_mission", "animateur", "admin"}
ADMIN_ACCESS = NETWORK  # the groups with Wagtail's access_admin permission
OWN_PROJECT_PACKAGES = ("crdla", "workflows", "search")

OK, LOGIN, DENIED = 200, "login", "denied"


def everyone(status):
    return dict.fromkeys(ROLES, status)


def only(allowed, status=OK, otherwise=LOGIN):
    return {role: status if role in allowed else otherwise for role in ROLES}


# name → (method, path builder, expected per role). Paths are built from the public site.
MATRIX = {
    "healthz": ("get", lambda s: "/healthz/", everyone(OK)),
    # Readiness: public like /healthz/ (no secret in it; eager Celery has no broker to probe).
    "readyz": ("get", lambda s: "/readyz/", everyone(OK)),
    "favicon": ("get", lambda s: "/favicon.ico", everyone(301)),
    # Password reset (Django's views): open to everyone, no account revealed.
    "password_reset": ("get", lambda s: "/mot-de-passe-oublie/", everyone(OK)),
    "password_reset_done": ("get", lambda s: "/mot-de-passe-oublie/envoye/", everyone(OK)),
    "password_reset_confirm": (
        "get",
        lambda s: "/nouveau-mot-de-passe/Mw/mauvais-jeton/",
        everyone(OK),  # « lien invalide » page
    ),
    "password_reset_complete": (
        "get",
        lambda s: "/nouveau-mot-de-passe/enregistre/",
        everyone(OK),
    ),
    "login": ("get", lambda s: "/connexion/", everyone(OK)),
    "logout": ("post", lambda s: "/deconnexion/", everyone(302)),
    # « Mon espace » redirects every signed-in role to its work (tests/accounts/test_workspace.py).
    "workspace": (
        "get",
        lambda s: "/mon-espace/",
        {**everyone(302), "anonyme": LOGIN, "prestataire": LOGIN},
    ),
    "sitemap": ("get", lambda s: "/sitemap.xml", everyone(OK)),
    "feed-resources": ("get", lambda s: "/flux/ressources/", everyone(OK)),
    "choose-language": ("get", lambda s: "/langue/en/?next=/", everyone(302)),
    # Files follow the live pages that use them (issue 9): the public resource's document
    # and images for everyone, the DLA-only resource's for the network (403 to others
    # signed in). Declared below, with ``members_only``.
    "wagtailadmin_home": ("get", lambda s: "/admin/", only(ADMIN_ACCESS, otherwise="admin-login")),
    "admin:index": ("get", lambda s: "/django-admin/", only({"admin"}, otherwise="admin-login")),
    # Wagtail pages (the catch-all "wagtail_serve"), one per page type and visibility.
    "page:accueil": ("get", lambda s: "/", everyone(OK)),
    "page:centre": ("get", lambda s: s["centre"].url, everyone(OK)),
    "page:ressources": ("get", lambda s: s["resource_index"].url, everyone(OK)),
    "page:ressource": ("get", lambda s: s["resource"].url, everyone(OK)),
    # DLA-only pages: anonymous → login page, signed in outside the network → 403.
    "page:ressource-reservee": (
        "get",
        lambda s: s["restricted_resource"].url,
        {**only(NETWORK), "comite": 403, "president": 403},
    ),
    "page:actualites": ("get", lambda s: s["news_index"].url, everyone(OK)),
    "page:actualite": ("get", lambda s: s["news"].url, everyone(OK)),
    "page:actualite-reservee": (
        "get",
        lambda s: s["restricted_news"].url,
        {**only(NETWORK), "comite": 403, "president": 403},
    ),
    "page:evenement": ("get", lambda s: s["event"].url, everyone(OK)),
    "page:evenement-reserve": (
        "get",
        lambda s: s["restricted_event"].url,
        {**only(NETWORK), "comite": 403, "president": 403},
    ),
    "page:reseau": ("get", lambda s: s["network"].url, everyone(OK)),
    "page:dla": ("get", lambda s: s["dla"].url, everyone(OK)),
    "page:standard": ("get", lambda s: s["legal"].url, everyone(OK)),
    # Wagtail admin: editing a resource of the culture centre.
    "admin:edit-resource": (
        "get",
        lambda s: f"/admin/pages/{s['resource'].pk}/edit/",
        {
            **only({"expert", "editeur", "admin"}, otherwise=DENIED),
            "anonyme": "admin-login",
            "prestataire": "admin-login",
            "comite": "admin-login",
            "president": "admin-login",
        },
    ),
    "admin:publish-resource": (
        "get",
        lambda s: f"/admin/pages/{s['resource'].pk}/unpublish/",
        {
            **only({"editeur", "admin"}, otherwise=DENIED),
            "anonyme": "admin-login",
            "prestataire": "admin-login",
            "comite": "admin-login",
            "president": "admin-login",
        },
    ),
}
NETWORK_MEMBERS = {"charge_mission", "animateur", "admin"}  # of the site's regional network
ANIMATOR = {"animateur", "admin"}  # the network's animator; a superuser animates every network
PILOTAGE = {"editeur", "comite", "president", "admin"}
NOT_FOUND = 404


def signed_in(status, **per_role):
    """Anonymous visitors (and providers, who have no account) go to the login page."""
    return {**everyone(status), "anonyme": LOGIN, "prestataire": LOGIN, **per_role}


def members_only(allowed, status=OK, otherwise=403, **per_role):
    return signed_in(otherwise, **dict.fromkeys(allowed, status), **per_role)


MATRIX.update(
    {
        "wagtaildocs_serve": ("get", lambda s: s["document"].url, everyone(OK)),
        "wagtaildocs_serve:reserve": (
            "get",
            lambda s: s["restricted_document"].url,
            members_only(NETWORK),
        ),
        "media": ("get", lambda s: s["home"].cover_image.file.url, everyone(OK)),
        "media:rendition": (
            "get",
            lambda s: s["home"].cover_image.get_rendition("fill-80x40").url,
            everyone(OK),
        ),
        "media:reserve": (
            "get",
            lambda s: s["restricted_resource"].cover_image.file.url,
            members_only(NETWORK),
        ),
        # Knowledge-base search: public; DLA-only content filtered per user (checked below).
        "search": ("get", lambda s: "/recherche/?q=guide", everyone(OK)),
        "search-api": ("get", lambda s: "/recherche/api/?q=guide", everyone(OK)),
        "search-autocomplete": ("get", lambda s: "/recherche/suggestions/?q=gui", everyone(OK)),
        # Calls for tenders and provider alerts: public, no account.
        "network:calls": ("get", lambda s: "/consultations/", everyone(OK)),
        # Findability (issue 10): public sections, no account.
        "resources:all": ("get", lambda s: "/ressources/", everyone(OK)),
        "programme-tracker": ("get", lambda s: "/programmes/", everyone(OK)),
        "network:find-dla": ("get", lambda s: "/trouver-mon-dla/?q=51100", everyone(OK)),
        "network:find-dla-departement": (
            "get",
            lambda s: "/trouver-mon-dla/departement/2A/",
            everyone(OK),
        ),
        "network:calls-feed": ("get", lambda s: "/consultations/rss/", everyone(OK)),
        "network:alerts-subscribe": ("get", lambda s: "/alertes/", everyone(OK)),
        "network:alerts-pending": (
            "get",
            lambda s: "/alertes/verifiez-vos-courriels/",
            everyone(OK),
        ),
        "network:alerts-confirm": (
            "get",
            lambda s: s["alert_link"]("confirmer", "confirm"),
            everyone(OK),
        ),
        "network:alerts-unsubscribe": (
            "get",
            lambda s: s["alert_link"]("desinscription", "unsubscribe"),
            everyone(OK),
        ),
        "network:alerts-preferences": (
            "get",
            lambda s: s["alert_link"]("preferences", "preferences"),
            everyone(OK),
        ),
        "network:alerts-reconsent": (
            "get",
            lambda s: s["alert_link"]("renouveler", "reconsent"),
            everyone(OK),
        ),
        "network:alerts-forged-link": (
            "get",
            lambda s: "/alertes/preferences/faux-jeton/",
            everyone(NOT_FOUND),
        ),
        # Exchange spaces (issue 9): contents for members only; the network's animator and
        # the administrator see the space (to manage or join it) but not its threads (403);
        # others get a 404.
        "network:space-list": ("get", lambda s: "/reseaux/espaces/", signed_in(OK)),
        "network:space-create": (
            "get",
            lambda s: "/reseaux/espaces/nouveau/",
            members_only(ANIMATOR),
        ),
        "network:space-detail": (
            "get",
            lambda s: f"/reseaux/espaces/{s['space'].pk}/",
            members_only(NETWORK_MEMBERS, otherwise=NOT_FOUND),
        ),
        "network:space-members": (
            "get",
            lambda s: f"/reseaux/espaces/{s['space'].pk}/membres/",
            members_only(ANIMATOR, otherwise=NOT_FOUND, charge_mission=403),
        ),
        "network:space-leave": (
            "get",
            lambda s: f"/reseaux/espaces/{s['space'].pk}/quitter/",
            signed_in(405),
        ),
        "network:space-thread": (
            "get",
            lambda s: f"/reseaux/espaces/{s['space'].pk}/discussions/{s['thread'].pk}/",
            members_only({"charge_mission"}, otherwise=NOT_FOUND, animateur=403, admin=403),
        ),
        "network:space-join": (
            "get",
            lambda s: f"/reseaux/espaces/{s['space'].pk}/rejoindre/",
            signed_in(405),
        ),
        "network:space-close": (
            "get",
            lambda s: f"/reseaux/espaces/{s['space'].pk}/fermer/",
            signed_in(405),
        ),
        # The regional programme and its vote: the network's officers and animator.
        "network:programme-list": (
            "get",
            lambda s: "/reseaux/vote/",
            members_only(NETWORK_MEMBERS),
        ),
        "network:programme-create": (
            "get",
            lambda s: "/reseaux/vote/nouveau/",
            members_only(ANIMATOR),
        ),
        "network:programme-detail": (
            "get",
            lambda s: f"/reseaux/vote/{s['regional_programme'].pk}/",
            members_only(NETWORK_MEMBERS),
        ),
        "network:programme-edit": (
            "get",
            lambda s: f"/reseaux/vote/{s['regional_programme'].pk}/modifier/",
            members_only(ANIMATOR),
        ),
        "network:programme-submit": (
            "get",
            lambda s: f"/reseaux/vote/{s['regional_programme'].pk}/soumettre/",
            signed_in(405),
        ),
        "network:programme-vote": (
            "get",
            lambda s: f"/reseaux/vote/{s['regional_programme'].pk}/voter/",
            signed_in(405),
        ),
        "network:survey-results": (
            "get",
            lambda s: f"/reseaux/enquetes/{s['survey'].pk}/resultats/",
            members_only(ANIMATOR),
        ),
        "network:survey-export": (
            "get",
            lambda s: f"/reseaux/enquetes/{s['survey'].pk}/resultats.csv",
            members_only(ANIMATOR),
        ),
        # Programme process (/pilotage/): the centres' editors and the seated committee
        # members; the other roles have nothing to do there (403).
        "programme:index": ("get", lambda s: "/pilotage/", members_only(PILOTAGE)),
        "programme:inbox": ("get", lambda s: "/pilotage/inbox/", members_only(PILOTAGE)),
        # Public programme page (Wagtail), published when the committee approves.
        "page:programme": ("get", lambda s: s["programme_page"].url, everyone(OK)),
        "page:consultation": ("get", lambda s: s["call"].url, everyone(OK)),
        "page:annuaire": ("get", lambda s: s["directory"].url, everyone(OK)),
        "page:intranet": ("get", lambda s: s["intranet"].url, members_only(NETWORK_MEMBERS)),
        # Open data: public and anonymous by design, the same answer for every role (a
        # DLA-only page is unknown to the API even for the administrator).
        "opendata:api-schema": ("get", lambda s: "/api/v2/schema/", everyone(OK)),
        "opendata:api-documentation": ("get", lambda s: "/donnees/api/", everyone(OK)),
        "api:pages:listing": ("get", lambda s: "/api/v2/pages/", everyone(OK)),
        "api:pages:detail": (
            "get",
            lambda s: f"/api/v2/pages/{s['resource'].pk}/",
            everyone(OK),
        ),
        "api:pages:detail-reservee": (
            "get",
            lambda s: f"/api/v2/pages/{s['restricted_resource'].pk}/",
            everyone(NOT_FOUND),
        ),
        "api:documents:listing": ("get", lambda s: "/api/v2/documents/", everyone(OK)),
        "api:images:listing": ("get", lambda s: "/api/v2/images/", everyone(OK)),
        "opendata:catalogue": ("get", lambda s: "/donnees/", everyone(OK)),
        "opendata:dcat": ("get", lambda s: "/donnees/catalogue.jsonld", everyone(OK)),
        "opendata:export": ("get", lambda s: "/donnees/consultations.csv", everyone(OK)),
        "opendata:calendar": (
            "get",
            lambda s: "/donnees/calendriers/evenements.ics",
            everyone(OK),
        ),
        "opendata:centre-calendar": (
            "get",
            lambda s: f"/donnees/calendriers/{s['centre'].slug}/consultations.ics",
            everyone(OK),
        ),
        "opendata:centre-feed": (
            "get",
            lambda s: f"/flux/centres/{s['centre'].slug}/",
            everyone(OK),
        ),
    }
)
# Names covered by a representative above (third-party URL sets are not enumerated).
COVERED_ELSEWHERE = {"wagtail_serve", "wagtail_serve_root"}


@pytest.fixture
def site(home):
    from django.core.cache import cache

    from tests.factories import ImageFactory

    cache.clear()  # Wagtail caches renditions by image id, which the next test's database reuses
    site = add_network_and_search_pages(build_public_site(home, resources=2))
    for key in ("document", "restricted_document"):
        document = Document.objects.create(title=f"Fiche {key}")
        document.file.save(f"{key}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        site[key] = document
    site["resource"].documents.add(site["resource"].documents.model(document=site["document"]))
    site["resource"].save_revision().publish()
    restricted = site["restricted_resource"]
    restricted.documents.add(restricted.documents.model(document=site["restricted_document"]))
    restricted.cover_image = ImageFactory(title="Photo réservée au réseau")
    restricted.cover_decorative = True
    restricted.save_revision().publish()
    return site


@pytest.fixture
def users(site, make_user):
    from tests.factories import CentrePageFactory

    culture = site["centre"]
    sport = CentrePageFactory(parent=site["home"], slug="sport", short_name="CRDLA Sport")
    return {
        "anonyme": None,
        "prestataire": None,
        "expert": make_user("expert.culture", roles.CENTRE_STAFF, culture.experts_group),
        "editeur": make_user("editeur.culture", roles.CENTRE_STAFF, culture.editors_group),
        # An editor of another centre is denied the culture resource like the officer.
        "_editeur_sport": make_user("editeur.sport", roles.CENTRE_STAFF, sport.editors_group),
        "comite": make_user("comite.dgefp"),
        "president": make_user("comite.porteuse"),
        "charge_mission": make_user("cm.dla51", roles.DLA_OFFICERS),
        "animateur": make_user("animateur.grandest", roles.ANIMATORS),
        "admin": make_user("admin", is_superuser=True, is_staff=True),
    }


def check(response, expected, path):
    if expected == LOGIN:
        assert response.status_code == 302, path
        assert response["Location"].startswith("/connexion/?next="), response["Location"]
    elif expected == "admin-login":
        assert response.status_code == 302, path
        assert response["Location"].startswith(("/admin/login/", "/django-admin/login/"))
    elif expected == DENIED:
        # Wagtail turns a permission error into a redirect to the dashboard with a message.
        assert response.status_code in (302, 403), path
        if response.status_code == 302:
            assert response["Location"] == "/admin/", response["Location"]
    else:
        assert response.status_code == expected, (path, response.status_code)


@pytest.fixture
def network_content(site, users):
    """The regional network's private content: officer and animator attached to the site's
    network, an exchange space with a thread, a draft regional programme, a survey, the
    intranet, and a confirmed provider subscription with its signed links."""
    from crdla.centres.models import CommitteeSeat
    from crdla.network.models import (
        ExchangeSpace,
        IntranetPage,
        RegionalProgramme,
        SpaceMembership,
        SpaceThread,
        SurveyPage,
    )
    from crdla.network.tokens import make_token
    from search.backends import get_backend
    from search.indexing import iter_documents
    from tests.network.factories import AlertSubscriptionFactory

    network, officer, animator = site["network"], users["charge_mission"], users["animateur"]
    officer.profile.dla, officer.profile.network = site["dla"], network
    officer.profile.save()
    animator.profile.network = network
    animator.profile.save()
    space = ExchangeSpace.objects.create(network=network, title="Espace outils partagés")
    SpaceMembership.objects.create(space=space, user=officer)
    thread = SpaceThread.objects.create(
        space=space, author=officer, title="Trame de diagnostic", body="Qui a une trame ?"
    )
    programme = RegionalProgramme.objects.create(
        network=network, year=2027, title="Programme commun 2027", created_by=animator
    )
    survey = SurveyPage(title="Enquête 2026", slug="enquete-2026", year=2026)
    network.add_child(instance=survey)
    intranet = IntranetPage(title="Intranet du réseau", slug="intranet")
    network.add_child(instance=intranet)
    intranet.save_revision().publish()
    subscription = AlertSubscriptionFactory(confirmed_at=timezone.now())
    restricted = site["restricted_resource"]
    restricted.themes.set(site["resource"].themes.all())
    restricted.sectors.set(site["resource"].sectors.all())
    restricted.save_revision().publish()  # now "similar" to the public ones
    get_backend().rebuild(iter_documents())  # on_commit indexing does not run in this test
    for role, institution in (("comite", "dgefp"), ("president", "porteuse")):
        CommitteeSeat.objects.create(
            centre=site["centre"],
            institution=institution,
            user=users[role],
            is_chair=role == "president",
        )
    site.update(
        space=space,
        thread=thread,
        regional_programme=programme,
        survey=survey,
        intranet=intranet,
        alert_link=lambda word, action: f"/alertes/{word}/{make_token(subscription, action)}/",
    )
    return site


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, site, users, network_content, role):
    """Each URL answers as expected; restricted pages stay out of sitemap, feed and listings."""
    user = users[role]
    if user is not None:
        client.force_login(user)
    for name, (method, build_path, expected) in MATRIX.items():
        path = build_path(site)
        response = getattr(client, method)(path)
        check(response, expected[role], f"{name} {path} ({role})")
        if user is not None and method == "post" and name == "logout":
            client.force_login(user)
    restricted_content_absent_from_sitemap_and_feed(client, site)
    restricted_content_absent_from_open_data(client, site)
    restricted_content_listed_only_for_the_network(client, site, role)
    restricted_content_searchable_only_by_the_network(client, site, role)


def test_editor_of_another_centre_cannot_edit_culture_resources(client, site, users):
    client.force_login(users["_editeur_sport"])
    response = client.get(f"/admin/pages/{site['resource'].pk}/edit/")
    check(response, DENIED, "edit")


RESTRICTED = ("restricted_resource", "restricted_news", "restricted_event")


def restricted_content_absent_from_sitemap_and_feed(client, site):
    sitemap = client.get("/sitemap.xml").content.decode()
    feed = client.get("/flux/ressources/").content.decode()
    assert site["resource"].slug in sitemap and site["resource"].title in feed
    for key in RESTRICTED:
        assert site[key].slug not in sitemap
        assert site[key].title not in feed
    # The network's private pages and spaces are in no sitemap or feed either.
    calls_feed = client.get("/consultations/rss/").content.decode()
    assert site["call"].title in calls_feed and site["call"].slug in sitemap
    for private in (site["intranet"], site["survey"]):
        assert private.url not in sitemap, private
    for text in (site["intranet"].title, site["space"].title, site["thread"].title):
        assert text not in sitemap + feed + calls_feed, text


def restricted_content_absent_from_open_data(client, site):
    """The open data is anonymous by design: no role sees a DLA-only title there."""
    for path in (
        "/api/v2/pages/?limit=100",
        "/donnees/consultations.json",
        "/donnees/calendriers/evenements.ics",
        f"/flux/centres/{site['centre'].slug}/",
    ):
        body = client.get(path).content.decode().replace("\r\n ", "")  # unfold iCalendar
        for key in RESTRICTED:
            assert site[key].title not in body, (path, key)


def restricted_content_searchable_only_by_the_network(client, site, role):
    """Search results, the JSON API, suggestions and "similar resources" of a public page."""
    title = site["restricted_resource"].title
    for path in (
        "/recherche/?q=outil+r%C3%A9serv%C3%A9",
        "/recherche/?theme=modele-eco",
        "/recherche/api/?q=outil+r%C3%A9serv%C3%A9",
        "/recherche/suggestions/?q=outil",
        site["resource"].url,  # its "similar resources" block
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        if path.startswith("/recherche/api/") or "suggestions" in path:
            body = json.dumps(response.json(), ensure_ascii=False)
        assert (title in body) == (role in NETWORK), (path, role)


def restricted_content_listed_only_for_the_network(client, site, role):
    title = site["restricted_resource"].title
    for path in ("/", site["resource_index"].url, site["centre"].url):
        body = client.get(path).content.decode()
        assert (title in body) == (role in NETWORK), (path, role)
    news_titles = client.get(site["news_index"].url).content.decode()
    for key in ("restricted_news", "restricted_event"):
        assert (site[key].title in news_titles) == (role in NETWORK), (key, role)


def test_only_the_public_api_is_routed(client, home):
    """The public API is at /api/v2/ only (no other Wagtail API, no admin API)."""
    assert client.get("/api/v2/pages/").status_code == 200
    for path in ("/api/pages/", "/api/v3/pages/", "/api/v2/pages/find/?id=1"):
        assert client.get(path).status_code == 404, path


def project_url_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name
        elif isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_module, "__name__", "")
            if module.startswith(OWN_PROJECT_PACKAGES):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from project_url_names(entry.url_patterns, inner)


def test_every_project_url_name_is_in_the_matrix():
    names = set(project_url_names(get_resolver().url_patterns))
    missing = names - set(MATRIX) - COVERED_ELSEWHERE
    assert not missing, f"Ajoutez ces URL à la matrice des permissions : {sorted(missing)}"
