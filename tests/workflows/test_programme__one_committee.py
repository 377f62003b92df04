"""One committee: the seats the site administrators edit (a snippet) are the ones the public
centre page lists and the ones the programme process asks for reviews and the decision."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from crdla.access import programmes as access
from crdla.accounts import roles
from crdla.centres.models import CommitteeSeat

from .conftest import fill_programme, strip_tags

SEATS = "wagtailsnippets_centres_committeeseat"


def public_text(client, centre):
    client.logout()
    response = client.get(centre.url)
    assert response.status_code == 200
    return strip_tags(response.content.decode())


def seat_form(centre, institution, name, user=None, is_chair=False):
    data = {"centre": centre.pk, "institution": institution, "member_name": name}
    if user is not None:
        data["user"] = user.pk
    if is_chair:
        data["is_chair"] = "on"
    return data


def test_a_seat_added_by_an_administrator_is_shown_and_reviews(
    pilotage, client, committee, culture, culture_editor, admin_user, make_user
):
    CommitteeSeat.objects.filter(centre=culture, institution="avise").delete()
    assert "Romain Delorme" not in public_text(client, culture)
    programme = pilotage.start(culture_editor, culture)
    fill_programme(programme)
    text = strip_tags(pilotage.submit(culture_editor, programme).content.decode())
    assert "n'a pas de membre pour : Avise." in text.replace("&#x27;", "'")

    newcomer = make_user("comite.avise2")
    client.force_login(admin_user)
    response = pilotage.post(
        reverse(f"{SEATS}:add"), seat_form(culture, "avise", "Romain Delorme", newcomer)
    )
    assert response.status_code == 302, strip_tags(response.content.decode())[:2000]

    assert "Avise : Romain Delorme" in public_text(client, culture)
    assert pilotage.submit(culture_editor, programme).status_code == 302
    review = pilotage.open_task(programme, "review_avise")
    assert review.owner == newcomer
    response = pilotage.do(
        newcomer, programme, "review_avise", {"opinion": "favourable", "comment": "Bien."}
    )
    assert response.status_code == 302
    assert programme.reviews.get(institution="avise").reviewer == newcomer


def test_a_seat_removed_by_an_administrator_is_gone_from_both(
    pilotage, client, committee, culture, culture_editor, admin_user
):
    seat = CommitteeSeat.objects.get(centre=culture, institution="dgefp")
    seat.member_name = "Antoine Berthier"
    seat.save()
    assert "DGEFP (État) : Antoine Berthier" in public_text(client, culture)
    programme = pilotage.start(culture_editor, culture)
    client.force_login(committee["dgefp"])
    detail = reverse("programme:programme_detail", args=[programme.pk])
    assert client.get(detail).status_code == 200

    client.force_login(admin_user)
    response = pilotage.post(reverse(f"{SEATS}:delete", args=[seat.pk]))
    assert response.status_code == 302

    assert "Antoine Berthier" not in public_text(client, culture)
    client.force_login(committee["dgefp"])
    assert client.get(detail).status_code == 403
    fill_programme(programme)
    text = strip_tags(pilotage.submit(culture_editor, programme).content.decode())
    assert "n'a pas de membre pour : DGEFP (État)." in text.replace("&#x27;", "'")


def test_a_public_seat_without_an_account_is_shown_but_cannot_review(
    pilotage, client, committee, culture, culture_editor
):
    CommitteeSeat.objects.filter(centre=culture, institution="cdc").update(
        user=None, member_name="Nadia Khelifi"
    )
    assert "Banque des Territoires (CDC) : Nadia Khelifi" in public_text(client, culture)
    assert not access.is_committee_member(committee["cdc"], culture.pk)
    programme = pilotage.start(culture_editor, culture)
    fill_programme(programme)
    text = strip_tags(pilotage.submit(culture_editor, programme).content.decode())
    assert "n'est relié à aucun compte" in text.replace("&#x27;", "'")
    assert programme.versions.count() == 0


@pytest.mark.parametrize("role", ["administrator", "superuser"])
def test_administrators_edit_the_committee(client, committee, culture, make_user, role):
    user = (
        make_user("admin.groupe", roles.ADMINISTRATORS)
        if role == "administrator"
        else make_user("admin.super", is_superuser=True, is_staff=True)
    )
    client.force_login(user)
    response = client.get(reverse(f"{SEATS}:list"))
    assert response.status_code == 200
    assert "Membre dgefp" in response.content.decode()
    seat = CommitteeSeat.objects.get(centre=culture, institution="dgefp")
    data = seat_form(culture, "dgefp", "Nouveau nom", committee["dgefp"])
    assert client.post(reverse(f"{SEATS}:edit", args=[seat.pk]), data).status_code == 302
    seat.refresh_from_db()
    assert seat.member_name == "Nouveau nom"


def test_centre_editors_and_members_cannot_edit_the_committee(
    client, committee, culture, culture_editor, chair
):
    seat = CommitteeSeat.objects.get(centre=culture, institution="dgefp")
    data = seat_form(culture, "dgefp", "Moi", culture_editor)
    for user in (culture_editor, chair):
        client.force_login(user)
        for url in (reverse(f"{SEATS}:list"), reverse(f"{SEATS}:add")):
            assert client.get(url).status_code == 302, url  # to the admin's home or login
        client.post(reverse(f"{SEATS}:edit", args=[seat.pk]), data)
        client.post(reverse(f"{SEATS}:add"), seat_form(culture, "dgefp", "Moi", user))
    seat.refresh_from_db()
    assert seat.user == committee["dgefp"] and seat.member_name == "Membre dgefp"
    assert CommitteeSeat.objects.filter(centre=culture).count() == 5
    # Nor through the centre page: its edit form has no committee panel any more.
    client.force_login(culture_editor)
    page_form = client.get(reverse("wagtailadmin_pages:edit", args=[culture.pk]))
    assert page_form.status_code == 200
    assert "committee_seats" not in page_form.content.decode()


def test_one_seat_per_institution_and_one_chair_in_french(committee, culture, admin_user, client):
    duplicate = CommitteeSeat(centre=culture, institution="dgefp", member_name="Autre")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Ce comité de pilotage a déjà un siège pour cette institution." in str(error.value)
    second_chair = CommitteeSeat.objects.get(centre=culture, institution="cdc")
    second_chair.is_chair = True
    with pytest.raises(ValidationError) as error:
        second_chair.full_clean()
    assert "Ce comité de pilotage a déjà une présidence." in str(error.value)

    client.force_login(admin_user)
    form = seat_form(culture, "cdc", "Autre", is_chair=True)
    response = client.post(reverse(f"{SEATS}:add"), form)
    assert response.status_code == 200
    text = response.content.decode().replace("&#x27;", "'")
    assert "Ce comité de pilotage a déjà un siège pour cette institution." in text


def test_one_seat_per_account_on_a_committee_in_french(
    committee, culture, sport, admin_user, client
):
    """An account reviewing for two institutions of one committee would count twice."""
    cdc = CommitteeSeat.objects.get(centre=culture, institution="cdc")
    cdc.user = committee["dgefp"]
    with pytest.raises(ValidationError) as error:
        cdc.full_clean()
    assert error.value.message_dict == {
        "user": ["Ce compte occupe déjà un siège de ce comité de pilotage."]
    }
    # The database refuses it too, whatever the path.
    with pytest.raises(IntegrityError), transaction.atomic():
        cdc.save()

    client.force_login(admin_user)
    response = client.post(
        reverse(f"{SEATS}:edit", args=[cdc.pk]),
        seat_form(culture, "cdc", "Membre cdc", committee["dgefp"]),
    )
    assert response.status_code == 200
    text = response.content.decode().replace("&#x27;", "'")
    assert text.count("Ce compte occupe déjà un siège de ce comité de pilotage.") == 1
    cdc.refresh_from_db()
    assert cdc.user == committee["cdc"]

    # The same account may sit on another centre's committee, and a seat may have no account.
    client.post(reverse(f"{SEATS}:add"), seat_form(sport, "cdc", "Membre", committee["dgefp"]))
    assert CommitteeSeat.objects.filter(centre=sport, user=committee["dgefp"]).exists()
    for institution in ("dgefp", "avise"):
        seat = CommitteeSeat.objects.create(centre=sport, institution=institution, member_name="X")
        seat.full_clean()
    assert CommitteeSeat.objects.filter(centre=sport, user=None).count() == 2
