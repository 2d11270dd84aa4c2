"""People and ministries as people type them: acronyms, full names, the closest values."""

from __future__ import annotations

import pytest
from whoosh import query as wq

from kvsearch.query.names import closest, ministry_names, ministry_query, person_query


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("VWS", "Volksgezondheid, Welzijn en Sport"),
        ("vws", "Volksgezondheid, Welzijn en Sport"),
        ("BZK", "Binnenlandse Zaken"),
        ("EZK", "Economische Zaken en Klimaat"),
        ("SZW", "Sociale Zaken en Werkgelegenheid"),
        ("OCW", "Onderwijs, Cultuur en Wetenschap"),
        ("JenV", "Justitie en Veiligheid"),
        ("J&V", "Justitie en Veiligheid"),
        ("BZ", "Buitenlandse Zaken"),
        ("IenW", "Infrastructuur en Waterstaat"),
        ("I&W", "Infrastructuur en Waterstaat"),
        ("LNV", "Landbouw, Natuur en Voedselkwaliteit"),
        ("AZ", "Algemene Zaken"),
        ("Fin", "Financiën"),
        ("KGG", "Klimaat en Groene Groei"),
        ("VRO", "Volkshuisvesting en Ruimtelijke Ordening"),
        ("AenM", "Asiel en Migratie"),
        ("V&W", "Verkeer en Waterstaat"),
        ("CRM", "Cultuur, Recreatie en Maatschappelijk Werk"),
        ("WVC", "Welzijn, Volksgezondheid en Cultuur"),
        ("OKW", "Onderwijs, Kunsten en Wetenschappen"),
    ],
)
def test_ministry_acronyms_and_short_names_stand_for_their_full_names(typed: str, name: str) -> None:
    assert name in ministry_names(typed)


def test_a_ministry_typed_out_stands_for_itself() -> None:
    assert ministry_names("Defensie") == ("Defensie",)
    assert ministry_names("Buitenlandse Zaken") == ("Buitenlandse Zaken",)


def test_old_spellings_of_a_ministry_are_found_by_its_acronym() -> None:
    assert "Binnenlandsche Zaken" in ministry_names("BZK")
    terms = set(ministry_query("BZK").iter_all_terms())  # type: ignore[union-attr]
    assert ("ministry", "binnenlandsche") in terms and ("ministry", "binnenlandse") in terms


def test_a_full_name_also_finds_the_surname_only_record_but_not_another_person() -> None:
    known = ["Brinkman", "Martin Brinkman", "E. Brinkman", "Lubbers"]
    q = person_query("minister", "Eelco Brinkman", lambda: known)
    assert isinstance(q, wq.Or)
    text = repr(q)
    assert "martin" in text  # excluded from the surname-only alternative
    assert person_query("minister", "Eelco Brinkman", lambda: ["Lubbers"]) == wq.And(
        [wq.Term("minister", "eelco"), wq.Term("minister", "brinkman")]
    )


@pytest.mark.parametrize(
    ("typed", "found"),
    [("veldkam", "Veldkamp"), ("Veldkamp Caspar", "Veldkamp"), ("de jong", "De Jonge"), ("Hugo de Jonge", "Hugo de Jonge")],
)
def test_closest_values_of_a_filter_that_matches_nothing(typed: str, found: str) -> None:
    known = ["Veldkamp", "De Jonge", "Hugo de Jonge", "Van Ark", "Brinkman"]
    assert found in closest(typed, known)


def test_nothing_is_close_to_a_value_unlike_any() -> None:
    assert closest("zzzzzz", ["Veldkamp", "Brinkman"]) == []
