"""A shared record is read in the receiving user's language: dates and numbers as that user writes them."""

from __future__ import annotations

from blo_desk.i18n import set_language
from blo_desk.services.sharing import describe_content

CONTENT = {"case_number": "UZ-OYB-2026-00001",
           "items": [{"quantity": "6.25", "unit": "kg", "net_weight": "1250.5"}],
           "persons": [{"full_name": "Qodirov Jamshid", "birth_date": "1984-03-02"}]}


def test_birth_dates_and_quantities_are_written_as_the_reader_writes_them():
    try:
        for language, birth, quantity, weight in (("ru", "02.03.1984", "6,25", "1\u00a0250,5"),
                                                  ("en", "02/03/1984", "6.25", "1,250.5")):
            # GIVEN a shared record whose file carries ISO dates and dotted decimals
            set_language(language)
            # WHEN it is described for a reader in that language
            lines = dict(describe_content(CONTENT, {}, language))
            values = set(lines.values())
            # THEN the birth date and the numbers are in the reader's own writing
            assert birth in values, lines
            assert quantity in values and weight in values, lines
            if language == "ru":
                assert "1984-03-02" not in values and "6.25" not in values, lines
    finally:
        set_language("en")
