"""First impression (issue 11): icons, titles, link previews, the menu and search on small
screens, print styles — checked on the rendered HTML and the stylesheet."""

import html
import re
from pathlib import Path

from django.conf import settings

from tests.public_site import build_public_site, public_urls

STATIC = Path(settings.BASE_DIR) / "static"


def meta(body, name):
    match = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', body)
    return html.unescape(match.group(1)) if match else None


def test_favicon_and_touch_icons_exist_and_are_linked(client, home):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".ico")
    for name in ("favicon.ico", "mark.svg", "apple-touch-icon.png", "icon-192.png", "icon-512.png"):
        assert (STATIC / "img" / name).stat().st_size > 0, name
    body = client.get("/").content.decode()
    assert 'rel="apple-touch-icon"' in body and 'type="image/svg+xml"' in body
    assert 'rel="manifest"' in body


def test_home_title_is_not_repeated(client, home):
    body = client.get("/").content.decode()
    title = re.search(r"<title>([^<]*)</title>", body).group(1)
    assert title.count("Centres de ressources DLA") == 1, title


def test_every_page_has_its_open_graph_and_twitter_card(client, home):
    site = build_public_site(home)
    for name, url in public_urls(site).items():
        if url is None or name == "page-introuvable":
            continue
        body = client.get(url).content.decode()
        assert meta(body, "og:title"), name
        assert meta(body, "og:url").startswith("http://testserver/"), name
        assert meta(body, "og:image").startswith("http://testserver/static/"), name
        assert meta(body, "twitter:card") == "summary_large_image", name
    resource = client.get(site["resource"].url).content.decode()
    assert meta(resource, "og:title") == site["resource"].title
    assert meta(resource, "og:type") == "article"
    assert meta(resource, "og:url") == "http://testserver" + site["resource"].url


def test_menu_is_a_disclosure_without_script(client, home):
    body = client.get("/").content.decode()
    nav = body[body.index('<nav class="main-nav"') : body.index("</nav>")]
    assert '<details class="menu-disclosure">' in nav
    assert "<summary" in nav and ">Menu</summary>" in nav
    assert "<script" not in nav


def test_search_facets_wait_behind_filtrer_which_keeps_its_state_in_the_url(client, home):
    body = client.get("/recherche/").content.decode()
    if "search-facets" in body:  # facets are shown when there is something to filter
        assert '<details class="filter-disclosure">' in body
        assert ">Filtrer</summary>" in body
        opened = client.get("/recherche/?filtres=1").content.decode()
        assert '<details class="filter-disclosure" open>' in opened
    css = (STATIC / "css" / "search.css").read_text()
    assert ".search-results { order: -1; }" in css


def test_stylesheet_has_touch_targets_contrast_tokens_and_print_styles():
    css = (STATIC / "css" / "site.css").read_text()
    assert "--target: 44px" in css
    assert "@media print" in css
    assert "::details-content" in css
    # No fixed width wider than the smallest screen (320 px = 20rem).
    rules = re.sub(r"@media[^{]*\{", "{", css)  # breakpoints are not widths
    widths = [float(w) for w in re.findall(r"(?<![-\w])(?:min-)?width: (\d+(?:\.\d+)?)rem", rules)]
    assert all(width <= 20 for width in widths), widths
