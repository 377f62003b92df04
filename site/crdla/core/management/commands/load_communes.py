"""Load the communes and postcodes of fixtures/geo/communes.csv.gz (« Trouver mon DLA »)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from crdla.core.geography import load_communes
from crdla.core.models import Commune, CommunePostcode, Departement


class Command(BaseCommand):
    help = "Charge les communes et codes postaux (fixtures/geo/communes.csv.gz, Etalab)."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = load_communes(Commune, CommunePostcode, Departement)
        self.stdout.write(f"{count} communes chargées.")
