"""Create (or bring up to date) every role group, its permissions and the moderation workflows."""

from django.core.management.base import BaseCommand

from crdla.centres.roles import setup_roles


class Command(BaseCommand):
    help = (
        "Crée ou met à jour les groupes de rôles, leurs permissions et les workflows de modération."
    )

    def handle(self, *args, **options):
        setup_roles(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Rôles à jour."))
