"""Changes that reach resources indirectly re-index them: a taxonomy item edited or deleted,
a centre renamed, a section's slug changed; and the nightly check compares whole documents.
"""

from crdla.outbox.models import OutboxMessage
from search.indexing import check_index
from search.models import KnowledgeEntry, KnowledgeFacetValue
from search.results import SearchQuery
from search.signals import RELATED_BATCH, schedule_sync_many
from search.tasks import check_knowledge_base

MANY = "search.tasks.sync_knowledge_entries"


def facet_values(page, facet):
    return sorted(
        KnowledgeFacetValue.objects.filter(entry_id=page.pk, facet=facet).values_list(
            "value", flat=True
        )
    )


def test_taxonomy_rename_reindexes_the_resources_that_carry_it(
    db_backend, resources, taxonomy, anonymous, django_capture_on_commit_callbacks
):
    theme = taxonomy["eco"]
    with django_capture_on_commit_callbacks(execute=True):
        theme.name = "Modèle socio-économique"
        theme.slug = "modele-socio-economique"
        theme.save()
    # One batch for the three resources that carry it.
    assert [m.args for m in OutboxMessage.objects.filter(task=MANY)] == [
        [[resources[k].pk for k in ("tresorerie", "festival", "restricted")]]
    ]
    for key in ("tresorerie", "festival", "restricted"):
        assert facet_values(resources[key], "themes") == ["modele-socio-economique"]
    assert facet_values(resources["groupement"], "themes") == ["emploi-rh"]
    results = db_backend.search(
        anonymous, SearchQuery(filters={"themes": ["modele-socio-economique"]})
    )
    assert {h.page_id for h in results.hits} == {
        resources["tresorerie"].pk,
        resources["festival"].pk,
    }
    labels = {f.value: f.label for f in results.facets["themes"]}
    assert labels["modele-socio-economique"] == "Modèle socio-économique"
    assert check_index(db_backend).ok


def test_taxonomy_delete_reindexes_before_the_links_go(
    db_backend, resources, taxonomy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taxonomy["emploi"].delete()
    assert facet_values(resources["groupement"], "themes") == []
    assert check_index(db_backend).ok


def test_centre_rename_reindexes_its_resources_only_when_renamed(
    db_backend, resources, culture, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        culture.save_revision().publish()  # published again, same name
    assert not OutboxMessage.objects.filter(task=MANY).exists()
    with django_capture_on_commit_callbacks(execute=True):
        culture.short_name = "CRDLA Culture et patrimoine"
        culture.save_revision().publish()
    entry = KnowledgeEntry.objects.get(page_id=resources["festival"].pk)
    assert entry.centre == "CRDLA Culture et patrimoine"
    assert KnowledgeEntry.objects.get(page_id=resources["groupement"].pk).centre != (
        "CRDLA Culture et patrimoine"
    )
    assert check_index(db_backend).ok


def test_section_slug_change_reindexes_urls(
    db_backend, resources, culture_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        culture_index.slug = "fonds-documentaire"
        culture_index.save_revision().publish()
    entry = KnowledgeEntry.objects.get(page_id=resources["festival"].pk)
    assert "/fonds-documentaire/" in entry.url
    assert check_index(db_backend).ok


def test_related_changes_are_sent_in_batches(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        schedule_sync_many(range(1, 2 * RELATED_BATCH + 2))
    assert len(callbacks) == 3


def test_nightly_check_compares_whole_documents(db_backend, resources):
    # A change made behind the signals' back (a bulk update): same publication date,
    # different document.
    KnowledgeEntry.objects.filter(page_id=resources["festival"].pk).update(content_hash="0" * 64)
    report = check_knowledge_base()
    assert report["stale"] == [resources["festival"].pk]
    assert check_index(db_backend).ok
