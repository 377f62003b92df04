"""Database side of the knowledge base: one row per indexed resource, plus its facet values.

The full-text structures live beside these tables and are created by the migrations for the
current engine only: on PostgreSQL a stored, weighted ``tsvector`` generated column with a
GIN index (configuration ``crdla_french``: unaccent + French stemming); on SQLite an FTS5
table kept in sync by triggers. Django never reads them directly (see ``backends.database``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KnowledgeEntry(models.Model):
    """One resource as the database search backend sees it (a denormalised copy of the page)."""

    page_id = models.IntegerField(_("page"), primary_key=True)
    title = models.CharField(_("titre"), max_length=255)
    summary = models.TextField(_("résumé"), blank=True)
    body = models.TextField(_("contenu"), blank=True)
    attachments = models.TextField(_("texte des documents joints"), blank=True)
    url = models.CharField(_("adresse"), max_length=500, blank=True)
    kind = models.CharField(_("type"), max_length=30, blank=True)
    centre = models.CharField(_("centre"), max_length=120, blank=True)
    visibility = models.CharField(_("visibilité"), max_length=10, db_index=True)
    published_date = models.DateField(_("date de publication"), null=True, db_index=True)
    last_published_at = models.DateTimeField(_("dernière publication"), null=True)
    # search.documents.document_hash of what was indexed, for the nightly check.
    content_hash = models.CharField(_("empreinte du document"), max_length=64, null=True)
    indexed_at = models.DateTimeField(_("indexé le"), auto_now=True)

    class Meta:
        verbose_name = _("entrée de la base de connaissances")
        verbose_name_plural = _("entrées de la base de connaissances")
        indexes = [
            models.Index(fields=["visibility", "-published_date"], name="knowledge_vis_date")
        ]

    def __str__(self):
        return self.title


class KnowledgeFacetValue(models.Model):
    """One facet value of an entry (a sector, a theme, a year…), for filters and facet counts."""

    entry = models.ForeignKey(KnowledgeEntry, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(_("facette"), max_length=20)
    value = models.CharField(_("valeur"), max_length=120)

    class Meta:
        verbose_name = _("valeur de facette")
        verbose_name_plural = _("valeurs de facettes")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "value", "entry"], name="knowledge_facet_unique"
            )
        ]
        indexes = [models.Index(fields=["entry", "facet", "value"], name="knowledge_facet_entry")]

    def __str__(self):
        return f"{self.facet}={self.value}"


class KnowledgeWord(models.Model):
    """A word of the indexed titles and summaries, the vocabulary of « Vouliez-vous dire … »."""

    word = models.CharField(_("mot"), max_length=60)
    visibility = models.CharField(_("visibilité"), max_length=10)

    class Meta:
        verbose_name = _("mot du vocabulaire")
        verbose_name_plural = _("mots du vocabulaire")
        constraints = [
            models.UniqueConstraint(fields=["word", "visibility"], name="knowledge_word_unique")
        ]

    def __str__(self):
        return self.word
