"""``/sitemap.xml``: the pages anyone may read (``crdla.access.public_pages``), nothing else."""

from wagtail.contrib.sitemaps import Sitemap

from crdla import access


class PublicSitemap(Sitemap):
    def items(self):
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True)
        return access.public_pages(pages).order_by("path").defer_streamfields().specific()
