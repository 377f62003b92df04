"""Permission matrix: every URL of the project × every role → expected status.

Providers have no account (they are anonymous visitors); committee members and chairs have
no page of their own yet, so they behave as logged-in users outside the DLA network. When a
feature adds URL names, ``test_every_project_url_name_is_in_the_matrix`` fails until the
matrix below says who may open them.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.documents.models import Document

from crdla.accounts import roles
from tests.public_site import build_public_site

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
    "login": ("get", lambda s: "/connexion/", everyone(OK)),
    "logout": ("post", lambda s: "/deconnexion/", everyone(302)),
    "sitemap": ("get", lambda s: "/sitemap.xml", everyone(OK)),
    "feed-resources": ("get", lambda s: "/flux/ressources/", everyone(OK)),
    "set_language": ("post", lambda s: "/i18n/setlang/", everyone(302)),
    "wagtaildocs_serve": ("get", lambda s: s["document"].url, everyone(OK)),
    "wagtailadmin_home": ("get", lambda s: "/admin/", only(ADMIN_ACCESS, otherwise="admin-login")),
    "admin:index": ("get", lambda s: "/django-admin/", only({"admin"}, otherwise="admin-login")),
    # Wagtail pages (the catch-all "wagtail_serve"), one per page type and visibility.
    "page:accueil": ("get", lambda s: "/", everyone(OK)),
    "page:centre": ("get", lambda s: s["centre"].url, everyone(OK)),
    "page:ressources": ("get", lambda s: s["resource_index"].url, everyone(OK)),
    "page:ressource": ("get", lambda s: s["resource"].url, everyone(OK)),
    "page:ressource-reservee": ("get", lambda s: s["restricted_resource"].url, only(NETWORK)),
    "page:actualites": ("get", lambda s: s["news_index"].url, everyone(OK)),
    "page:actualite": ("get", lambda s: s["news"].url, everyone(OK)),
    "page:actualite-reservee": ("get", lambda s: s["restricted_news"].url, only(NETWORK)),
    "page:evenement": ("get", lambda s: s["event"].url, everyone(OK)),
    "page:evenement-reserve": ("get", lambda s: s["restricted_event"].url, only(NETWORK)),
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
# Names covered by a representative above (third-party URL sets are not enumerated).
COVERED_ELSEWHERE = {"wagtail_serve", "wagtail_serve_root"}


@pytest.fixture
def site(home):
    site = build_public_site(home, resources=2)
    document = Document.objects.create(title="Fiche")
    document.file.save("fiche.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    site["document"] = document
    return site


@pytest.fixture
def users(site, make_user):
    from tests.factories import CentrePageFactory

    culture = site["centre"]
    sport = CentrePageFactory(parent=site["home"], slug="sport", short_name="CRDLA Sport")
    return {
        "anonyme": None,
        "prestataire": None,
        "expert": make_user("expert.culture", roles.CENTRE_STAFF, roles.expert_group_name(culture)),
        "editeur": make_user(
            "editeur.culture", roles.CENTRE_STAFF, roles.editor_group_name(culture)
        ),
        # An editor of another centre is denied the culture resource like the officer.
        "_editeur_sport": make_user(
            "editeur.sport", roles.CENTRE_STAFF, roles.editor_group_name(sport)
        ),
        "comite": make_user("comite.dgefp", roles.COMMITTEE_MEMBERS),
        "president": make_user("comite.porteuse", roles.COMMITTEE_MEMBERS, roles.COMMITTEE_CHAIRS),
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


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, site, users, role):
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
    restricted_content_listed_only_for_the_network(client, site, role)


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


def restricted_content_listed_only_for_the_network(client, site, role):
    title = site["restricted_resource"].title
    for path in ("/", site["resource_index"].url, site["centre"].url):
        body = client.get(path).content.decode()
        assert (title in body) == (role in NETWORK), (path, role)
    news_titles = client.get(site["news_index"].url).content.decode()
    for key in ("restricted_news", "restricted_event"):
        assert (site[key].title in news_titles) == (role in NETWORK), (key, role)


def test_no_wagtail_api_is_exposed(client, home):
    """No Wagtail API is routed: nothing can leak restricted pages there."""
    for path in ("/api/v2/pages/", "/api/pages/", "/api/v2/documents/"):
        assert client.get(path).status_code == 404


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
