from functools import cached_property


class Navigation:
    """What the header menu and the footer link to: every section of the site.

    Read once per request, and only if a template asks for it (JSON views and redirects pay
    nothing), in three queries: the view restrictions, the live public pages just under the
    home page, and the centres (their short names). Centres, networks and « Le DLA » pages are data: a new centre, network
    or menu page appears here without touching the templates.
    """

    @cached_property
    def _private(self):
        """The view-restricted pages, computed once for both queries."""
        from wagtail.models import Page

        return Page.objects.all().private_q()

    @cached_property
    def _sections(self):
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Page

        from crdla.core.models import StandardPage
        from crdla.network.models import DirectoryPage, NetworkPage
        from crdla.resources.models import NewsIndexPage

        models = (StandardPage, NetworkPage, DirectoryPage, NewsIndexPage)
        types = ContentType.objects.get_for_models(*models)  # cached by Django
        by_type = {types[model].pk: model for model in models}
        sections = {model: [] for model in models}
        pages = (
            Page.objects.live()
            .exclude(self._private)
            .filter(depth=3, content_type__in=by_type)
            .only("title", "url_path", "content_type_id", "show_in_menus", "path")
            .order_by("path")
        )
        for page in pages:
            sections[by_type[page.content_type_id]].append(page)
        return sections

    def _of(self, dotted):
        from django.apps import apps

        return self._sections[apps.get_model(dotted)]

    @property
    def about_pages(self):
        """« Le DLA »: the standard pages under the home page marked « afficher dans les menus »."""
        return [page for page in self._of("core.StandardPage") if page.show_in_menus]

    @property
    def networks(self):
        return sorted(self._of("network.NetworkPage"), key=lambda page: page.title)

    @property
    def directory(self):
        return next(iter(self._of("network.DirectoryPage")), None)

    @property
    def news(self):
        """The site-wide news and events (the centres' own are linked from each centre)."""
        return next(iter(self._of("resources.NewsIndexPage")), None)

    @cached_property
    def centres(self):
        from crdla.centres.models import CentrePage

        return list(
            CentrePage.objects.live()
            .exclude(self._private)
            .only("title", "url_path", "short_name")
            .order_by("path")
        )


def navigation(request):
    """The main menu and the footer (lists evaluated lazily, once per request)."""
    return {"nav": Navigation()}
