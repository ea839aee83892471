"""The protocol as a post files it: every block of the record on paper in each form, numbers and names that never
break, a QR code that a 100 dpi scan reads, and signatures that never stand alone on the last page."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PIL import Image

from blo_desk.domain.canonical import content_hash
from blo_desk.domain.check_code import make_check_code, parse_check_code
from blo_desk.domain.entities import Attachment, Person, Post, SeizedItem
from blo_desk.domain.enums import CaseStatus, PersonRole
from blo_desk.i18n import translator
from blo_desk.reports.data import Amendment, Photo, ProtocolData
from blo_desk.reports.layout import OUTER_MARGIN, PAGE
from blo_desk.reports.protocol import QR_SIZE, build_protocol
from tests.reports.conftest import flat, pdf_pages
from tests.reports.test_protocol_real_seizure import labels, truck_case

FORMS = ("uz", "ru", "en", "uz+ru")
POST = Post("UZ-DUS", "UZ", "Doʻstlik", "Дустлик", "Dustlik")
LONG_NAME = "Abdurahmonov-Qodirxoʻjayev Muhammadali Baxtiyorovich Sirojov"  # 60 characters
LABELS = labels()


def photo(n: int) -> Photo:
    picture = Image.new("RGB", (640, 480), (40 + 20 * n, 90, 140))
    data = io.BytesIO()
    picture.save(data, "JPEG", quality=80)
    content = data.getvalue()
    return Photo(Attachment(hashlib.sha256(content).hexdigest(), f"IMG_{n:04d}.jpg", "image/jpeg", len(content),
                            caption=f"Parcel {n} under the trailer floor"), content)


PHOTOS = tuple(photo(n) for n in range(1, 4))


def full_case(**changes):
    """The truck case with every protocol field: articles, an interpreter, copies, end time, three photos, a sum of
    9,999,999,999 UZS, a 60-character name and 130 boxes."""
    case = truck_case()
    case = replace(
        case,
        items=(*case.items,
               SeizedItem(category="currency", description="Cash in a bag", quantity=Decimal(1), unit="pcs",
                          value=Decimal("9999999999"), currency="UZS"),
               SeizedItem(category="tobacco", description="Cigarettes", quantity=Decimal(130), unit="box",
                          packages=130)),
        persons=(*case.persons,
                 Person(role=PersonRole.INTERPRETER, full_name="Rahmonov Sherzod"),
                 Person(role=PersonRole.OWNER, full_name=LONG_NAME, nationality="UZ")),
        attachments=tuple(p.attachment for p in PHOTOS),
        offence_articles=("UZ-CC-246", "UZ-CC-273"),
        interpreter_language="tg",
        copies=3,
        ended_at=datetime(2024, 4, 20, 12, 5, tzinfo=UTC),  # 17:05 in Tashkent
    )
    return replace(case, **changes)


def protocol(case, lang: str, *, amendment: Amendment | None = None, photos=PHOTOS) -> bytes:
    code = make_check_code(case_id=case.id, revision=case.revision, content_hash=content_hash(case),
                           case_number=case.case_number)
    data = ProtocolData(case=case, post=POST, labels=LABELS, check_code=code, amendment=amendment, photos=photos)
    return build_protocol(data, lang=lang)


def words(pdf: bytes, tmp_path) -> list[tuple[int, float, float, str]]:
    """(page, y, x, word) of every word pdftotext -bbox reads, in reading order."""
    path = tmp_path / "words.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    found = []
    for page, body in enumerate(html.split("<page ")[1:], start=1):
        for x, y, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" [^>]*>([^<]*)</word>', body):
            found.append((page, float(y), float(x), word.replace("&amp;", "&")))
    return found


def printed_on_one_line(value: str, found: list[tuple[int, float, float, str]]) -> int:
    """How many times the value's words follow one another on one line (same page, same baseline)."""
    tokens = value.replace("\u00a0", " ").split()
    times = 0
    for n in range(len(found) - len(tokens) + 1):
        run = found[n:n + len(tokens)]
        if [w for _, _, _, w in run] == tokens and len({(p, round(y)) for p, y, _, _ in run}) == 1:
            times += 1
    return times


def said(lang: str, msgid: str, **params) -> list[str]:
    return [translator(language).gettext(msgid).format(**params) for language in lang.split("+")]


@pytest.mark.parametrize("lang", FORMS)
def test_every_block_of_the_record_is_on_the_paper_in_each_form(tmp_path, lang):
    # GIVEN the truck case with every protocol field, amended once
    case = full_case(revision=3)
    # WHEN its protocol is printed in the form
    pdf = protocol(case, lang, amendment=Amendment(3, 2, "net weight corrected"))
    pages = pdf_pages(pdf, tmp_path)
    text = flat(" ".join(pages)).replace("\u00a0", " ")
    languages = lang.split("+")
    # THEN the issuing body's official name and the offence articles are there in each language of the form
    for language in languages:
        body = LABELS["issuing_body"]["UZ-customs"].label(language)
        assert body in text, body
        for code in case.offence_articles:
            assert flat(LABELS["offence_article"][code].label(language)) in text, code
    # AND every block the issue names, in the form's language(s)
    for msgid, params in (
        ("Offence (article of the law)", {}),
        ("Interpreter (full name)", {}),
        ("Language of interpretation", {}),
        ("signature of the person", {}),
        ("signature of the interpreter", {}),
        ("signatures of the witnesses", {}),
        ("Inspection ended at", {}),
        ("Legal ground for the seizure of every item", {}),
        ("Amended: revision {revision} replaces revision {replaced} ({reason})",
         {"revision": 3, "replaced": 2, "reason": "net weight corrected"}),
        ("Annex to protocol No. {number}: photographs ({count})", {"number": case.case_number, "count": "3"}),
    ):
        for expected in said(lang, msgid, **params):
            assert flat(expected) in text, (lang, expected)
    first = translator(languages[0])
    copies = first.ngettext("The protocol was drawn up in {count} copy.", "The protocol was drawn up in {count} copies.", 3)
    assert copies.format(count="3") in text
    photos = first.ngettext("{count} photograph, listed in the annex", "{count} photographs, listed in the annex", 3)
    assert photos.format(count="3") in text
    # AND the record's values: officers with rank and agency, the interpreter, the conveyance, documents, cargo,
    # technical means, the person's passport issue and birth place, the end time and each photo's SHA-256
    for value in ("Rahimov Aziz Karimovich, Major", "Rahmonov Sherzod", "MAN TGX 18.440", "01 A 123 BC", "01 5544 AA",
                  "WMA06XZZ4DM612345", "AF 0412377", "Dried apricots", "MVD Dushanbe", "Termiz", "17:05",
                  *(p.attachment.caption for p in PHOTOS)):
        assert value in text, (lang, value)
    for p in PHOTOS:
        digest = p.attachment.sha256
        assert digest[:32] in text and digest[32:] in text
    for language in languages:
        assert LABELS["agency"]["customs"].label(language) in text
        assert LABELS["technical_means"]["endoscope"].label(language) in text
        assert {"uz": "tojik", "ru": "таджикский", "en": "Tajik"}[language] in text
        assert {"uz": "2019-yil 14-mart", "ru": "14 марта 2019 г.", "en": "March 14, 2019"}[language] in text
    # AND the legal ground is printed once, not on every row
    assert text.count("Criminal Code art. 246") == 2  # in section 1 and once under the items
    # AND every page has the officer's and the person's signature line and the short check code
    for page in pages:
        for expected in said(lang, "Officer") + said(lang, "Person whose goods were inspected"):
            assert flat(expected) in flat(page)
        assert f"{case.case_number}/3/" in page
    assert "None" not in text


def test_english_counts_take_their_plural_and_uzbek_dates_are_written_officially(tmp_path):
    # GIVEN the case with 130 boxes of cigarettes, seized on 20 April 2024
    case = full_case()
    # WHEN printed in English and in Uzbek
    english = flat(" ".join(pdf_pages(protocol(case, "en"), tmp_path))).replace("\u00a0", " ")
    uzbek = flat(" ".join(pdf_pages(protocol(case, "uz"), tmp_path))).replace("\u00a0", " ")
    both = flat(" ".join(pdf_pages(protocol(case, "uz+ru"), tmp_path))).replace("\u00a0", " ")
    # THEN English says "130 boxes" and "1 piece", never "130 box"
    assert "130 boxes" in english and "1 piece" in english and "130 box " not in english
    # AND Uzbek writes the date as "2024-yil 20-aprel"; the bilingual form gives both languages' dates and sums
    assert "2024-yil 20-aprel" in uzbek
    assert "2024-yil 20-aprel / 20 апреля 2024 г." in both
    assert "9 999 999 999 soʻm" in both and "9 999 999 999 сум" in both


@pytest.mark.parametrize("lang", FORMS)
def test_a_ten_digit_sum_and_a_sixty_character_name_print_unbroken(tmp_path, lang):
    # GIVEN the case with an item worth 9,999,999,999 UZS, and a driver (the suspect who signs) whose name has 60
    # characters, one of them a double surname of 26
    case = full_case()
    case = replace(case, persons=(replace(case.persons[0], full_name=LONG_NAME), *case.persons[1:-1]))
    assert len(LONG_NAME) == 60
    # WHEN printed
    found = words(protocol(case, lang), tmp_path)
    # THEN the sum with its currency stands on one line, in each language of the form
    sums = {"uz": "9 999 999 999 soʻm", "ru": "9 999 999 999 сум", "en": "UZS 9,999,999,999"}
    for language in lang.split("+"):
        assert printed_on_one_line(sums[language], found) >= 2, (language, sums[language])  # the row and the total
    # AND no word of the name is cut: each is read back whole, in order, wherever the name is printed
    tokens = LONG_NAME.split()
    read = [w for _, _, _, w in found]
    starts = [n for n in range(len(read)) if read[n:n + len(tokens)] == tokens]
    assert len(starts) >= 2, LONG_NAME  # the persons table and the signatures
    # AND in the signatures the whole name stands on one line
    assert printed_on_one_line(LONG_NAME, found) >= 1


@pytest.mark.parametrize("lang", FORMS)
def test_the_qr_code_reads_from_a_100_dpi_scan(tmp_path, lang):
    # GIVEN the protocol of the full case
    case = full_case()
    (tmp_path / "p.pdf").write_bytes(protocol(case, lang))
    # WHEN its first page is rendered at 100 dpi, in grey and in black and white (a fax), and read with zbarimg
    for mode in ("-gray", "-mono"):
        subprocess.run(["pdftoppm", mode, "-r", "100", "-f", "1", "-l", "1", str(tmp_path / "p.pdf"),
                        str(tmp_path / f"scan{mode}")], check=True)
        image = next(tmp_path.glob(f"scan{mode}*"))
        scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True)
        # THEN it decodes to the full check code of this case and revision
        code = parse_check_code(scanned.stdout.strip())
        assert code is not None, (mode, scanned.stderr)
        assert (code.case_id, code.revision) == (case.id, case.revision)
        assert code.hash_hex == content_hash(case)


def unsmoothed_page(pdf: bytes, tmp_path, *, dpi: int = 100) -> Image.Image:
    """The first page rendered in grey without anti-aliasing: black ink is 0, paper 255, the light watermark ~230."""
    (tmp_path / "w.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-gray", "-aa", "no", "-aaVector", "no", "-r", str(dpi), "-f", "1", "-l", "1",
                    str(tmp_path / "w.pdf"), str(tmp_path / "w")], check=True)
    return Image.open(next(tmp_path.glob("w*.pgm")))


def black_rows(page: Image.Image, region: tuple[int, int, int, int]) -> list[int]:
    """The rows of `region` with black pixels, but for those of a rule that runs on past its left edge."""
    x0, y0, x1, y1 = region
    pixels = page.load()
    return [y for y in range(y0, y1) if pixels[x0, y] != 0 and any(pixels[x, y] == 0 for x in range(x0, x1))]


def black_box(page: Image.Image, region: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The box of the black pixels in `region` of a page (rules across it left out)."""
    x0, _y0, x1, _y1 = region
    pixels = page.load()
    rows = black_rows(page, region)
    cols = [x for x in range(x0, x1) if any(pixels[x, y] == 0 for y in rows)]
    return min(cols), min(rows), max(cols) + 1, max(rows) + 1


def last_line(page: Image.Image) -> tuple[int, int]:
    """The top and bottom row of the lowest line of black text on the page."""
    rows = black_rows(page, (0, page.size[1] * 3 // 4, page.size[0], page.size[1]))
    bottom = top = rows[-1]
    for row in reversed(rows):
        if top - row > 3:
            break
        top = row
    return top, bottom + 1


def tints(page: Image.Image, box: tuple[int, int, int, int]) -> set[int]:
    """The grey levels in a box of the page other than black ink and white paper."""
    return {level for level, count in enumerate(page.crop(box).histogram()) if count} - {0, 255}


@pytest.mark.parametrize("lang", FORMS)
def test_a_drafts_watermark_keeps_off_the_qr_code_and_the_check_code(tmp_path, lang):
    # GIVEN the draft protocol of the full case, in each form
    case = full_case(status=CaseStatus.DRAFT)
    pdf = protocol(case, lang)
    # WHEN its first page is rendered at 100 dpi without smoothing
    page = unsmoothed_page(pdf, tmp_path)
    scale = 100 / 72
    width, height = page.size
    # THEN the watermark is on the page (its light grey, alone or over ink)
    assert any(page.histogram()[200:250])
    # AND none of it falls on the QR code: the code's box holds black and white only
    qr_left = int((PAGE[0] - OUTER_MARGIN - QR_SIZE - 2) * scale)
    header_rule = next(y for y in range(height) if page.getpixel((qr_left, y)) == 0)  # the rule under the header
    qr = black_box(page, (qr_left, 0, width, header_rule))
    assert (qr[2] - qr[0]) >= QR_SIZE * scale * 0.8, qr  # the code was found, about its printed size
    assert tints(page, qr) == set(), qr
    # AND none on the footer's check code (the lowest line of the page)
    top, bottom = last_line(page)
    assert 6 <= bottom - top <= 16, (top, bottom)  # one line of 8 pt capitals and digits
    assert tints(page, (0, top - 2, width, bottom + 2)) == set(), (top, bottom)
    # AND the QR code still reads from a 100 dpi scan, in grey and in black and white
    (tmp_path / "p.pdf").write_bytes(pdf)
    for mode in ("-gray", "-mono"):
        subprocess.run(["pdftoppm", mode, "-r", "100", "-f", "1", "-l", "1", str(tmp_path / "p.pdf"),
                        str(tmp_path / f"scan{mode}")], check=True)
        scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(next(tmp_path.glob(f"scan{mode}*")))],
                                 capture_output=True, text=True)
        code = parse_check_code(scanned.stdout.strip())
        assert code is not None and code.hash_hex == content_hash(case), (mode, scanned.stderr)


@pytest.mark.parametrize("extra_items", range(0, 16))
def test_no_page_holds_only_the_signatures(tmp_path, extra_items):
    # GIVEN cases that grow an item at a time, so that the page break falls at every point of the last blocks
    case = full_case()
    more = tuple(SeizedItem(category="tobacco", description=f"Carton {n}", quantity=Decimal(10), unit="pack")
                 for n in range(extra_items))
    case = replace(case, items=case.items + more, status=CaseStatus.FINALIZED)
    # WHEN printed (without the annex, whose pages come after the signatures)
    pages = pdf_pages(protocol(replace(case, attachments=()), "en", photos=()), tmp_path)
    # THEN the page with the signatures also holds the remarks and the refusal: never the signatures alone
    signed = [page for page in pages if "10. Signatures" in flat(page)]
    assert len(signed) == 1
    assert "8. Remarks" in flat(signed[0]) and "9. Refusal to sign" in flat(signed[0])
    assert signed[0] is pages[-1]


def test_a_reprint_of_an_amended_case_says_so_and_its_annex_holds_the_stored_photos(demo, tmp_path):
    # GIVEN the finalized Dustlik case, amended with a photo attached and a reason
    case = demo.dustlik
    picture = tmp_path / "tyre.jpg"
    Image.new("RGB", (800, 600), (120, 60, 30)).save(picture, "JPEG")
    attached = demo.attachments.add_file(path=picture, caption="Spare tyre, opened")
    amended = demo.cases.amend(case=replace(case, attachments=(*case.attachments, attached)),
                               reason="Photo of the spare tyre added")
    # WHEN the protocol is printed again
    pdf = demo.printing.protocol(case_id=case.id, lang="en")
    pages = pdf_pages(pdf, tmp_path)
    text = flat(" ".join(pages))
    # THEN it says which revision replaced which, and why
    assert (f"Amended: revision {amended.revision} replaces revision {case.revision} (Photo of the spare tyre added)"
            in text)
    # AND the body counts the photos and the annex lists the stored one with its caption and SHA-256, its thumbnail
    # drawn (no "no preview")
    count = len(amended.attachments)
    assert f"{count} photograph{'s' if count > 1 else ''}, listed in the annex" in text
    annex = flat(pages[-1])
    assert "Spare tyre, opened" in annex and attached.sha256[:32] in annex and "no preview" not in annex
    # AND its thumbnail was made once, as the photo was attached, and is kept sealed on an encrypted store
    kept = demo.settings.data_dir / "thumbnails" / attached.sha256
    assert kept.exists()
    assert (b"\xff\xd8\xff" not in kept.read_bytes()[:64]) == (demo.sealer is not None)
    # AND the short code on the paper checks against the store
    spoken = re.search(r"Check code: (\S+)", text)
    assert spoken and demo.printing.verify_code(code=spoken.group(1)).matches
