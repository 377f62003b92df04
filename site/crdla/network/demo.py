"""Demo content of the regional networks (idempotent), run after the core demo.

Calls for tenders (open and closed), two confirmed alert subscriptions, the Grand Est
intranet, an exchange space, a draft common programme, a satisfaction survey, the directory.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from crdla.core.models import HomePage, Region, Sector, Theme

from .flows import start_programme
from .models import (
    AlertSubscription,
    CallCorrection,
    CallForTendersIndexPage,
    CallForTendersPage,
    CallLot,
    CallStatus,
    DirectoryPage,
    DLAPage,
    ExchangeSpace,
    IntranetNewsPage,
    IntranetPage,
    NetworkPage,
    ProgrammeAction,
    RegionalProgramme,
    SpaceMembership,
    SpaceThread,
    SurveyField,
    SurveyPage,
)
from .subscriptions import CONSENT_TEXT


def load_demo(command):
    home = HomePage.objects.first()
    if home is None:
        return
    command.log("Réseaux régionaux : annuaire, consultations, intranet, espaces, programme…")
    command.child(
        home,
        DirectoryPage,
        "annuaire-des-dla",
        title="Annuaire des DLA",
        intro="Les DLA de chaque département, leur structure porteuse et leurs chargés de mission.",
    )
    region = Region.objects.filter(code="44").first()
    network = NetworkPage.objects.filter(region=region).first() or NetworkPage.objects.first()
    if network is None:
        return
    dlas = list(DLAPage.objects.child_of(network).order_by("departement__code"))
    if not dlas:
        return
    load_calls(command, network, dlas)
    load_subscriptions(command)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["cm.dla08", "cm.dla10", "animateur.grandest"]
        )
    }
    load_intranet(command, network)
    load_space(command, network, users)
    load_programme(command, network, users.get("animateur.grandest"))
    load_survey(command, network, users)


def load_calls(command, network, dlas):
    index, _ = command.child(
        network,
        CallForTendersIndexPage,
        "consultations",
        title="Consultations des DLA",
        intro="Les appels d'offres des DLA du réseau aux prestataires d'accompagnement.",
    )
    today = timezone.localdate()
    now = timezone.now()
    calls = [
        {
            "title": "Consolidation du modèle économique d'une compagnie de théâtre",
            "kind": "individuel",
            "sector": "culture",
            "theme": "modele-economique",
            "structure_type": "Compagnie de théâtre (association, 4 salariés)",
            "size": "1-9",
            "deadline": deadline_at(today + datetime.timedelta(days=21)),
            "status": CallStatus.OPEN,
            "lots": [("Diagnostic économique et plan d'action", 4, 3200)],
            "description": (
                "<p>La compagnie, en résidence sur le territoire depuis dix ans, voit ses "
                "recettes de diffusion baisser et dépend à 70 % de subventions de "
                "fonctionnement. Elle souhaite analyser son modèle économique, prioriser des "
                "pistes de diversification (coproductions, actions culturelles, mécénat) et "
                "construire un budget prévisionnel sur trois ans.</p>"
            ),
        },
        {
            "title": "Accompagnement collectif : fonction employeur des clubs sportifs",
            "kind": "collectif",
            "sector": "sport",
            "theme": "emploi-rh",
            "structure_type": "Six clubs sportifs employeurs (1 à 5 salariés)",
            "size": "1-9",
            "deadline": deadline_at(today + datetime.timedelta(days=14)),
            "status": CallStatus.OPEN,
            "lots": [
                ("Trois journées collectives", 3, 4500),
                ("Suivi individuel des clubs", 2, 1600),
            ],
            "description": (
                "<p>Six clubs du département, employeurs d'éducateurs sportifs, veulent "
                "sécuriser leur fonction employeur : convention collective du sport, fiches de "
                "poste, entretiens annuels, partage d'emplois par un groupement "
                "d'employeurs.</p>"
            ),
            "correction": "Le nombre de journées collectives passe de deux à trois.",
        },
        {
            "title": "Gouvernance d'une association d'insertion",
            "kind": "individuel",
            "sector": "iae",
            "theme": "gouvernance",
            "structure_type": "Atelier et chantier d'insertion (association, 22 salariés)",
            "size": "10-49",
            "deadline": deadline_at(today - datetime.timedelta(days=5)),
            "status": CallStatus.CLOSED,
            "lots": [("Accompagnement de la gouvernance", 5, 4000)],
            "description": (
                "<p>Après le départ de sa présidente fondatrice, l'atelier et chantier "
                "d'insertion doit renouveler son conseil d'administration, clarifier la "
                "répartition des rôles entre bénévoles et direction et préparer son projet "
                "associatif.</p>"
            ),
        },
    ]
    for number, item in enumerate(calls, start=1):
        dla = dlas[(number - 1) % len(dlas)]
        slug = f"consultation-{number}"
        if index.get_children().filter(slug__in=[slug, f"consultation-demo-{number}"]).exists():
            continue
        deadline = item["deadline"]
        call = CallForTendersPage(
            slug=slug,
            title=item["title"],
            reference=f"DLA{dla.departement.code}-{deadline.year}-{number:03d}",
            dla=dla,
            kind=item["kind"],
            status=item["status"],
            structure_type=item["structure_type"],
            sector=Sector.objects.filter(slug=item["sector"]).first() or Sector.objects.first(),
            structure_size=item["size"],
            departement=dla.departement,
            theme=Theme.objects.filter(slug=item["theme"]).first(),
            description=item["description"],
            publication_date=min(now, deadline - datetime.timedelta(days=30)),
            deadline=deadline,
            start_date=(deadline + datetime.timedelta(days=15)).date(),
            required_pieces="Proposition d'intervention, références, CV des intervenants, devis.",
            contact_name=f"Chargé·e de mission — {dla.title}",
            contact_email=dla.contact_email or f"dla{dla.departement.code}@example.org",
        )
        for lot_title, days, ceiling in item["lots"]:
            call.lots.add(CallLot(title=lot_title, days=days, ceiling=ceiling))
        if item.get("correction"):
            call.corrections.add(CallCorrection(text=item["correction"]))
        index.add_child(instance=call)
        call.save_revision().publish()
        command.count("consultations", True)


def deadline_at(day):
    """Answers are due at noon (local time) on ``day``: a deadline with a meaningful hour."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def load_subscriptions(command):
    now = timezone.now()
    for email in ("prestataire.conseil@example.org", "cabinet.ess@example.org"):
        subscription, created = AlertSubscription.objects.get_or_create(
            email=email,
            defaults={
                "consent_text": str(CONSENT_TEXT),
                "consent_at": now,
                "consent_ip": "127.0.0.1",
                "confirmed_at": now,
            },
        )
        command.count("abonnements aux alertes", created)


def load_intranet(command, network):
    intranet, _ = command.child(
        network,
        IntranetPage,
        "intranet",
        title=f"Intranet — {network.title}",
        intro="L'espace des chargés de mission et de l'animation du réseau.",
    )
    command.child(
        intranet,
        IntranetNewsPage,
        "regroupement-regional",
        title="Regroupement régional des chargés de mission",
        intro="Le prochain regroupement aura lieu à Reims : ordre du jour en préparation.",
    )
    return intranet


def load_space(command, network, users):
    space, created = ExchangeSpace.objects.get_or_create(
        network=network,
        title="Pratiques d'accompagnement",
        defaults={"description": "Partage confidentiel de situations d'accompagnement."},
    )
    command.count("espaces d'échanges", created)
    members = [users[name] for name in ("cm.dla08", "cm.dla10") if name in users]
    for user in members:
        SpaceMembership.objects.get_or_create(space=space, user=user)
    if created and members:
        SpaceThread.objects.create(
            space=space,
            author=members[0],
            title="Structure en difficulté de trésorerie : quel prestataire ?",
            body="Je cherche des retours sur des accompagnements trésorerie dans le spectacle.",
        )


def load_programme(command, network, animator):
    year = timezone.now().year + 1
    if RegionalProgramme.objects.filter(network=network, year=year).exists():
        return
    programme = start_programme(
        network,
        year,
        f"Programme commun {year}",
        animator,
        "Les actions communes du réseau pour l'année, à adopter à l'unanimité.",
    )
    for order, (need, title) in enumerate(
        [
            ("temps", "Banque partagée de cahiers des charges"),
            ("isolement", "Rencontres trimestrielles des chargés de mission"),
            ("fonctionnement", "Procédure commune de sélection des prestataires"),
        ]
    ):
        ProgrammeAction.objects.create(programme=programme, need=need, title=title, order=order)
    command.count("programmes communs", True)


def load_survey(command, network, users=None):
    year = timezone.now().year
    survey, created = command.child(
        network,
        SurveyPage,
        f"enquete-satisfaction-{year}",
        title=f"Enquête de satisfaction {year}",
        year=year,
        intro="Votre avis sur l'animation du réseau régional (5 minutes).",
        thank_you_text="Merci ! Les résultats seront présentés au prochain regroupement.",
    )
    if created:
        SurveyField.objects.create(
            page=survey,
            label="Satisfaction globale (1 à 5)",
            field_type="radio",
            choices="1\n2\n3\n4\n5",
        )
        SurveyField.objects.create(
            page=survey,
            label="Utilité des regroupements",
            field_type="dropdown",
            choices="Très utiles\nUtiles\nPeu utiles",
        )
        SurveyField.objects.create(
            page=survey, label="Vos suggestions", field_type="multiline", required=False
        )
        survey.save_revision().publish()
        answer_survey(survey, users or {})


SURVEY_ANSWERS = {
    "cm.dla08": ("4", "Très utiles", "Plus de temps d'échange entre DLA voisins."),
    "cm.dla10": ("5", "Utiles", "Un regroupement consacré aux achats de prestations."),
}


def answer_survey(survey, users):
    """The two demo officers have answered, so the animator's results are not empty."""
    from .models import SurveySubmission

    names = [field.clean_name for field in survey.form_fields.order_by("sort_order", "pk")]
    for username, answers in SURVEY_ANSWERS.items():
        user = users.get(username)
        if user is not None:
            SurveySubmission.objects.get_or_create(
                page=survey,
                user=user,
                defaults={"form_data": dict(zip(names, answers, strict=False))},
            )
