"""Exchange spaces: contents for members only; the animator and the administrators manage
spaces and membership, read a space only once they joined, and joining is shown to members."""

import pytest
from django.core import mail
from django.urls import reverse

from crdla.accounts import roles
from crdla.network.models import ExchangeSpace, SpaceMembership, SpaceThread

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(grand_est, officer51, animator):
    space = ExchangeSpace.objects.create(network=grand_est, title="Pratiques d'accompagnement")
    SpaceMembership.objects.create(space=space, user=officer51)
    SpaceThread.objects.create(
        space=space, author=officer51, title="Sujet confidentiel", body="Le détail confidentiel."
    )
    return space


def urls(space):
    thread = space.threads.get(is_system=False)
    return [
        reverse("network:space-detail", args=[space.pk]),
        reverse("network:space-thread", args=[space.pk, thread.pk]),
    ]


def test_anonymous_is_sent_to_login(client, space):
    for url in urls(space) + [reverse("network:space-list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_other_network_officer_and_non_member_get_404(client, space, officer35, officer10):
    for user in (officer35, officer10):
        client.force_login(user)
        for url in urls(space):
            assert client.get(url).status_code == 404
        assert client.post(urls(space)[0], {"title": "x", "body": "y"}).status_code == 404
        assert "Pratiques" not in client.get(reverse("network:space-list")).content.decode()


def test_member_reads_and_posts(client, space, officer51):
    client.force_login(officer51)
    response = client.get(urls(space)[0])
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Sujet confidentiel" in response.content.decode()
    response = client.post(urls(space)[0], {"title": "Nouveau sujet", "body": "Question"})
    assert response.status_code == 302
    thread = SpaceThread.objects.get(title="Nouveau sujet")
    client.post(
        reverse("network:space-thread", args=[space.pk, thread.pk]), {"body": "Une réponse"}
    )
    assert thread.replies.get().body == "Une réponse"
    assert mail.outbox == []  # nothing is e-mailed


def test_animator_manages_members(client, space, animator, officer10, officer35):
    client.force_login(animator)
    members_url = reverse("network:space-members", args=[space.pk])
    assert client.get(members_url).status_code == 200
    assert client.post(members_url, {"user": officer10.pk, "role": "officer"}).status_code == 302
    assert space.memberships.filter(user=officer10).exists()
    # An officer of another network is not offered as an officer member.
    response = client.post(members_url, {"user": officer35.pk, "role": "officer"})
    assert response.status_code == 200
    assert "Cette personne est introuvable." in response.content.decode()
    # ...but can be invited as a partner.
    client.post(members_url, {"user": officer35.pk, "role": "partner"})
    assert space.memberships.get(user=officer35).role == "partner"
    membership = space.memberships.get(user=officer10)
    client.post(members_url, {"remove": membership.pk})
    assert not space.memberships.filter(user=officer10).exists()


def test_member_cannot_manage_members(client, space, officer51):
    client.force_login(officer51)
    assert client.get(reverse("network:space-members", args=[space.pk])).status_code == 403


def test_member_can_leave(client, space, officer51):
    client.force_login(officer51)
    response = client.post(reverse("network:space-leave", args=[space.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("network:space-list")
    assert not space.memberships.filter(user=officer51).exists()
    assert client.get(urls(space)[0]).status_code == 404


def test_animator_creates_a_space(client, grand_est, animator, officer51):
    client.force_login(animator)
    response = client.post(
        reverse("network:space-create"), {"title": "Groupe IAE", "description": ""}
    )
    space = ExchangeSpace.objects.get(title="Groupe IAE")
    assert space.network == grand_est
    assert response["Location"] == reverse("network:space-members", args=[space.pk])
    client.force_login(officer51)
    assert client.get(reverse("network:space-create")).status_code == 403


@pytest.fixture
def site_admin(make_user):
    """An administrator by group (not a superuser) and a superuser: both manage, neither reads."""
    return make_user("administrateur.site", roles.ADMINISTRATORS, is_staff=True)


def test_managers_do_not_read_a_space_they_have_not_joined(
    client, space, animator, site_admin, admin_user, officer51
):
    """Issue 9, finding 5: the animator and the administrators see the space, not its contents."""
    thread = space.threads.get(is_system=False)
    for user in (animator, site_admin, admin_user):
        client.force_login(user)
        response = client.get(urls(space)[0])
        assert response.status_code == 200, user.username
        page = response.content.decode()
        assert "Pratiques d&#x27;accompagnement" in page
        assert "Rejoindre l'espace" in page
        for secret in ("Sujet confidentiel", "Le détail confidentiel", officer51.get_full_name()):
            assert secret not in page, (user.username, secret)
        assert client.get(urls(space)[1]).status_code == 403, user.username
        assert client.post(urls(space)[0], {"title": "x", "body": "y"}).status_code == 403
        assert client.post(urls(space)[1], {"body": "y"}).status_code == 403
        assert "Pratiques" in client.get(reverse("network:space-list")).content.decode()
        if user != admin_user:
            continue  # only the superuser has the snippet in the admin
        # The Wagtail admin shows the space, never its threads.
        for url in (
            reverse("wagtailsnippets_network_exchangespace:list"),
            reverse("wagtailsnippets_network_exchangespace:edit", args=[space.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
            assert "confidentiel" not in response.content.decode()
    assert thread.replies.count() == 0


def test_a_manager_who_joins_is_announced_to_the_members(client, space, animator, officer51):
    client.force_login(animator)
    response = client.post(reverse("network:space-join", args=[space.pk]))
    assert response.status_code == 302
    page = client.get(urls(space)[0]).content.decode()
    assert "Sujet confidentiel" in page
    assert client.get(urls(space)[1]).status_code == 200
    client.force_login(officer51)
    page = client.get(urls(space)[0]).content.decode()
    assert f"{animator.get_full_name()} a rejoint l&#x27;espace" in page  # a variable: escaped
    assert "Animation ou administration" in page  # in the member list
    # A member cannot "join" again, and an outsider cannot join.
    assert client.post(reverse("network:space-join", args=[space.pk])).status_code == 403


def test_outsiders_cannot_join_close_or_manage(client, space, officer10, officer51):
    client.force_login(officer10)
    for name in ("space-join", "space-close"):
        assert client.post(reverse(f"network:{name}", args=[space.pk])).status_code == 404
    client.force_login(officer51)
    assert client.post(reverse("network:space-close", args=[space.pk])).status_code == 403


def test_a_closed_space_is_read_only_for_its_members(client, space, animator, officer51):
    client.force_login(animator)
    response = client.post(reverse("network:space-close", args=[space.pk]))
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.closed_at is not None
    client.force_login(officer51)
    response = client.get(urls(space)[0])
    assert response.status_code == 200
    assert "Sujet confidentiel" in response.content.decode()
    assert "Nouvelle discussion" not in response.content.decode()
    assert client.post(urls(space)[0], {"title": "x", "body": "y"}).status_code == 403
    assert client.post(urls(space)[1], {"body": "y"}).status_code == 403
    client.force_login(animator)
    client.post(reverse("network:space-close", args=[space.pk]), {"reopen": "1"})
    space.refresh_from_db()
    assert space.closed_at is None
