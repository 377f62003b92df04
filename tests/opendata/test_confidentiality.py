"""Canary: markers planted in DLA-only pages and their documents, in drafts and in a
programme under revision never appear in any open-data output, whoever asks; the admin does
see them on the site itself (the allowed case).

``OPEN_DATA_OUTPUTS`` lists every open-data output; it is meant to join the registry of the
site-wide canary test when that lands.
"""

import json

from tests.opendata.conftest import MARKER
from tests.opendata.openapi import assert_conforms

API_TYPES = (
    "resources.ResourcePage",
    "resources.NewsPage",
    "resources.EventPage",
    "centres.CentrePage",
    "workflows.ProgrammePage",
    "network.CallForTendersPage",
    "network.NetworkPage",
    "network.DLAPage",
)

OPEN_DATA_OUTPUTS = [
    *(f"/api/v2/pages/?type={name}&fields=*&limit=100" for name in API_TYPES),
    "/api/v2/pages/?limit=100&fields=*",
    "/api/v2/pages/?search=r%C3%A9serv%C3%A9",
    f"/api/v2/pages/?search={MARKER}",
    "/api/v2/documents/?limit=100&fields=*",
    "/api/v2/images/?limit=100&fields=*",
    "/api/v2/schema/",
    "/donnees/api/",
]


def outputs(client, site):
    """Every open-data output with the details of every listed item."""
    for path in OPEN_DATA_OUTPUTS:
        response = client.get(path)
        assert response.status_code == 200, path
        yield path, response
    for endpoint in ("pages", "documents"):
        for item in client.get(f"/api/v2/{endpoint}/?limit=100").json()["items"]:
            path = f"/api/v2/{endpoint}/{item['id']}/"
            yield path, client.get(path)


def body_of(response):
    text = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(response.json(), ensure_ascii=False)
    return text


def check_no_marker(client, site):
    count = 0
    for path, response in outputs(client, site):
        assert MARKER not in body_of(response), path
        count += 1
    hidden = [site["restricted_resource"], site["restricted_news"], site["restricted_event"]]
    for page in [*hidden, site["draft"]]:
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    for document in (site["secret_doc"], site["draft_doc"]):
        assert client.get(f"/api/v2/documents/{document.pk}/").status_code == 404
    return count


def test_no_marker_anonymously(client, open_site):
    assert check_no_marker(client, open_site) > len(OPEN_DATA_OUTPUTS)


def test_the_api_is_anonymous_whatever_the_session(client, open_site, admin_user):
    client.force_login(admin_user)
    # The allowed case: the administrator does see the DLA-only page and finds it on the site.
    restricted = client.get(open_site["restricted_resource"].url)
    assert restricted.status_code == 200 and MARKER in restricted.content.decode()
    assert MARKER in client.get(f"/recherche/?q={MARKER}").content.decode()
    # The same administrator gets the anonymous view from the open data.
    check_no_marker(client, open_site)
    response = client.get("/api/v2/pages/?limit=100")
    assert_conforms(response, "/api/v2/pages/")
    client.logout()
    assert client.get("/api/v2/pages/?limit=100").json() == response.json()
