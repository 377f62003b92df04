"""Two gunicorn instances behind the same Redis cache (issue 12): an editor republishes a
resource with a new title through instance A's admin; instance B, whose copy of the public
page is cached, serves the new title at the next request, and its search finds the resource
once the worker has indexed it."""

import json
import time

import pytest
import requests
from bs4 import BeautifulSoup

from .helpers import form_data, insecure, login, query, wait_until

pytestmark = pytest.mark.stack

SETUP = """
import json, secrets
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from crdla.accounts import roles
from crdla.resources.models import ResourcePage

source = ResourcePage.objects.live().public().order_by("path").first()
copy = source.copy(
    update_attrs={"title": "Fiche pratique des deux instances", "slug": "fiche-deux-instances"},
    keep_live=False,
    log_action=None,
)
copy.save_revision().publish()
password = secrets.token_urlsafe(16)
user = get_user_model().objects.create_user(
    "editeur.pile", email="editeur.pile@example.org", password=password,
    first_name="Éditrice", last_name="Pile",
)
user.groups.add(
    Group.objects.get(name=roles.CENTRE_STAFF),
    copy.centre.editors_group,
)
print(json.dumps({"username": user.username, "password": password, "page": copy.pk,
                  "url": copy.get_url()}))
"""

NEW_TITLE = "Guide cerfvolant des deux instances"


def heading(html):
    return BeautifulSoup(html, "html.parser").h1.get_text(" ", strip=True)


def cached_title(url):
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, (url, response.status_code)
    return response.headers.get("X-Page-Cache"), response.text


def test_republish_on_instance_a_shows_on_instance_b_and_its_search(stack):
    scene = json.loads(stack.shell(SETUP).strip().splitlines()[-1])
    path = "/" + scene["url"].split("://", 1)[-1].split("/", 1)[-1]
    page_b = stack.url2 + path
    cached_title(page_b)
    hit, html = cached_title(page_b)
    assert hit == "hit", "la page publique n'est pas en cache sur l'instance B"
    assert heading(html) == "Fiche pratique des deux instances"

    session = login(stack, scene["username"], scene["password"])
    edit = f"{stack.url}/admin/pages/{scene['page']}/edit/"
    fields = {}
    form = session.get(edit, timeout=30).text
    insecure(session)
    for name, value in form_data(form, "form[data-edit-form]"):
        fields.setdefault(name, []).append(value)
    # Without JavaScript the body's blocks are not posted: the republished body is empty.
    fields.update({"title": NEW_TITLE, "body-count": "0", "action-publish": "action-publish"})
    started = time.monotonic()
    response = session.post(edit, data=fields, headers={"Referer": edit}, timeout=60)
    assert response.status_code == 200, (response.status_code, response.text[:1500])
    assert f"/admin/pages/{scene['page']}/edit/" not in response.url, response.text[-3000:]
    assert query(stack, "SELECT title FROM wagtailcore_page WHERE id = %s", scene["page"]) == [
        (NEW_TITLE,)
    ]

    hit, html = cached_title(page_b)
    assert heading(html) == NEW_TITLE, "l'instance B sert encore l'ancienne page"

    def found_on_b():
        answer = requests.get(f"{stack.url2}/recherche/", params={"q": "cerfvolant"}, timeout=30)
        return answer.status_code == 200 and f'href="{path}"' in answer.text

    indexed = wait_until(found_on_b, 60)
    seconds = time.monotonic() - started
    print(
        f"\n[deux instances] titre changé sur A, servi par B à la requête suivante ; "
        f"trouvé par la recherche de B {seconds:.1f} s après l'envoi du formulaire"
    )
    assert indexed is not None
