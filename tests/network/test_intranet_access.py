"""Intranet of a network: visible to its officers and animator only, never public."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from crdla.network.access import network_group
from crdla.network.models import IntranetNewsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(intranet):
    page = IntranetNewsPage(title="Réunion des chargés de mission", slug="reunion")
    intranet.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_anonymous_is_sent_to_login(client, intranet, news):
    for page in (intranet, news):
        response = client.get(page.url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_officer_of_another_network_is_forbidden(client, intranet, news, officer35):
    client.force_login(officer35)
    assert client.get(intranet.url).status_code == 403
    assert client.get(news.url).status_code == 403


def test_officers_and_animator_of_the_network_can_read(
    client, intranet, news, officer51, officer10, animator
):
    for user in (officer51, officer10, animator):
        client.force_login(user)
        response = client.get(intranet.url)
        assert response.status_code == 200, user
        assert "Réunion des chargés de mission" in response.content.decode()
        assert client.get(news.url).status_code == 200


def test_officer_without_the_network_group_role_is_forbidden(client, intranet, make_user):
    outsider = make_user("centre.staff")
    client.force_login(outsider)
    assert client.get(intranet.url).status_code == 403


def test_group_follows_membership(intranet, grand_est, officer51, officer35, make_user):
    group_users = set(
        intranet.get_view_restrictions()
        .get()
        .groups.get(pk=network_group(grand_est).pk)
        .user_set.values_list("username", flat=True)
    )
    assert group_users == {"cm.dla51", "cm.dla10", "animateur.grandest"}
    # An officer moving to Grand Est gains access through the signal.
    officer35.profile.network = grand_est
    officer35.profile.save()
    assert officer35.groups.filter(pk=network_group(grand_est).pk).exists()


def test_intranet_is_never_public(client, intranet, news):
    assert not Page.objects.live().public().filter(pk__in=[intranet.pk, news.pk]).exists()
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert "intranet" not in sitemap
