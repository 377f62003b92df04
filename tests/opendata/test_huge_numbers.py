"""Numbers beyond what the database holds are a French 400 or a 404, never a server error."""

import pytest

HUGE = "4195238037532804311759946199859200"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v2/images/?offset={HUGE}",
        f"/api/v2/documents/?offset={HUGE}",
        f"/api/v2/pages/?offset={HUGE}",
        f"/api/v2/pages/?child_of={HUGE}",
        f"/api/v2/pages/?descendant_of={HUGE}",
        f"/api/v2/pages/?ancestor_of={HUGE}",
        f"/api/v2/pages/?year={HUGE}",
        f"/api/v2/pages/?limit={HUGE}",
        f"/api/v2/pages/{HUGE}/",
        f"/api/v2/images/{HUGE}/",
        f"/api/v2/documents/{HUGE}/",
    ],
)
def test_huge_numbers_are_refused_in_french(client, open_site, path):
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code, response.content[:300])
    assert response.json()["message"]
