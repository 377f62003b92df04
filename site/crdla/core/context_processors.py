from functools import cached_property

from crdla.centres.models import CentrePage
from crdla.network.models import DirectoryPage, NetworkPage
from crdla.pagecache import generation
from crdla.pagecache.generation import remember
from crdla.resources.models import NewsIndexPage


class Navigation:
    """What the header menu and the footer link to: every section of the site.

    The same for every visitor (view-restricted pages are left out for everyone), so it is
    read once per cache generation and kept in the cache: a publication, a move or a renaming
    bumps the generation (``crdla.pagecache``) and the next request reads it again, in three
    queries (the view restrictions, the live public pages just under the home page, the
    centres). Read only if a template asks for it (JSON views and redirects pay nothing).
    Centres, networks and « Le DLA » pages are data: a new centre, network or menu page appears
    here without touching the templates.
    """

    def __init__(self, request=None):
        self.request = request

    @cached_property
    def generation(self):
        """The page cache generation, for the template fragments cached beside the menu."""
        return generation.for_request(self.request)

    @cached_property
    def _data(self):
        if self.generation is None:  # the shared cache cannot tell: read, do not keep
            return self._read()
        return remember(f"crdla-nav:{self.generation}", self._read)

    def _read(self):
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Page

        from crdla.core.models import StandardPage

        private = Page.objects.all().private_q()
        models = (StandardPage, NetworkPage, DirectoryPage, NewsIndexPage)
        types = ContentType.objects.get_for_models(*models)  # cached by Django
        by_type = {types[model].pk: model._meta.label for model in models}
        sections = {label: [] for label in by_type.values()}
        pages = (
            Page.objects.live()
            .exclude(private)
            .filter(depth=3, content_type__in=types.values())
            .only("title", "url_path", "content_type_id", "show_in_menus", "path")
            .order_by("path")
        )
        for page in pages:
            sections[by_type[page.content_type_id]].append(page)
        centres = list(
            CentrePage.objects.live()
            .exclude(private)
            .only("title", "url_path", "short_name")
            .order_by("path")
        )
        for page in [*pages, *centres]:
            # Worked out here, once per generation, rather than by {% pageurl %} on each page
            # (what {% pageurl %} gives: relative on a single-site install, else absolute).
            page.menu_url = page.get_url()
        return {"sections": sections, "centres": centres}

    def _of(self, label):
        return self._data["sections"][label]

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

    @property
    def centres(self):
        return self._data["centres"]

    def current(self, request, page=None):
        """Where the visitor is, as the header menu marks it (``aria-current``): ``page`` the
        menu item's page being shown, ``section`` the centre or network the page belongs to,
        ``view`` the menu's own views (resources, tracker, finder, calls, alerts, search).

        The menu reads nothing else about the request, so it is rendered once per generation,
        language and ``key`` (a few dozen values: one per menu item).
        """
        from django.urls import reverse
        from wagtail.models import Page

        page = page if isinstance(page, Page) else None
        items = [*self.about_pages, *self.centres, *self.networks]
        if self.directory is not None:
            items.append(self.directory)
        here = {"page": None, "section": None, "view": None}
        if page is not None:
            here["page"] = next((item.pk for item in items if item.pk == page.pk), None)
            here["section"] = next(
                (
                    item.pk
                    for item in [*self.centres, *self.networks]
                    if page.url_path.startswith(item.url_path)
                ),
                None,
            )
        match = getattr(request, "resolver_match", None)
        if request.path == reverse("resources:all"):
            here["view"] = "resources"
        elif request.path == reverse("programme-tracker"):
            here["view"] = "tracker"
        elif request.path.startswith(reverse("network:find-dla")):
            here["view"] = "finder"
        elif match is not None and match.url_name in ("calls", "alerts-subscribe", "search"):
            here["view"] = match.url_name
        here["key"] = f"{here['page']}|{here['section']}|{here['view']}"
        return here


def navigation(request):
    """The main menu and the footer (read lazily, once per cache generation)."""
    return {"nav": Navigation(request)}
