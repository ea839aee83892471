"""An administrator adds or renames offence articles (issue 13): checked, audited, kept over a re-seed."""

from __future__ import annotations

import pytest

from blo_desk.domain.errors import PermissionDeniedError, ReferenceEntryError
from blo_desk.domain.permissions import SYSTEM, Principal, Role
from blo_desk.services.reference import load_offences
from blo_desk.services.registry import open_services

ADMIN = Principal("admin", Role.ADMIN, "TM-FAR")
OFFICER = Principal("merdan", Role.OFFICER, "TM-FAR")
TITLES = {"title_uz": "Kontrabanda", "title_ru": "Контрабанда", "title_en": "Smuggling"}
TM_CC = {"law_uz": "Jinoyat kodeksi", "law_ru": "Уголовный кодекс", "law_en": "Criminal Code"}


@pytest.fixture
def admin(settings):
    open_services(settings, principal=SYSTEM).close()
    opened = open_services(settings, principal=ADMIN)
    yield opened
    opened.close()


def test_an_admin_adds_a_turkmen_article_with_its_new_law_and_it_is_cited_like_a_shipped_one(admin):
    # GIVEN a store whose Turkmen posts have no articles and no law
    assert admin.reference.offence_articles(country="TM") == []
    assert admin.reference.offence_laws(country="TM") == []
    # WHEN the administrator adds article 254, part 1, of the Turkmen Criminal Code, naming the new law
    item = admin.reference.save_offence_article(country="tm", law="CC", article="254", part="1", **TITLES, **TM_CC)
    # THEN it has the code and the citation in each language, built as the shipped list's are
    assert item.code == "TM-CC-254-1"
    assert (item.label_uz, item.label_ru, item.label_en) == (
        "Jinoyat kodeksi, 254-modda, 1-qism — Kontrabanda", "Уголовный кодекс, ст. 254, ч. 1 — Контрабанда",
        "Criminal Code, art. 254, part 1 — Smuggling")
    # AND the law is now one of Turkmenistan's, so the next article needs no law name
    assert [law.code for law in admin.reference.offence_laws(country="TM")] == ["TM-CC"]
    admin.reference.save_offence_article(country="TM", law="CC", article="292", title_uz="Giyohvandlik",
                                         title_ru="Наркотики", title_en="Narcotics")
    assert [a.code for a in admin.reference.offence_articles(country="TM")] == ["TM-CC-254-1", "TM-CC-292"]
    # AND the list every case editor reads holds it, after the shipped articles
    codes = [i.code for i in admin.reference.all_lists()["offence_article"]]
    assert codes[-2:] == ["TM-CC-254-1", "TM-CC-292"]
    # AND the audit trail says who added it
    event = admin.audit.events(target="offence_article:TM-CC-254-1")[0]
    assert (event.actor, event.action, event.outcome) == ("admin", "reference.manage", "ok")


def test_renaming_keeps_the_code_and_its_place_and_a_reseed_does_not_undo_it(admin):
    # GIVEN the shipped Uzbek smuggling article
    first = admin.reference.offence_articles(country="UZ")[0]
    assert first.code == "UZ-CC-246"
    # WHEN the administrator gives it a new short title
    renamed = admin.reference.save_offence_article(country="UZ", law="CC", article="246", title_uz="Kontrabanda (yangi)",
                                                   title_ru="Контрабанда (новая)", title_en="Smuggling (new)")
    # THEN the code and its place stay, the labels change
    assert (renamed.code, renamed.sort_order) == (first.code, first.sort_order)
    assert renamed.label_en == "Criminal Code, art. 246 — Smuggling (new)"
    # AND seeding again (every start does) adds nothing and keeps the administrator's title
    assert admin.reference.ensure_seeded() == 0
    assert admin.reference.offence_articles(country="UZ")[0].label_ru == "Уголовный кодекс, ст. 246 — Контрабанда (новая)"


@pytest.mark.parametrize(("change", "says"), [
    ({"country": "RU"}, "No post is in the country “RU”"),
    ({"article": "twelve"}, "The article must be a number such as 246 or 200.1, not “twelve”."),
    ({"article": "254-1"}, "The article must be a number"),
    ({"part": "a"}, "The part must be a number such as 2, not “a”."),
    ({"law": "C1"}, "The law's code must be 2 to 5 Latin letters"),
    ({"title_ru": "  "}, "Give the article's short title in each language"),
    ({"law_en": ""}, "TM has no law “CC” yet: give its name in each language"),
    ({"title_en": "x" * 190}, "longer than 200 characters"),
])
def test_a_bad_entry_is_refused_with_a_message_that_says_what_to_fix(admin, change, says):
    values = {"country": "TM", "law": "CC", "article": "254", **TITLES, **TM_CC, **change}
    with pytest.raises(ReferenceEntryError) as refused:
        admin.reference.save_offence_article(**values)
    assert says in refused.value.translated()
    assert admin.reference.offence_articles(country="TM") == []


def test_only_an_administrator_may_add_articles_and_a_refusal_is_audited(settings, admin):
    officer = open_services(settings, principal=OFFICER)
    try:
        with pytest.raises(PermissionDeniedError):
            officer.reference.save_offence_article(country="TM", law="CC", article="254", **TITLES, **TM_CC)
    finally:
        officer.close()
    assert admin.reference.offence_articles(country="TM") == []
    denied = admin.audit.events(target="offence_article:TM-CC-254")
    assert [(e.actor, e.outcome) for e in denied] == [("merdan", "denied")]


def test_the_shipped_list_is_built_by_the_same_function():
    # the shipped Uzbek article reads as it always did
    row = next(r for r in load_offences() if r[0] == "UZ-CC-246")
    assert row[1:] == ["Jinoyat kodeksi, 246-modda — Kontrabanda", "Уголовный кодекс, ст. 246 — Контрабанда",
                       "Criminal Code, art. 246 — Smuggling"]
