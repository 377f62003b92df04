"""Load the demo content of fixtures/ (idempotent): taxonomy, home, centres, resources, news,
regional networks, legal pages, site settings, role groups and one demo account per role."""

import json
import logging
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from crdla.accounts import roles
from crdla.accounts.models import Institution
from crdla.centres.models import CentrePage, CommitteeSeat
from crdla.centres.roles import setup_roles
from crdla.core.emails import CountingEmailBackend, root_url
from crdla.core.images import CoverImageMixin
from crdla.core.models import (
    Audience,
    Departement,
    HomePage,
    ProgrammeAxis,
    Region,
    Sector,
    SiteSettings,
    StandardPage,
    Theme,
)
from crdla.network.models import DLAPage, NetworkPage
from crdla.resources.models import (
    EventPage,
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
)

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "demo-crdla-2026"


def read_json(name):
    path = FIXTURES_DIR / name
    if not path.exists():
        raise CommandError(f"Fichier de données introuvable : {path}")
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def paragraphs(texts):
    """StreamField JSON for a list of paragraphs: plain text, or ``{"html": …}`` for links."""
    return [
        {
            "type": "paragraph",
            "value": text["html"] if isinstance(text, dict) else f"<p>{escape(text)}</p>",
        }
        for text in texts
    ]


def html_body(html):
    return [{"type": "paragraph", "value": html}]


class Command(BaseCommand):
    help = "Charge le contenu de démonstration de fixtures/ (idempotent) et crée les comptes de démonstration."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users", action="store_true", help="Ne pas créer les comptes de démonstration."
        )
        parser.add_argument(
            "--address",
            metavar="HÔTE:PORT",
            help="Adresse servie (par exemple 127.0.0.1:8000) : le site Wagtail par défaut la "
            "prend, pour les liens des courriels et le plan du site.",
        )

    def log(self, message):
        self.stdout.write(message)

    def handle(self, *args, **options):
        # Tasks queued with on_commit (search indexing, alert e-mails) run when the atomic block
        # closes: the summary and the accounts are printed after them, where they stay visible.
        # The demo e-mails (alert confirmations, committee tasks…) are counted, not printed:
        # with the console backend of `make run` they would bury the accounts.
        CountingEmailBackend.sent = 0
        # The in-process Celery of the embedded set-up has no broker host: kombu's warning
        # about it is noise here.
        logging.getLogger("kombu.connection").setLevel(logging.ERROR)
        with override_settings(EMAIL_BACKEND="crdla.core.emails.CountingEmailBackend"):
            with transaction.atomic():
                if options.get("address"):
                    self.set_site_address(options["address"])
                accounts = self.load(no_users=options["no_users"])
        if CountingEmailBackend.sent:
            self.created["courriels de démonstration (non envoyés)"] = CountingEmailBackend.sent
        self.print_accounts(accounts)
        summary = ", ".join(f"{name} : {count}" for name, count in self.created.items())
        self.log(
            self.style.SUCCESS(f"Contenu de démonstration chargé ({summary or 'rien de nouveau'}).")
        )
        self.log(f"Site : {root_url()}/ — administration : {root_url()}/admin/")

    def set_site_address(self, address):
        """The default Site takes the address served (created on the first load if needed)."""
        host, _sep, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"Adresse invalide : {address!r} (attendu : HÔTE:PORT).")
        self.site_address = (host.strip("[]"), int(port))
        Site.objects.filter(is_default_site=True).update(
            hostname=self.site_address[0], port=self.site_address[1]
        )

    def load(self, no_users=False):
        self.created = {}
        self.log("Taxonomie…")
        self.load_taxonomy()
        self.log("Illustrations…")
        self.images = self.load_images()
        self.log("Page d'accueil et pages standard…")
        home = self.load_home()
        pages = self.load_standard_pages(home)
        self.load_site_settings(home, pages)
        self.log("Centres de ressources…")
        centres = self.load_centres(home)
        self.log("Ressources…")
        self.load_resources(centres)
        self.log("Actualités et événements…")
        self.load_news(home, centres)
        self.log("Réseaux régionaux et DLA…")
        networks = self.load_networks(home)
        self.log("Communes et codes postaux…")
        self.load_communes()
        self.log("Rôles et workflows de modération…")
        setup_roles()
        accounts = [] if no_users else self.load_users(centres, networks)
        self.after_load()
        return accounts

    def after_load(self):
        """Each app adds its own demo content: the ``demo_loader`` of its AppConfig (a dotted
        path to a function taking this command), in the order of INSTALLED_APPS."""
        for config in apps.get_app_configs():
            loader = getattr(config, "demo_loader", None)
            if loader:
                import_string(loader)(self)

    def count(self, name, created):
        if created:
            self.created[name] = self.created.get(name, 0) + 1

    # --- taxonomy -------------------------------------------------------------------------

    def load_taxonomy(self):
        data = read_json("taxonomy.json")
        for order, item in enumerate(data["sectors"]):
            Sector.objects.update_or_create(
                slug=item["slug"], defaults={"name": item["name"], "order": order}
            )
        for item in data["axes"]:
            ProgrammeAxis.objects.update_or_create(
                number=item["number"],
                defaults={"name": item["name"], "description": item.get("description", "")},
            )
        for item in data["themes"]:
            Theme.objects.update_or_create(slug=item["slug"], defaults={"name": item["name"]})
        for item in data["audiences"]:
            Audience.objects.update_or_create(slug=item["slug"], defaults={"name": item["name"]})

    # --- pages ----------------------------------------------------------------------------

    def publish(self, page):
        self.assign_cover(page)
        page.save_revision().publish()

    # --- images -----------------------------------------------------------------------------

    def load_images(self):
        """The illustrations of fixtures/images/ (drawn by fixtures/images/demo_images.py), by key."""
        Image = get_image_model()
        images = {}
        # The illustrations every centre may choose (and only administrators change).
        shared = roles.setup_shared_media_collection([])
        for item in read_json("images/manifest.json"):
            image = Image.objects.filter(title=item["title"]).first()
            if image is None:
                path = FIXTURES_DIR / "images" / item["file"]
                if not path.exists():
                    raise CommandError(f"Illustration de démonstration introuvable : {path}")
                focal = item["focal_point"]
                image = Image(
                    collection=shared or Collection.get_first_root_node(),
                    title=item["title"],
                    description=item["description"],
                    focal_point_x=focal["x"],
                    focal_point_y=focal["y"],
                    focal_point_width=focal["width"],
                    focal_point_height=focal["height"],
                )
                with path.open("rb") as handle:
                    image.file.save(path.name, File(handle), save=False)
                    image._set_image_file_metadata()
                    image.save()
                image.tags.add("illustration")
                self.count("images", True)
            image.credit = item["credit"]
            images[item["key"]] = image
        return images

    def cover_key(self, page):
        """Which illustration a new page gets: its sector's, else a generic one.

        The home and the centres carry a described image; on resources, news and events the
        illustration adds nothing the title does not say, so it is marked decorative.
        """
        if isinstance(page, HomePage):
            return "accueil", False
        if isinstance(page, CentrePage):
            return f"{page.sector.slug}-1", False
        centre = getattr(page, "centre", None)
        sector = centre.sector.slug if centre else None
        if isinstance(page, ResourcePage):
            self.cover_counter = getattr(self, "cover_counter", 0) + 1
            return f"{sector}-{self.cover_counter % 3 + 1}", True
        if isinstance(page, EventPage):
            return (f"{sector}-3" if sector else "evenements"), True
        return (f"{sector}-2" if sector else "actualites"), True

    def assign_cover(self, page):
        if not isinstance(page, CoverImageMixin) or page.cover_image_id:
            return
        key, decorative = self.cover_key(page)
        image = getattr(self, "images", {}).get(key)
        if image is not None:
            page.cover_image = image
            page.cover_decorative = decorative
            page.cover_credit = image.credit

    def child(self, parent, model, slug, **fields):
        """Get the child page ``slug`` of ``parent`` or create and publish it."""
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific, False
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        self.publish(page)
        # The plural the model declares, else its singular (Django's default plural adds an
        # « s »: « réseaus », « DLAs »).
        declared = "verbose_name_plural" in model._meta.original_attrs
        meta = model._meta
        self.count(str(meta.verbose_name_plural if declared else meta.verbose_name), True)
        return page, True

    def load_home(self):
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            home = HomePage(
                title="Centres de ressources DLA",
                slug="accueil",
                intro=(
                    "<p>Les centres de ressources du Dispositif local d'accompagnement outillent "
                    "les chargés de mission DLA et les structures de l'économie sociale et solidaire : "
                    "guides, fiches, études, outils et rencontres, par secteur.</p>"
                ),
            )
            root.add_child(instance=home)
            self.publish(home)
            self.count("page d'accueil", True)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            hostname, port = getattr(self, "site_address", ("localhost", 80))
            Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name=settings.WAGTAIL_SITE_NAME,
            )
        elif site.root_page_id != home.pk:
            old_root = site.root_page
            site.root_page = home
            site.site_name = settings.WAGTAIL_SITE_NAME
            site.save()
            # Wagtail's "Welcome to your new Wagtail site!" page is not ours to keep.
            if old_root.depth == 2 and old_root.specific_class is Page:
                old_root.delete()
        return home

    def load_standard_pages(self, home):
        pages = {}
        for item in read_json("pages.json"):
            page, _created = self.child(
                home,
                StandardPage,
                item["slug"],
                title=item["title"],
                intro=item.get("intro", ""),
                body=html_body(item["body"]),
                show_in_menus=item.get("show_in_menus", False),
            )
            if page.show_in_menus != item.get("show_in_menus", False):
                page.show_in_menus = item.get("show_in_menus", False)
                self.publish(page)  # the « Le DLA » menu of an older demo
            pages[item["slug"]] = page
        return pages

    def load_site_settings(self, home, pages):
        """Contacts and legal identity from fixtures/site.json (fields already set are kept)."""
        site = Site.objects.get(root_page=home)
        site_settings = SiteSettings.for_site(site)
        for field, value in read_json("site.json")["settings"].items():
            current = getattr(site_settings, field)
            if not current or "(démonstration)" in current:
                setattr(site_settings, field, value)
        site_settings.legal_notice_page = site_settings.legal_notice_page or pages.get(
            "mentions-legales"
        )
        site_settings.privacy_page = site_settings.privacy_page or pages.get("donnees-personnelles")
        site_settings.accessibility_page = site_settings.accessibility_page or pages.get(
            "accessibilite"
        )
        site_settings.save()

    def load_centres(self, home):
        centres = {}
        for item in read_json("centres.json"):
            sector = Sector.objects.get(slug=item["sector"])
            existing = home.get_children().filter(slug=item["slug"]).first()
            if existing is not None:
                centre = existing.specific
            else:
                centre = CentrePage(
                    slug=item["slug"],
                    title=item["title"],
                    short_name=item["short_name"],
                    sector=sector,
                    intro=item["intro"],
                    missions=item.get("missions", ""),
                    contact_email=item.get("contact_email", ""),
                    contact_phone=item.get("contact_phone", ""),
                    website=item.get("website", ""),
                )
                for host in item.get("host_structures", []):
                    centre.host_structures.add(centre.host_structures.model(**host))
                for member in item.get("team", []):
                    centre.team_members.add(centre.team_members.model(**member))
                for partner in item.get("partners", []):
                    centre.partner_networks.add(centre.partner_networks.model(**partner))
                for funder in item.get("funders", []):
                    centre.funders.add(centre.funders.model(**funder))
                home.add_child(instance=centre)
                for seat in item.get("committee", []):
                    CommitteeSeat.objects.create(centre=centre, **seat)
                self.publish(centre)
                self.count("centres", True)
            self.child(
                centre,
                ResourceIndexPage,
                "ressources",
                title="Ressources",
                intro=f"Guides, fiches, études et outils du {centre.short_name}.",
            )
            self.child(centre, NewsIndexPage, "actualites", title="Actualités et événements")
            centres[item["slug"]] = centre
        return centres

    def document(self, relative_path, title, centre=None):
        """A demo document, filed in the collection of the first centre that uses it."""
        from crdla import access

        Document = get_document_model()
        existing = Document.objects.filter(title=title).first()
        if existing:
            return existing
        path = FIXTURES_DIR / relative_path
        if not path.exists():
            raise CommandError(f"Document de démonstration introuvable : {path}")
        collection = access.centre_collection(centre) if centre is not None else None
        with path.open("rb") as handle:
            document = Document(title=title)
            if collection is not None:
                document.collection = collection
            document.file.save(path.name, File(handle), save=False)
            document.save()
        self.count("documents", True)
        return document

    def load_resources(self, centres):
        themes = {t.slug: t for t in Theme.objects.all()}
        audiences = {a.slug: a for a in Audience.objects.all()}
        sectors = {s.slug: s for s in Sector.objects.all()}
        axes = {a.number: a for a in ProgrammeAxis.objects.all()}
        regions = {r.code: r for r in Region.objects.all()}
        items = read_json("resources.json")
        for position, item in enumerate(items, start=1):
            index_page = ResourceIndexPage.objects.child_of(centres[item["centre"]]).get()
            slug = slugify(item["title"])[:80]
            if index_page.get_children().filter(slug=slug).exists():
                continue
            page = ResourcePage(
                slug=slug,
                title=item["title"],
                kind=item["kind"],
                summary=item["summary"],
                body=paragraphs(item.get("body", [])),
                visibility=item.get("visibility", "public"),
                published_date=parse_date(item["published"]),
                authors=item.get("authors", ""),
            )
            page.sectors = [sectors[s] for s in item.get("sectors", [])]
            page.themes = [themes[s] for s in item.get("themes", [])]
            page.audiences = [audiences[s] for s in item.get("audiences", [])]
            page.axes = [axes[n] for n in item.get("axes", [])]
            page.regions = [regions[c] for c in item.get("regions", [])]
            if item.get("document"):
                doc = self.document(
                    item["document"]["file"],
                    item["document"]["title"],
                    centre=centres[item["centre"]],
                )
                page.documents.add(page.documents.model(document=doc))
            index_page.add_child(instance=page)
            self.publish(page)
            self.count("ressources", True)
            if position % 20 == 0:
                self.log(f"  {position}/{len(items)} ressources")

    def load_news(self, home, centres):
        data = read_json("news.json")
        site_news, _ = self.child(
            home, NewsIndexPage, "actualites", title="Actualités et événements"
        )

        def parent_for(item):
            if item.get("centre"):
                return NewsIndexPage.objects.child_of(centres[item["centre"]]).get()
            return site_news

        for item in data["news"]:
            self.child(
                parent_for(item),
                NewsPage,
                slugify(item["title"])[:80],
                title=item["title"],
                date=parse_date(item["date"]),
                intro=item.get("intro", ""),
                body=paragraphs(item.get("body", [])),
            )
        tz = timezone.get_current_timezone()
        for item in data["events"]:
            self.child(
                parent_for(item),
                EventPage,
                slugify(item["title"])[:80],
                title=item["title"],
                start=timezone.make_aware(parse_datetime(item["start"]), tz),
                end=timezone.make_aware(parse_datetime(item["end"]), tz),
                format=item["format"],
                place=item.get("place", ""),
                registration_url=item.get("registration_url", ""),
                replay_url=item.get("replay_url", ""),
                intro=item.get("intro", ""),
                body=paragraphs(item.get("body", [])),
            )

    def load_networks(self, home):
        networks = {}
        for item in read_json("networks.json"):
            region = Region.objects.get(code=item["region"])
            animator = item.get("animator", {})
            network, _ = self.child(
                home,
                NetworkPage,
                slugify(item["title"]),
                title=item["title"],
                region=region,
                host_structure=item["host_structure"],
                host_url=item.get("host_url", ""),
                animator_name=animator.get("name", ""),
                animator_email=animator.get("email", ""),
                animator_phone=animator.get("phone", ""),
                intro=item.get("intro", ""),
            )
            for dla_item in item["dlas"]:
                departement = Departement.objects.get(code=dla_item["departement"])
                slug = slugify(dla_item["title"])
                if network.get_children().filter(slug=slug).exists():
                    continue
                dla = DLAPage(
                    slug=slug,
                    title=dla_item["title"],
                    departement=departement,
                    host_structure=dla_item["host_structure"],
                    address=dla_item.get("address", ""),
                    contact_email=dla_item.get("contact_email", ""),
                    phone=dla_item.get("phone", ""),
                    website=dla_item.get("website", ""),
                )
                for officer in dla_item.get("officers", []):
                    dla.officers.add(
                        dla.officers.model(name=officer["name"], email=officer.get("email", ""))
                    )
                network.add_child(instance=dla)
                self.publish(dla)
                self.count("DLA", True)
            networks[item["region"]] = network
        return networks

    def load_communes(self):
        """The official communes (Etalab), loaded once: « Trouver mon DLA » needs them."""
        from crdla.core.geography import load_communes
        from crdla.core.models import Commune, CommunePostcode

        if not Commune.objects.exists():
            self.created["communes"] = load_communes(Commune, CommunePostcode, Departement)

    # --- demo users -----------------------------------------------------------------------

    def demo_user(self, username, first_name, last_name, groups=(), superuser=False, **profile):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.crdla.example.org",
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(
            *[
                group if isinstance(group, Group) else Group.objects.get(name=group)
                for group in groups
            ]
        )
        for field, value in {"is_demo": True, **profile}.items():
            setattr(user.profile, field, value)
        user.profile.save()
        self.count("comptes de démonstration", created)
        return user

    def load_users(self, centres, networks):
        culture, sport = centres["culture"], centres["sport"]
        rows = []

        def add(username, first, last, role, groups=(), **kwargs):
            self.demo_user(username, first, last, groups, **kwargs)
            rows.append((role, username))

        add(
            "admin",
            "Camille",
            "Admin",
            "Administrateur·rice du site",
            [roles.ADMINISTRATORS],
            superuser=True,
        )
        for centre in (culture, sport):
            key = centre.slug
            add(
                f"expert.{key}",
                "Expert",
                centre.short_name,
                f"Expert·e — {centre.short_name}",
                [roles.CENTRE_STAFF, centre.experts_group],
                centre=centre,
            )
            add(
                f"editeur.{key}",
                "Éditeur",
                centre.short_name,
                f"Éditeur·rice — {centre.short_name}",
                [roles.CENTRE_STAFF, centre.editors_group],
                centre=centre,
            )
        for institution in Institution.values:
            chair = institution == Institution.PORTEUSE
            label = Institution(institution).label
            add(
                f"comite.{institution}",
                "Membre",
                label,
                f"Comité de pilotage — {label}" + (" (présidence)" if chair else ""),
                [],  # their seats (workflows.demo) make them committee members
                institution=institution,
            )
        grand_est = networks.get("44") or next(iter(networks.values()))
        dlas = list(DLAPage.objects.child_of(grand_est).order_by("departement__code")[:2])
        for dla in dlas:
            username = f"cm.dla{dla.departement.code}"
            add(
                username,
                "Chargé·e de mission",
                dla.title,
                f"Chargé·e de mission DLA — {dla.title}",
                [roles.DLA_OFFICERS],
                dla=dla,
                network=grand_est,
            )
            officer = dla.officers.first()
            if officer and officer.user_id is None:
                officer.user = get_user_model().objects.get(username=username)
                officer.save()
        add(
            "animateur.grandest",
            "Animateur",
            "Grand Est",
            f"Animateur·rice — {grand_est.title}",
            [roles.ANIMATORS],
            network=grand_est,
        )
        animator = get_user_model().objects.get(username="animateur.grandest")
        if grand_est.animator_id is None:
            grand_est.animator = animator
            grand_est.save_revision().publish()

        return rows

    def print_accounts(self, rows):
        if not rows:
            return
        self.log("")
        self.log("Comptes de démonstration (réglages de développement uniquement) :")
        self.log(f"  mot de passe commun : {DEMO_PASSWORD}")
        for role, username in rows:
            self.log(f"  {username:<22} {role}")
        if not getattr(settings, "CRDLA_DEMO_ACCOUNTS", False):
            self.log(
                self.style.WARNING(
                    "  Attention : ces comptes ne peuvent pas se connecter avec les réglages actuels."
                )
            )
