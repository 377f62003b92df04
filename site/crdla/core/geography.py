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
