"""Media on S3-compatible object storage (issue 12): the stack keeps them in a private bucket
of a local S3 server (moto), as production does with AWS_STORAGE_BUCKET_NAME. A centre's
editor uploads a document through the admin: it lands in the bucket (not on the disk), its
object is private, the bucket refuses it to an anonymous request, and the site serves it
through its access policy: to the editor, not to an anonymous visitor (sent to sign in) nor to
another centre's editor (403). The demo's images come from the bucket through ``/media/``."""

import json
import posixpath
import re
import secrets

import pytest
import requests

from .helpers import csrf, insecure, login, query

pytestmark = pytest.mark.stack

SETUP = """
import json, secrets
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from crdla.access.media import default_collection_for
from crdla.accounts import roles
from crdla.centres.models import CentrePage

first, other = CentrePage.objects.live().order_by("path")[:2]
accounts = {}
for role, username, centre in (("editor", "medias.editeur", first), ("outsider", "medias.autre", other)):
    password = secrets.token_urlsafe(16)
    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password=password
    )
    user.groups.add(
        Group.objects.get(name=roles.CENTRE_STAFF),
        centre.editors_group,
    )
    accounts[role] = [username, password]
    if role == "editor":
        collection = default_collection_for(user)
print(json.dumps({"accounts": accounts, "collection": collection.pk}))
"""

PUBLIC_READ = "http://acs.amazonaws.com/groups/global/AllUsers"


def test_document_uploaded_in_the_admin_lives_in_the_bucket_and_obeys_the_policy(stack):
    if not stack.s3:
        pytest.skip("pile lancée sans S3 (STACK_S3=0)")
    scene = json.loads(stack.shell(SETUP).strip().splitlines()[-1])
    accounts = scene["accounts"]
    editor = login(stack, *accounts["editor"])
    copy = secrets.token_hex(8)
    title = f"Compte rendu du comité, exemplaire {copy}"
    content = f"{title}\n".encode()
    url = f"{stack.url}/admin/documents/add/"
    token = csrf(editor, url)
    response = editor.post(
        url,
        data={
            "csrfmiddlewaretoken": token,
            "title": title,
            "collection": str(scene["collection"]),
        },
        files={"file": ("compte-rendu-pile.txt", content, "text/plain")},
        headers={"Referer": url},
        timeout=60,
    )
    insecure(editor)
    assert response.status_code == 200, response.status_code
    rows = query(
        stack,
        "SELECT id, file FROM wagtaildocs_document WHERE title = %s",
        title,
    )
    assert len(rows) == 1, re.findall(r"error-message.*", response.text)
    document_id, key = rows[0]

    # In the bucket, private, never on the local disk.
    s3 = stack.s3_client()
    assert s3.get_object(Bucket=stack.bucket, Key=key)["Body"].read() == content
    grants = s3.get_object_acl(Bucket=stack.bucket, Key=key)["Grants"]
    assert all(g["Grantee"].get("URI") != PUBLIC_READ for g in grants), grants
    assert not (stack.workdir / "media" / key).exists()
    direct = requests.get(f"{stack.s3_url}/{stack.bucket}/{key}", timeout=30)
    assert direct.status_code == 403 and content not in direct.content

    # The site's pages never hand out a bucket address.
    edit = editor.get(f"{stack.url}/admin/documents/edit/{document_id}/", timeout=30)
    assert edit.status_code == 200
    assert stack.s3_url not in edit.text and f":{stack.s3_port}" not in edit.text

    # Through the site: the access policy decides.
    served = f"{stack.url}/documents/{document_id}/{posixpath.basename(key)}"
    allowed = editor.get(served, timeout=30)
    assert allowed.status_code == 200 and allowed.content == content
    anonymous = requests.get(served, timeout=30, allow_redirects=False)
    assert anonymous.status_code == 302 and "/connexion/" in anonymous.headers["Location"]
    assert content not in anonymous.content
    outsider = login(stack, *accounts["outsider"])
    refused = outsider.get(served, timeout=30)
    assert refused.status_code == 403 and content not in refused.content
    print(
        f"\n[S3] document {key} : dans le compartiment (privé, {direct.status_code} en direct), "
        f"servi à son éditeur, refusé anonyme ({anonymous.status_code}) et à un autre centre "
        f"({refused.status_code})"
    )


def test_demo_images_come_from_the_bucket_through_the_site(stack):
    if not stack.s3:
        pytest.skip("pile lancée sans S3 (STACK_S3=0)")
    home = requests.get(f"{stack.url}/", timeout=30)
    assert home.status_code == 200
    assert stack.s3_url not in home.text
    sources = re.findall(r'src="(/media/[^"]+)"', home.text)
    assert sources, "aucune image sur la page d'accueil"
    image = requests.get(stack.url + sources[0], timeout=30)
    assert image.status_code == 200 and image.headers["Content-Type"].startswith("image/")
    key = sources[0].removeprefix("/media/")
    stored = stack.s3_client().get_object(Bucket=stack.bucket, Key=key)["Body"].read()
    assert stored == image.content
    assert requests.get(f"{stack.s3_url}/{stack.bucket}/{key}", timeout=30).status_code == 403
