"""A small but complete public site (one page of every public type), built with the factories.

Shared by the accessibility scan, the permission matrix and the query-count tests, so that a
new page type is added once here and is then checked everywhere.
"""

import datetime

from django.utils import timezone
from wagtail.models import Site

from crdla.centres.models import HostStructure, PartnerNetwork, TeamMember
from crdla.core.models import Audience, SiteSettings
from crdla.network.models import DLAOfficer
from tests.factories import (
    AudienceFactory,
    CentrePageFactory,
    DLAPageFactory,
    EventPageFactory,
    ImageFactory,
    NetworkPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    SectorFactory,
    StandardPageFactory,
    ThemeFactory,
    axis,
)


def build_public_site(home, resources=3):
    """Create one page of each public type under ``home``; returns them by name.

    Also creates a DLA-only resource, news item and event (``restricted_*``) for the
    visibility checks.
    """
    sector = SectorFactory(slug="culture", name="Culture")
    home.cover_image = ImageFactory(title="Le réseau des centres")  # the hero
    home.save()
    themes = [ThemeFactory(slug="modele-eco", name="Modèle économique"), ThemeFactory()]
    audience = AudienceFactory(slug="cm-dla", name="Chargés de mission DLA")
    centre = CentrePageFactory(
        parent=home,
        title="Centre de ressources DLA Culture",
        slug="culture",
        short_name="CRDLA Culture",
        sector=sector,
        contact_email="contact@culture.example.org",
        missions="<p>Outiller les DLA sur les <b>structures culturelles</b>.</p>",
        cover_image=ImageFactory(),
        cover_credit="Illustration : CRDLA Culture — licence CC0 1.0",
    )
    HostStructure.objects.create(
        page=centre, name="Opale", role="Pilotage", url="https://o.example"
    )
    TeamMember.objects.create(page=centre, name="Camille Martin", role="Chargée de mission", etp=1)
    PartnerNetwork.objects.create(page=centre, name="Ufisc", contract_since=2019)
    index = ResourceIndexPageFactory(parent=centre, intro="Guides, fiches et outils du centre.")
    created = []
    cover = ImageFactory(title="Illustration des ressources")
    for number in range(resources):
        resource = ResourcePageFactory(
            parent=index,
            title=f"Guide du modèle économique {number}",
            slug=f"guide-{number}",
            authors="Opale",
            cover_image=cover if number % 2 == 0 else None,
            cover_decorative=True,
        )
        resource.themes.set(themes)
        resource.sectors.set([sector])
        resource.audiences.set([audience])
        resource.axes.set([axis(2)])
        resource.save()  # ParentalManyToManyField values are only written on save
        created.append(resource)
    restricted_resource = ResourcePageFactory(
        parent=index, title="Outil réservé au réseau", slug="outil-reserve", visibility="dla"
    )
    news_index = NewsIndexPageFactory(parent=home)
    news = NewsPageFactory(parent=news_index, title="Nouvelle étude sur l'emploi", slug="etude")
    restricted_news = NewsPageFactory(
        parent=news_index, title="Note interne au réseau", slug="note-interne", visibility="dla"
    )
    event = EventPageFactory(
        parent=news_index,
        title="Webinaire modèle économique",
        slug="webinaire",
        registration_url="https://inscription.example.org",
    )
    past_event = EventPageFactory(
        parent=news_index,
        title="Journée d'échanges 2024",
        slug="journee-2024",
        start=timezone.now() - datetime.timedelta(days=60),
        end=timezone.now() - datetime.timedelta(days=60, hours=-6),
        format="presentiel",
        place="Paris",
    )
    restricted_event = EventPageFactory(
        parent=news_index, title="Réunion du réseau", slug="reunion", visibility="dla"
    )
    network = NetworkPageFactory(parent=home, slug="grand-est", animator_name="Alex Dupont")
    dla = DLAPageFactory(parent=network, title="DLA de la Marne", slug="dla-marne")
    DLAOfficer.objects.create(page=dla, name="Sam Petit", email="sam@dla51.example.org")
    legal = StandardPageFactory(parent=home, title="Mentions légales", slug="mentions-legales")
    privacy = StandardPageFactory(
        parent=home, title="Données personnelles", slug="donnees-personnelles"
    )
    accessibility = StandardPageFactory(parent=home, title="Accessibilité", slug="accessibilite")
    site = Site.objects.get(is_default_site=True)
    SiteSettings.objects.update_or_create(
        site=site,
        defaults={
            "contact_email": "contact@crdla.example.org",
            "footer_text": "Le dispositif local d'accompagnement.",
            "legal_notice_page": legal,
            "privacy_page": privacy,
            "accessibility_page": accessibility,
        },
    )
    return {
        "home": home,
        "centre": centre,
        "resource_index": index,
        "resources": created,
        "resource": created[0],
        "restricted_resource": restricted_resource,
        "news_index": news_index,
        "news": news,
        "restricted_news": restricted_news,
        "event": event,
        "past_event": past_event,
        "restricted_event": restricted_event,
        "network": network,
        "dla": dla,
        "legal": legal,
        "accessibility": accessibility,
        "theme": themes[0],
        "audience": Audience.objects.get(slug="cm-dla"),
    }


def public_urls(site):
    """Every public page type by name → path (the accessibility scan walks this list)."""
    index_url = site["resource_index"].url
    return {
        "accueil": "/",
        "centre": site["centre"].url,
        "ressources": index_url,
        "ressources-filtrees": f"{index_url}?type=guide&theme=modele-eco&public=cm-dla&axe=2",
        "ressources-sans-resultat": f"{index_url}?type=bilan",
        "ressource": site["resource"].url,
        "actualites": site["news_index"].url,
        "actualite": site["news"].url,
        "evenement": site["event"].url,
        "evenement-passe": site["past_event"].url,
        "reseau": site["network"].url,
        "dla": site["dla"].url,
        "page-standard": site["legal"].url,
        "connexion": "/connexion/",
        "connexion-erreur": None,  # the login form with errors, see the test
        "page-introuvable": "/cette-page-n-existe-pas/",
    }


def add_network_and_search_pages(site):
    """Add the pages of the later features to a ``build_public_site`` site.

    A call for tenders (index and detail, with one lot), the DLA directory, an approved
    programme's public page under the centre, and the knowledge-base search index rebuilt
    over the site's resources. Returns ``site`` with the new pages under their names.
    """
    from crdla.network.models import CallForTendersIndexPage, CallLot, DirectoryPage
    from search.backends import get_backend
    from search.indexing import iter_documents
    from tests.network.factories import CallForTendersPageFactory
    from tests.workflows.conftest import fill_programme
    from workflows import services as programme_services
    from workflows.models import ActionProgramme, ProgrammeStatus

    home, network = site["home"], site["network"]
    calls_index = CallForTendersIndexPage(title="Consultations", slug="consultations")
    network.add_child(instance=calls_index)
    call = CallForTendersPageFactory(
        parent=calls_index,
        title="Accompagnement sur le modèle économique",
        dla=site["dla"],
        sector=site["centre"].sector,
    )
    CallLot.objects.create(page=call, title="Diagnostic", days=4, ceiling=3200)
    call.save_revision().publish()
    directory = DirectoryPage(title="Annuaire des DLA", slug="annuaire", intro="Tous les DLA.")
    home.add_child(instance=directory)
    programme = ActionProgramme.objects.create(
        centre=site["centre"],
        year=2025,
        title="Programme d'actions 2025",
        summary="Consolider l'appui aux DLA sur l'emploi culturel.",
        status=ProgrammeStatus.APPROVED,
        decision_date=timezone.localdate(),
    )
    programme.ensure_axis_blocks()
    fill_programme(programme)
    programme_page = programme_services.publish_page(programme)
    add_communes()
    get_backend().rebuild(iter_documents())
    site.update(
        calls_index=calls_index,
        call=call,
        directory=directory,
        programme=programme,
        programme_page=programme_page,
    )
    return site


def add_communes():
    """A few communes for « Trouver mon DLA »: one postcode, and one name in two départements."""
    from crdla.core.geography import normalize_name
    from crdla.core.models import Commune, CommunePostcode, Departement

    for code, name, departement, postcode in [
        ("51454", "Reims", "51", "51100"),
        ("93066", "Saint-Denis", "93", "93200"),
        ("97411", "Saint-Denis", "974", "97400"),
    ]:
        commune = Commune.objects.create(
            code=code,
            name=name,
            search_name=normalize_name(name),
            departement=Departement.objects.get(code=departement),
        )
        CommunePostcode.objects.create(commune=commune, code=postcode)


def network_and_search_urls(site):
    """The pages added by ``add_network_and_search_pages`` by name → path."""
    return {
        "recherche": "/recherche/",
        "recherche-resultats": "/recherche/?q=guide+mod%C3%A8le+%C3%A9conomique",
        "recherche-facettes": "/recherche/?q=guide&type=guide&theme=modele-eco&public=cm-dla",
        "recherche-sans-resultat": "/recherche/?q=introuvablissime",
        "alertes": "/alertes/",
        "alertes-erreur": None,  # the subscription form with errors, see the test
        "programme": site["programme_page"].url,
        "consultations": "/consultations/",
        "consultations-filtrees": "/consultations/?secteur=culture&departement=51",
        "consultations-index": site["calls_index"].url,
        "consultation": site["call"].url,
        "annuaire": site["directory"].url,
        "trouver-mon-dla": "/trouver-mon-dla/",
        "trouver-mon-dla-reponse": "/trouver-mon-dla/?q=51100",
        "trouver-mon-dla-choix": "/trouver-mon-dla/?q=saint-denis",
        "trouver-mon-dla-inconnu": "/trouver-mon-dla/?q=99999",
        "trouver-mon-dla-sans-reseau": "/trouver-mon-dla/departement/974/",
        "programmes": "/programmes/",
        "ressources-tous": "/ressources/?centre=culture&type=guide",
        "donnees": "/donnees/",
        "donnees-api": "/donnees/api/",
    }
