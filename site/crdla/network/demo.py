"""Demo content of the regional networks (idempotent), run after the core demo.

Calls for tenders (open and closed), two confirmed alert subscriptions, the Grand Est
intranet, an exchange space, a draft common programme, a satisfaction survey, the directory.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from crdla.core.models import HomePage, Region, Sector, Theme

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
    load_survey(command, network)


def load_calls(command, network, dlas):
    index, _ = command.child(
        network,
        CallForTendersIndexPage,
        "consultations",
        title="Consultations des DLA",
        intro="Les appels d'offres des DLA du réseau aux prestataires d'accompagnement.",
    )
    sectors = list(Sector.objects.all()[:3]) or [
        Sector.objects.create(name="Culture", slug="culture")
    ]
    theme = Theme.objects.first()
    now = timezone.now()
    calls = [
        (
            "Consolidation du modèle économique d'une compagnie de théâtre",
            "individuel",
            now + datetime.timedelta(days=21),
            CallStatus.OPEN,
            [("Diagnostic et plan d'action", 4, 3200)],
        ),
        (
            "Accompagnement collectif : fonction employeur des clubs sportifs",
            "collectif",
            now + datetime.timedelta(days=14),
            CallStatus.OPEN,
            [("Trois journées collectives", 3, 4500), ("Suivi individuel", 2, 1600)],
        ),
        (
            "Gouvernance d'une association d'insertion",
            "individuel",
            now - datetime.timedelta(days=5),
            CallStatus.CLOSED,
            [("Accompagnement gouvernance", 5, 4000)],
        ),
    ]
    for number, (title, kind, deadline, status, lots) in enumerate(calls, start=1):
        dla = dlas[(number - 1) % len(dlas)]
        slug = f"consultation-demo-{number}"
        if index.get_children().filter(slug=slug).exists():
            continue
        call = CallForTendersPage(
            slug=slug,
            title=title,
            reference=f"DLA{dla.departement.code}-2026-{number:03d}",
            dla=dla,
            kind=kind,
            status=status,
            structure_type="Association employeuse",
            sector=sectors[(number - 1) % len(sectors)],
            structure_size="1-9",
            departement=dla.departement,
            theme=theme,
            description=(
                "<p>La structure souhaite être accompagnée pour consolider son projet et "
                "sécuriser ses emplois.</p>"
            ),
            publication_date=min(now, deadline - datetime.timedelta(days=30)),
            deadline=deadline,
            start_date=(deadline + datetime.timedelta(days=15)).date(),
            required_pieces="Proposition d'intervention, références, CV des intervenants, devis.",
            contact_name=f"Chargé·e de mission — {dla.title}",
            contact_email=dla.contact_email or "dla@example.org",
        )
        for lot_title, days, ceiling in lots:
            call.lots.add(CallLot(title=lot_title, days=days, ceiling=ceiling))
        if number == 2:
            call.corrections.add(
                CallCorrection(text="Le nombre de journées collectives passe de deux à trois.")
            )
        index.add_child(instance=call)
        call.save_revision().publish()
        command.count("consultations", True)


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
    from .vote import start_programme

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


def load_survey(command, network):
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
