"""PostgreSQL: a small title+summary tsvector for ranking.

Ranking with the full vector de-TOASTs the whole document for every match, which dominates
searches matching thousands of resources; this one stays inline in the row. Matching still
uses the full ``search_vector`` (GIN).
"""

from django.db import migrations

FORWARD = """
ALTER TABLE search_knowledgeentry ADD COLUMN rank_vector tsvector
  GENERATED ALWAYS AS (
    setweight(to_tsvector('crdla_french'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('crdla_french'::regconfig, coalesce(summary, '')), 'B')
  ) STORED
"""
BACKWARD = "ALTER TABLE search_knowledgeentry DROP COLUMN IF EXISTS rank_vector"


def run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
