"""Engine-specific full-text structures of the knowledge base.

PostgreSQL: the ``unaccent`` and ``pg_trgm`` extensions, a ``crdla_french`` text search
configuration (unaccent, then the French Snowball stemmer) so that « economie » finds
« économie », a stored weighted ``tsvector`` generated column (A title, B summary, C body,
D attachments) with a GIN index, and a trigram index on the vocabulary.
SQLite: an external-content FTS5 table over the entries with an accent-folding tokenizer,
kept in sync by triggers.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'crdla_french') THEN
        CREATE TEXT SEARCH CONFIGURATION crdla_french (COPY = pg_catalog.french);
        ALTER TEXT SEARCH CONFIGURATION crdla_french
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
      END IF;
    END $$
    """,
    """
    ALTER TABLE search_knowledgeentry ADD COLUMN search_vector tsvector
      GENERATED ALWAYS AS (
        setweight(to_tsvector('crdla_french'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('crdla_french'::regconfig, coalesce(summary, '')), 'B')
        || setweight(to_tsvector('crdla_french'::regconfig, coalesce(body, '')), 'C')
        || setweight(to_tsvector('crdla_french'::regconfig, coalesce(attachments, '')), 'D')
      ) STORED
    """,
    "CREATE INDEX knowledge_search_vector ON search_knowledgeentry USING gin (search_vector)",
    "CREATE INDEX knowledge_word_trgm ON search_knowledgeword USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS knowledge_word_trgm",
    "ALTER TABLE search_knowledgeentry DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS crdla_french",
]

SQLITE_COLUMNS = "title, summary, body, attachments"
SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE search_knowledgefts USING fts5(
      {SQLITE_COLUMNS}, content='search_knowledgeentry', content_rowid='page_id',
      tokenize="unicode61 remove_diacritics 2"
    )
    """,
    f"""
    CREATE TRIGGER search_knowledgeentry_ai AFTER INSERT ON search_knowledgeentry BEGIN
      INSERT INTO search_knowledgefts(rowid, {SQLITE_COLUMNS})
      VALUES (new.page_id, new.title, new.summary, new.body, new.attachments);
    END
    """,
    f"""
    CREATE TRIGGER search_knowledgeentry_ad AFTER DELETE ON search_knowledgeentry BEGIN
      INSERT INTO search_knowledgefts(search_knowledgefts, rowid, {SQLITE_COLUMNS})
      VALUES ('delete', old.page_id, old.title, old.summary, old.body, old.attachments);
    END
    """,
    f"""
    CREATE TRIGGER search_knowledgeentry_au AFTER UPDATE ON search_knowledgeentry BEGIN
      INSERT INTO search_knowledgefts(search_knowledgefts, rowid, {SQLITE_COLUMNS})
      VALUES ('delete', old.page_id, old.title, old.summary, old.body, old.attachments);
      INSERT INTO search_knowledgefts(rowid, {SQLITE_COLUMNS})
      VALUES (new.page_id, new.title, new.summary, new.body, new.attachments);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_knowledgeentry_au",
    "DROP TRIGGER IF EXISTS search_knowledgeentry_ad",
    "DROP TRIGGER IF EXISTS search_knowledgeentry_ai",
    "DROP TABLE IF EXISTS search_knowledgefts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
