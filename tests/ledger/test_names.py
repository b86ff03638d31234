"""Party names on pages: the common name in the reader's language, a chosen name as registered."""

import pytest
from django.utils import translation

from accord.ledger import actions
from accord.ledger.names import common_name, party_names

pytestmark = pytest.mark.django_db


def test_a_common_name_is_shown_in_the_readers_language() -> None:
    assert common_name("HU", "Hungary", "ru") == "Венгрия"
    assert common_name("HU", "Венгрия", "en") == "Hungary"
    assert common_name("EU", "European Union", "ru") == "Европейский союз"


def test_a_name_the_party_chose_is_shown_as_registered() -> None:
    assert common_name("BY", "Republic of Belarus", "ru") == "Republic of Belarus"
    assert common_name("AA", "State A", "ru") == "State A"


def test_the_register_names_parties_in_the_active_language() -> None:
    actions.found_log("names.example/log")
    actions.register_party("KZ", "Kazakhstan")
    names = party_names()
    with translation.override("ru"):
        assert names.name("KZ") == "Казахстан"
    with translation.override("en"):
        assert names.name("KZ") == "Kazakhstan"
    assert names.name("ZZ") is None
