"""Which offence articles a case may cite: its post's country's, and any it holds already."""

from __future__ import annotations

from blo_desk.domain.offences import article_country, offered_articles

LISTED = ["UZ-CC-246", "UZ-CC-273", "KZ-CC-286", "KG-CC-231", "KG-CC-267", "KZ-AOC-551"]


def test_the_country_of_an_article_is_the_first_part_of_its_code():
    assert [article_country(code) for code in ("KG-CC-267", "KZ-AOC-551", "uz-cc-246-1")] == ["KG", "KZ", "UZ"]


def test_a_case_at_a_kyrgyz_post_is_offered_the_kyrgyz_articles_only():
    # GIVEN the whole list WHEN a case at a post of Kyrgyzstan asks what it may cite
    # THEN only the Kyrgyz articles, in the list's order
    assert offered_articles(LISTED, country="KG") == ["KG-CC-231", "KG-CC-267"]


def test_an_article_the_case_holds_is_still_offered_whatever_its_country():
    # GIVEN a case at Doʻstlik (UZ) that holds a Kazakh article and one no longer listed
    held = ("KZ-CC-286", "XX-OLD-1")
    # WHEN it is offered the articles THEN its own country's first, then the ones it holds, in their order
    assert offered_articles(LISTED, country="UZ", held=held) == ["UZ-CC-246", "UZ-CC-273", "KZ-CC-286", "XX-OLD-1"]
    assert offered_articles(LISTED, country="KG", held=("KG-CC-267", "UZ-CC-246")) == ["KG-CC-231", "KG-CC-267",
                                                                                      "UZ-CC-246"]


def test_with_no_country_only_what_the_case_holds_is_offered():
    assert offered_articles(LISTED, country="", held=()) == []
    assert offered_articles(LISTED, country="", held=("UZ-CC-246",)) == ["UZ-CC-246"]


def test_an_article_code_splits_into_its_parts_and_a_label_gives_its_short_title():
    from blo_desk.domain.offences import offence_row, short_title, split_code

    assert split_code("UZ-CC-246") == ("UZ", "CC", "246", "")
    assert split_code("KZ-AOC-551-2") == ("KZ", "AOC", "551", "2")
    row = offence_row(law="KZ-AOC", law_names=("Kodeks", "Кодекс", "Code"), article="551", part="2",
                      titles=("Kontrabanda", "Контрабанда", "Smuggling"))
    assert row == ["KZ-AOC-551-2", "Kodeks, 551-modda, 2-qism — Kontrabanda", "Кодекс, ст. 551, ч. 2 — Контрабанда",
                   "Code, art. 551, part 2 — Smuggling"]
    assert [short_title(label) for label in row[1:]] == ["Kontrabanda", "Контрабанда", "Smuggling"]
