"""Cover images: alt text or « décorative » required, responsive renditions, focal point kept."""

import io
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from wagtail.images import get_image_model

from tests.factories import ResourcePageFactory

pytestmark = pytest.mark.django_db


def make_image(title="Illustration", description="", focal=None, size=(400, 200)):
    """A two-colour image: red on the left half, blue on the right half."""
    picture = PILImage.new("RGB", size, (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    image = get_image_model()(title=title, description=description)
    image.file.save(f"{title}.png", ImageFile(buffer, name=f"{title}.png"), save=False)
    if focal:
        image.focal_point_x, image.focal_point_y, image.focal_point_width = focal
        image.focal_point_height = focal[2]
    image.save()
    return image


@pytest.fixture
def resource_index(culture_index):
    return culture_index


def test_an_undescribed_cover_needs_alt_text_or_the_decorative_box(resource_index):
    page = ResourcePageFactory(parent=resource_index)
    page.cover_image = make_image()
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "cover_alt" in error.value.message_dict

    page.cover_decorative = True
    page.full_clean()
    assert page.cover_alt_text == ""

    page.cover_decorative, page.cover_alt = False, "Deux couleurs"
    page.full_clean()
    assert page.cover_alt_text == "Deux couleurs"


def test_the_media_library_description_is_the_default_alt_text(resource_index):
    image = make_image(description="Un drapeau rouge et bleu")
    page = ResourcePageFactory(parent=resource_index, cover_image=image)
    page.full_clean()
    assert page.cover_alt_text == "Un drapeau rouge et bleu"


def test_cover_and_cards_are_responsive_renditions(client, resource_index):
    image = make_image(description="Un drapeau rouge et bleu")
    page = ResourcePageFactory(
        parent=resource_index, cover_image=image, cover_credit="Photo : CRDLA — CC0"
    )
    html = client.get(page.url).content.decode()
    cover = re.search(r'<figure class="cover">.*?</figure>', html, re.S).group(0)
    assert '<source sizes="(min-width: 50rem) 48rem, 100vw"' in cover
    assert 'type="image/webp"' in cover
    assert cover.count(".webp ") == 3  # three widths in the WebP srcset
    assert 'alt="Un drapeau rouge et bleu"' in cover
    assert 'loading="lazy"' not in cover  # above the fold
    assert "Photo : CRDLA — CC0" in cover

    listing = client.get(resource_index.url).content.decode()
    card = re.search(r'<div class="card-image">.*?</div>', listing, re.S).group(0)
    assert 'loading="lazy"' in card and 'alt=""' in card and 'type="image/webp"' in card


def dominant_colour(client, url, selector_class):
    html = client.get(url).content.decode()
    block = re.search(rf'class="{selector_class}".*?</picture>', html, re.S).group(0)
    src = re.search(r'<img[^>]* src="([^"]+)"', block).group(1)
    with default_storage.open(src.removeprefix(settings.MEDIA_URL)) as handle:
        red, _green, blue = PILImage.open(handle).convert("RGB").resize((1, 1)).getpixel((0, 0))
    return "red" if red > blue else "blue"


def test_crops_keep_the_focal_point(client, resource_index):
    """The 16:9 cover of a 2:1 image is cropped around the focal point, not the centre."""
    left = ResourcePageFactory(
        parent=resource_index,
        slug="gauche",
        cover_image=make_image("gauche", "Rouge", focal=(40, 100, 40), size=(800, 200)),
    )
    right = ResourcePageFactory(
        parent=resource_index,
        slug="droite",
        cover_image=make_image("droite", "Bleu", focal=(760, 100, 40), size=(800, 200)),
    )
    assert dominant_colour(client, left.url, "cover") == "red"
    assert dominant_colour(client, right.url, "cover") == "blue"
