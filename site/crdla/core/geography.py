"""Reference data every installation needs: régions, départements (INSEE) and the four axes."""

import csv
from pathlib import Path

GEO_CSV = Path(__file__).resolve().parents[3] / "fixtures" / "geo_fr.csv"

PROGRAMME_AXES = [
    (1, "Mobiliser", "Mobiliser les acteurs du secteur et les réseaux autour du DLA."),
    (
        2,
        "Appui-conseil et ressources aux DLA",
        "Outiller et conseiller les chargés de mission DLA dans leurs accompagnements.",
    ),
    (
        3,
        "Promouvoir l'activité et l'emploi du secteur",
        "Faire connaître les enjeux économiques et d'emploi du secteur.",
    ),
    (
        4,
        "Coordination, évaluation, capitalisation",
        "Coordonner, évaluer et capitaliser les pratiques d'accompagnement.",
    ),
]


def load_reference_data(region_model, departement_model, axis_model):
    """Create or update régions, départements and axes; returns the three counts."""
    with GEO_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    models = (region_model, departement_model, axis_model)
    if not any(model.objects.exists() for model in models):
        return _insert_reference_data(rows, *models)
    regions = {}
    for row in rows:
        if row["region_code"] not in regions:
            regions[row["region_code"]], _ = region_model.objects.update_or_create(
                code=row["region_code"], defaults={"name": row["region_nom"]}
            )
        departement_model.objects.update_or_create(
            code=row["dept_code"],
            defaults={"name": row["dept_nom"], "region": regions[row["region_code"]]},
        )
    for number, name, description in PROGRAMME_AXES:
        axis_model.objects.update_or_create(
            number=number, defaults={"name": name, "description": description}
        )
    return len(regions), len(rows), len(PROGRAMME_AXES)


def _insert_reference_data(rows, region_model, departement_model, axis_model):
    """The same rows on empty tables, in three bulk inserts.

    Row by row, the 120-odd ``update_or_create`` cost 2 to 3 s on PostgreSQL, paid by the
    migration and, in the test suite, after every transactional test (its flush empties the
    tables; tests/conftest.py recreates them). No ``post_save`` is sent: with no région yet,
    no network page links to one and no page shows one.
    """
    names = {}
    for row in rows:
        names.setdefault(row["region_code"], row["region_nom"])  # the first name, as above
    region_model.objects.bulk_create(region_model(code=c, name=n) for c, n in names.items())
    region_ids = dict(region_model.objects.values_list("code", "pk"))
    departement_model.objects.bulk_create(
        departement_model(
            code=row["dept_code"], name=row["dept_nom"], region_id=region_ids[row["region_code"]]
        )
        for row in rows
    )
    axis_model.objects.bulk_create(
        axis_model(number=number, name=name, description=description)
        for number, name, description in PROGRAMME_AXES
    )
    return len(names), len(rows), len(PROGRAMME_AXES)


# --- Communes (« Trouver mon DLA ») ---------------------------------------------------------

COMMUNES_CSV = GEO_CSV.parent / "geo" / "communes.csv.gz"
SAINT_FORMS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalize_name(text):
    """Lower case, no accents, spaces for hyphens and apostrophes, « St » read as « Saint »."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return " ".join(SAINT_FORMS.get(word, word) for word in words)


def load_communes(commune_model, postcode_model, departement_model, path=COMMUNES_CSV):
    """Replace the communes with those of the shipped file; returns how many were loaded.

    Replacing (rather than updating row by row) keeps a yearly refresh of the file simple:
    a merged or renamed commune disappears, and 37,000 rows load in a few seconds.
    """
    import gzip

    departements = dict(departement_model.objects.values_list("code", "pk"))
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    missing = {row["departement"] for row in rows} - departements.keys()
    if missing:
        raise ValueError(f"Départements inconnus dans {path.name} : {sorted(missing)}")
    postcode_model.objects.all().delete()
    commune_model.objects.all().delete()
    communes = commune_model.objects.bulk_create(
        [
            commune_model(
                code=row["code"],
                name=row["nom"],
                search_name=normalize_name(row["nom"]),
                departement_id=departements[row["departement"]],
                attached_to=row["commune_de_rattachement"],
            )
            for row in rows
        ],
        batch_size=2000,
    )
    postcode_model.objects.bulk_create(
        [
            postcode_model(commune_id=commune.pk, code=code)
            for commune, row in zip(communes, rows, strict=True)
            for code in row["codes_postaux"].split()
        ],
        batch_size=5000,
    )
    analyze(commune_model, postcode_model)
    return len(communes)


def analyze(*models):
    """Fresh planner statistics on PostgreSQL after a bulk load: until autovacuum gets to it,
    the planner takes the new 37,000 communes for a few thousand and answers a postcode by
    hashing the whole table (8 ms instead of 0.4 ms)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
