"""The listing filters and related resources, rewritten as subqueries, still select the right pages."""

from tests.factories import AudienceFactory, ResourcePageFactory, SectorFactory, ThemeFactory, axis


def make(index, slug, kind="guide", themes=(), audiences=(), axes=(), sectors=(), **fields):
    page = ResourcePageFactory(parent=index, slug=slug, title=f"Titre {slug}", kind=kind, **fields)
    page.themes.set(themes)
    page.audiences.set(audiences)
    page.axes.set(axes)
    page.sectors.set(sectors)
    page.save()
    return page


def titles(client, url, **params):
    body = client.get(url, params).content.decode()
    return {slug for slug in ("a", "b", "c", "d") if f"Titre {slug}<" in body}


def test_each_filter_and_their_combination(client, culture_index):
    eco, rh = ThemeFactory(slug="eco"), ThemeFactory(slug="rh")
    cm = AudienceFactory(slug="cm")
    sport = SectorFactory(slug="sport")
    make(culture_index, "a", themes=[eco, rh], audiences=[cm], axes=[axis(1)], sectors=[sport])
    make(culture_index, "b", kind="outil", themes=[eco], axes=[axis(2)])
    make(culture_index, "c", themes=[rh], audiences=[cm])
    make(culture_index, "d", kind="outil", visibility="dla", themes=[eco])
    url = culture_index.url
    assert titles(client, url) == {"a", "b", "c"}
    assert titles(client, url, theme="eco") == {"a", "b"}
    assert titles(client, url, public="cm") == {"a", "c"}
    assert titles(client, url, axe="2") == {"b"}
    assert titles(client, url, secteur="sport") == {"a"}
    assert titles(client, url, type="outil") == {"b"}
    assert titles(client, url, theme="eco", public="cm") == {"a"}
    assert titles(client, url, theme="inconnu") == set()
    # A resource in two selected themes is listed once.
    assert client.get(url, {"theme": "eco"}).content.decode().count("Titre a<") == 1


def test_related_resources_share_a_theme_and_respect_visibility(client, culture_index):
    eco, rh = ThemeFactory(slug="eco"), ThemeFactory(slug="rh")
    a = make(culture_index, "a", themes=[eco, rh])
    make(culture_index, "b", themes=[eco])
    make(culture_index, "c", themes=[ThemeFactory(slug="autre")])
    make(culture_index, "d", themes=[rh], visibility="dla")
    body = client.get(a.url).content.decode()
    assert "Titre b<" in body and "Titre c<" not in body and "Titre d<" not in body
    assert body.count("Titre b<") == 1
