from functools import cached_property


class Navigation:
    """What the header menu and the footer link to: every section of the site.

    Each list is read once per request, and only if a template asks for it (the JSON views
    and redirects pay nothing). Centres, networks and « Le DLA » pages are data: a new centre,
    network or menu page appears here without touching the templates.
    """

    @cached_property
    def about_pages(self):
        """« Le DLA »: the standard pages under the home page marked « afficher dans les menus »."""
        from crdla.core.models import StandardPage

        return list(
            StandardPage.objects.live()
            .public()
            .in_menu()
            .filter(depth=3)
            .only("title", "url_path")
            .order_by("path")
        )

    @cached_property
    def centres(self):
        from crdla.centres.models import CentrePage

        return list(
            CentrePage.objects.live()
            .public()
            .only("title", "url_path", "short_name")
            .order_by("path")
        )

    @cached_property
    def networks(self):
        from crdla.network.models import NetworkPage

        return list(NetworkPage.objects.live().public().only("title", "url_path").order_by("title"))

    @cached_property
    def directory(self):
        from crdla.network.models import DirectoryPage

        return DirectoryPage.objects.live().public().only("title", "url_path").first()

    @cached_property
    def news(self):
        """The site-wide news and events (the centres' own are linked from each centre)."""
        from crdla.resources.models import NewsIndexPage

        return (
            NewsIndexPage.objects.live().public().filter(depth=3).only("title", "url_path").first()
        )


def navigation(request):
    """The main menu and the footer (lists evaluated lazily, once per request)."""
    return {"nav": Navigation()}
