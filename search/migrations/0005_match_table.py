"""PostgreSQL: a narrow match table beside the entries, kept in sync by triggers.

Matching a word found in half the resources visits the heap row of every match; in the
entries table those rows carry the title, summary, body and attachments (117 MB for 100,000
resources). ``search_knowledgematch`` holds only what matching and ranking read: the page id,
the full ``search_vector`` (moved out of line: ``toast_tuple_target`` 128, so the GIN index
answers and the heap visit reads a few bytes per match) and the small ``rank_vector`` (kept
inline: storage MAIN). No statistics on ``search_vector``: with them the planner chooses a
sequential scan for a frequent word and de-TOASTs every vector (seconds at 100,000); without
them it estimates any match at 0.5 % of the rows and goes through the GIN index, which needs
no ``SET enable_seqscan`` (and no transaction around the match). The table's row count
still matters (a rebuild vacuums and analyses it; no statistics on ``rank_vector`` either,
never filtered on).

The triggers mirror the entries table like SQLite's FTS5 triggers (migration 0002): every
write path (bulk creation, deletion, the rebuild's ``DELETE``, ``TRUNCATE``) keeps it exact.
The vocabulary's trigram index becomes an index on ``word::text``: « Vouliez-vous dire »
compares ``word % %s`` on the text cast of the ``varchar`` column, which the index on the
column itself never served (a scan of the whole vocabulary, 23 ms for 16,000 words at
100,000 resources; 0.2 ms through the index).

SQLite: nothing (its FTS5 table is already narrow, its vocabulary has no trigram index).
"""

from django.db import migrations

FORWARD = [
    """
    CREATE TABLE search_knowledgematch (
      page_id integer PRIMARY KEY,
      search_vector tsvector NOT NULL,
      rank_vector tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)
    """,
    "ALTER TABLE search_knowledgematch ALTER COLUMN rank_vector SET STORAGE MAIN",
    "ALTER TABLE search_knowledgematch ALTER COLUMN search_vector SET STATISTICS 0",
    "ALTER TABLE search_knowledgematch ALTER COLUMN rank_vector SET STATISTICS 0",
    """
    CREATE FUNCTION search_knowledgematch_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_knowledgematch (page_id, search_vector, rank_vector)
        SELECT page_id, search_vector, rank_vector FROM new_rows
        ON CONFLICT (page_id) DO UPDATE
          SET search_vector = EXCLUDED.search_vector, rank_vector = EXCLUDED.rank_vector;
      RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION search_knowledgematch_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM search_knowledgematch m USING old_rows o WHERE m.page_id = o.page_id;
      INSERT INTO search_knowledgematch (page_id, search_vector, rank_vector)
        SELECT page_id, search_vector, rank_vector FROM new_rows;
      RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION search_knowledgematch_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM search_knowledgematch m USING old_rows o WHERE m.page_id = o.page_id;
      RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION search_knowledgematch_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      TRUNCATE search_knowledgematch;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER search_knowledgematch_insert AFTER INSERT ON search_knowledgeentry
      REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION search_knowledgematch_insert()
    """,
    """
    CREATE TRIGGER search_knowledgematch_update AFTER UPDATE ON search_knowledgeentry
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION search_knowledgematch_update()
    """,
    """
    CREATE TRIGGER search_knowledgematch_delete AFTER DELETE ON search_knowledgeentry
      REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION search_knowledgematch_delete()
    """,
    """
    CREATE TRIGGER search_knowledgematch_truncate AFTER TRUNCATE ON search_knowledgeentry
      FOR EACH STATEMENT EXECUTE FUNCTION search_knowledgematch_truncate()
    """,
    """
    INSERT INTO search_knowledgematch (page_id, search_vector, rank_vector)
      SELECT page_id, search_vector, rank_vector FROM search_knowledgeentry
    """,
    # After the copy: built in one pass, with its statistics (no pending list).
    "CREATE INDEX knowledge_match_vector ON search_knowledgematch USING gin (search_vector)",
    "DROP INDEX knowledge_word_trgm",
    "CREATE INDEX knowledge_word_trgm ON search_knowledgeword USING gin ((word::text) gin_trgm_ops)",
    "ANALYZE search_knowledgeword",
]
BACKWARD = [
    "DROP INDEX knowledge_word_trgm",
    "CREATE INDEX knowledge_word_trgm ON search_knowledgeword USING gin (word gin_trgm_ops)",
    "DROP TRIGGER IF EXISTS search_knowledgematch_truncate ON search_knowledgeentry",
    "DROP TRIGGER IF EXISTS search_knowledgematch_delete ON search_knowledgeentry",
    "DROP TRIGGER IF EXISTS search_knowledgematch_update ON search_knowledgeentry",
    "DROP TRIGGER IF EXISTS search_knowledgematch_insert ON search_knowledgeentry",
    "DROP FUNCTION IF EXISTS search_knowledgematch_truncate()",
    "DROP FUNCTION IF EXISTS search_knowledgematch_delete()",
    "DROP FUNCTION IF EXISTS search_knowledgematch_update()",
    "DROP FUNCTION IF EXISTS search_knowledgematch_insert()",
    "DROP TABLE IF EXISTS search_knowledgematch",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0004_content_hash")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
