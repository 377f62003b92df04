"""One way to attach a file to a resource: the « Documents joints » panel (issue 17).

The body's « Document à télécharger » blocks become attached documents (same document, in
the order they appeared, after those already attached), in the page row (live content) and in
the latest revision (the draft being edited). The access policy (``crdla.access.media``)
reads Wagtail's reference index: the page still references the same documents, so their
audience does not change; the next save of the page re-indexes the new location.
"""

import json

import wagtail.fields
from django.db import migrations
from django.db.models import TextField
from django.db.models.functions import Cast


def split_documents(stream):
    """(blocks without the document blocks, ids of the documents they pointed at)."""
    kept, documents = [], []
    for block in stream or []:
        if block.get("type") == "document":
            value = block.get("value") or {}
            document = value.get("document") if isinstance(value, dict) else None
            if document and document not in documents:
                documents.append(document)
        else:
            kept.append(block)
    return kept, documents


def as_stream(value):
    if isinstance(value, str):
        return json.loads(value or "[]")
    return list(value or [])


def move_document_blocks(apps, schema_editor):
    ResourcePage = apps.get_model("resources", "ResourcePage")
    ResourceDocument = apps.get_model("resources", "ResourceDocument")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    page_type = ContentType.objects.filter(app_label="resources", model="resourcepage").first()

    # The raw JSON, as stored: a StreamValue would drop the block types it does not know.
    rows = ResourcePage.objects.annotate(raw_body=Cast("body", TextField())).values_list(
        "pk", "raw_body"
    )
    for page_pk, raw_body in rows.iterator():
        body, documents = split_documents(as_stream(raw_body))
        if documents:
            attached = list(
                ResourceDocument.objects.filter(page_id=page_pk).values_list(
                    "document_id", flat=True
                )
            )
            position = len(attached)
            for document in documents:
                if document in attached:
                    continue
                ResourceDocument.objects.create(
                    page_id=page_pk, document_id=document, sort_order=position
                )
                position += 1
            ResourcePage.objects.filter(pk=page_pk).update(body=body)
        if page_type is None:
            continue
        revision = (
            Revision.objects.filter(content_type=page_type, object_id=str(page_pk))
            .order_by("-created_at", "-pk")
            .first()
        )
        if revision is None:
            continue
        content = revision.content
        draft_body, draft_documents = split_documents(as_stream(content.get("body")))
        if not draft_documents:
            continue
        links = content.get("documents") or []
        known = {link.get("document") for link in links}
        for document in draft_documents:
            if document in known:
                continue
            links.append(
                {"pk": None, "page": page_pk, "document": document, "sort_order": len(links)}
            )
        original = content.get("body")
        content["body"] = json.dumps(draft_body) if isinstance(original, str) else draft_body
        content["documents"] = links
        revision.content = content
        revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0003_cover_images"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(move_document_blocks, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="resourcepage",
            name="body",
            field=wagtail.fields.StreamField(
                [("heading", 2), ("paragraph", 3), ("image", 7), ("quote", 10), ("embed", 11)],
                blank=True,
                block_lookup={
                    0: ("wagtail.blocks.CharBlock", (), {"label": "Titre"}),
                    1: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [("h2", "Niveau 2"), ("h3", "Niveau 3"), ("h4", "Niveau 4")],
                            "label": "Niveau",
                        },
                    ),
                    2: ("wagtail.blocks.StructBlock", [[("text", 0), ("level", 1)]], {}),
                    3: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": [
                                "bold",
                                "italic",
                                "link",
                                "document-link",
                                "ol",
                                "ul",
                                "h3",
                                "h4",
                            ],
                            "label": "Paragraphe",
                            "template": "blocks/paragraph_block.html",
                        },
                    ),
                    4: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "Image"}),
                    5: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Laisser vide si l'image est décorative.",
                            "label": "Texte alternatif",
                            "required": False,
                        },
                    ),
                    6: ("wagtail.blocks.CharBlock", (), {"label": "Légende", "required": False}),
                    7: (
                        "wagtail.blocks.StructBlock",
                        [[("image", 4), ("alt", 5), ("caption", 6)]],
                        {},
                    ),
                    8: ("wagtail.blocks.TextBlock", (), {"label": "Citation"}),
                    9: ("wagtail.blocks.CharBlock", (), {"label": "Source", "required": False}),
                    10: ("wagtail.blocks.StructBlock", [[("text", 8), ("source", 9)]], {}),
                    11: (
                        "wagtail.embeds.blocks.EmbedBlock",
                        (),
                        {
                            "help_text": "Adresse YouTube, Vimeo…",
                            "label": "Vidéo ou contenu intégré",
                        },
                    ),
                },
                verbose_name="contenu",
            ),
        ),
    ]
