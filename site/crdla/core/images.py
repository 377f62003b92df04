"""The cover image of a page: a Wagtail image with its alt text (or marked decorative) and credit.

Shared by the home page (its hero), centres, resources, news and events. The alt text is
required unless the image is marked decorative; it defaults to the image's own description in
the media library, so that an image described once is described everywhere.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel


class CoverImageMixin(models.Model):
    """A page's cover image, rendered as responsive renditions by ``includes/cover_image.html``."""

    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image de couverture"),
    )
    cover_alt = models.CharField(
        _("texte alternatif"),
        max_length=255,
        blank=True,
        help_text=_(
            "Ce que l'image apporte au lecteur. Vide : la description de l'image dans la "
            "médiathèque."
        ),
    )
    cover_decorative = models.BooleanField(
        _("image décorative"),
        default=False,
        help_text=_(
            "Cochez si l'image n'apporte aucune information : les lecteurs d'écran l'ignoreront."
        ),
    )
    cover_credit = models.CharField(
        _("crédit et licence"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple : « Photo : Camille Martin — licence CC BY 4.0 »."),
    )

    cover_panels = [
        MultiFieldPanel(
            [
                FieldPanel("cover_image"),
                FieldPanel("cover_alt"),
                FieldPanel("cover_decorative"),
                FieldPanel("cover_credit"),
            ],
            heading=_("Image de couverture"),
        )
    ]

    class Meta:
        abstract = True

    @property
    def cover_alt_text(self):
        """The alt attribute: empty for a decorative image, else this page's or the image's."""
        if self.cover_image is None or self.cover_decorative:
            return ""
        return self.cover_alt or self.cover_image.description

    def clean(self):
        super().clean()
        if (
            self.cover_image is not None
            and not self.cover_decorative
            and not self.cover_alt.strip()
            and not (self.cover_image.description or "").strip()
        ):
            raise ValidationError(
                {
                    "cover_alt": _(
                        "Décrivez l'image pour les personnes qui ne la voient pas, ou cochez "
                        "« image décorative »."
                    )
                }
            )


def with_cover(queryset):
    """Pages with their cover image (a join). Its renditions are not prefetched: cover images
    and resource cards are rendered once per cache generation (``{% fragment_cache %}`` in
    ``includes/cover_image.html`` and ``includes/resource_card.html``), so a prefetch would be
    a query per page view for what only the first view after a change reads."""
    return queryset.select_related("cover_image")
