"""The two writers of the case tables agree: a case saved at a post (the ORM path) and imported at HQ (the bulk
tuple path for a new case, the overwrite path for a newer revision) gives the same rows in every case table,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from blo_desk.config import load_settings
from blo_desk.domain.entities import Officer, Person, SeizedItem, TransportDocument
from blo_desk.domain.enums import Direction, PersonRole, Sex, TimePrecision
from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.registry import open_services
from blo_desk.storage.models import AttachmentRow, CaseRow, ItemRow, PersonRow, RevisionRow

POST = "UZ-DUS"
JPEG = b"\xff\xd8\xff\xe0" + b"JFIF-parity-photo-" * 40
#: Every case table, the columns that order it, and the columns that are the store's own (surrogate keys and
#: the SQLite full-text rowid; the search row itself is compared through search_text and case_fts).
TABLES = (
    (CaseRow, ("id",), {"search_rowid"}),
    (ItemRow, ("case_id", "position"), {"id"}),
    (PersonRow, ("case_id", "position"), {"id"}),
    (AttachmentRow, ("case_id", "position"), set()),
    (RevisionRow, ("case_id", "revision"), set()),
)

_numbers = itertools.count(1)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def open_store(request, tmp_path):
    """Open fresh stores on the test's backend (a SQLite file, or a new database on the module's server)."""
    server = request.getfixturevalue("pg_server") if request.param == "postgresql" else None
    opened = []

    def make(name: str):
        url = None
        if server is not None:
            database = f"parity_{next(_numbers)}_{name}"
            server.admin(f"CREATE DATABASE {database}")
            url = server.url(database)
        services = open_services(load_settings(data_dir=tmp_path / name, db_url=url, language="en",
                                               plaintext_store=True), principal=SYSTEM)
        opened.append(services)
        return services

    yield make
    for services in opened:
        services.close()


def _seizure(post, photo: Path):
    """A realistic narcotics case: heroin in kg and hashish in g sharing parcels, a truck with a trailer, a driver who
    is also the suspect, a witness, a joint operation, documents, officers and a photo: every column filled."""
    case = post.cases.new_case(post_code=POST)
    attachment = post.attachments.add_file(path=photo, caption="Packages in the spare tyre")
    return replace(
        case,
        occurred_at=datetime(2024, 5, 3, 6, 15, 30, 250000, tzinfo=timezone.utc),
        direction=Direction.EXIT,
        agency="border",
        procedure="In-depth inspection of a car on the exit lane",
        detection_method="dog",
        conveyance_type="car",
        conveyance_registration="01 Z 777 ZZ",
        origin_country="AF",
        destination_country="KZ",
        concealment_method="spare_tyre",
        concealment_details="Vacuum-packed bricks inside the spare tyre",
        narrative="The service dog signalled at the boot; two kinds of narcotics were found in the spare tyre.",
        legal_basis="Illicit trafficking of narcotic drugs",
        items=(
            SeizedItem(category="narcotics", description="Heroin, brown powder", brand="Stamp: lion",
                       quantity=Decimal("1.250"), unit="kg", packages=3, value=Decimal("25000.50"), currency="USD",
                       seals="UZ-DUS 007001", substance="heroin", net_weight=Decimal("1.250"),
                       gross_weight=Decimal("1.400"), packaging="polyethylene_parcel", package_group="A"),
            SeizedItem(category="narcotics", description="Hashish, pressed", brand="Stamp: 777",
                       quantity=Decimal("350"), unit="g", packages=7, value=Decimal("1200"), currency="USD",
                       seals="UZ-DUS 007002", substance="hashish", net_weight=Decimal("0.350"),
                       gross_weight=Decimal("0.4"), packaging="polyethylene_parcel", package_group="A"),
        ),
        persons=(
            Person(role=PersonRole.SUSPECT, full_name="Rahimov Jasur Olimovich", birth_date=date(1985, 11, 2),
                   sex=Sex.MALE, nationality="UZ", document_type="passport", document_number="AB 1234567",
                   address="Tashkent, Chilonzor 9-14"),
            Person(role=PersonRole.DRIVER, full_name="Qodirova Malika", birth_date=date(1990, 1, 31),
                   sex=Sex.FEMALE, nationality="KZ", document_type="id_card", document_number="N 0451122",
                   address="Shymkent, Tauke Khan 5", other_roles=(PersonRole.SUSPECT,),
                   document_issued_on=date(2019, 3, 4), document_issuer="MVD RK", birth_place="Shymkent"),
            Person(role=PersonRole.WITNESS, full_name="Toʻxtayev Baxtiyor", nationality="UZ",
                   document_type="passport", document_number="AA 7781023", address="Yallama, Mustaqillik 3"),
        ),
        attachments=(attachment,),
        time_precision=TimePrecision.APPROXIMATE,
        joint_agencies=("customs", "police"),
        other_detection_methods=("xray",),
        technical_means=("xray_scanner", "drug_test_kit"),
        vehicle_make="MAN TGX 18.440",
        trailer_plate="01 5544 AA",
        vin="WMA06XZZ4DM612345",
        container_number="MSKU 123456-7",
        train_number="2712",
        wagon_number="6325 1234",
        flight_number="HY 603",
        transit_countries=("TJ", "UZ"),
        declared_cargo="Dried apricots, 240 boxes",
        declared_weight=Decimal("4800.500"),
        documents=(TransportDocument(kind="cmr", number="AF 0412377", issued_on=date(2024, 5, 1)),
                   TransportDocument(kind="invoice", number="INV-77")),
        officers=(Officer(full_name="Karimov Aziz", rank="Major", agency="border", username="akarimov"),),
        offence_articles=("KZ-CC-286", "KZ-AOC-551"),
        interpreter_language="kk",
        copies=3,
        ended_at=datetime(2024, 5, 3, 8, 40, tzinfo=timezone.utc),
    )


def _rows(services) -> dict[str, list[tuple]]:
    """Every row of every case table as the store gives it back, plus the SQLite full-text body of each case."""
    found: dict[str, list[tuple]] = {}
    with services.uow() as uow:
        session = uow.session
        for model, order, own in TABLES:
            columns = [c for c in model.__table__.columns if c.name not in own]
            # Values as text with their type: Decimal("1.250") == Decimal("1.25"), but they are stored differently.
            found[model.__tablename__] = [
                tuple((c.name, type(v).__name__, str(v)) for c, v in zip(columns, row, strict=True))
                for row in session.execute(select(*columns).order_by(*(model.__table__.c[n] for n in order)))
            ]
        if session.get_bind().dialect.name == "sqlite":
            found["case_fts"] = list(session.execute(text(
                "SELECT seizure_case.id, case_fts.body FROM seizure_case "
                "JOIN case_fts ON case_fts.rowid = seizure_case.search_rowid ORDER BY seizure_case.id")))
    return found


def _assert_every_column_filled(rows: dict[str, list[tuple]], tables: tuple) -> None:
    """The test case gives every column a value that is neither NULL nor the column's default, so a column one
    writer forgot (left to its default) cannot look the same as one both wrote."""
    for model, _order, own in tables:
        for column in model.__table__.columns:
            if column.name in own:
                continue
            default = column.default.arg if column.default is not None and column.default.is_scalar else None
            values = [value for row in rows[model.__tablename__] for name, kind, value in row
                      if name == column.name and kind != "NoneType"]
            assert any(v != str(default) for v in values), f"{model.__tablename__}.{column.name}"


def _export_import(post, hq, folder: Path) -> None:
    bundle = Path(post.sync.export(folder=folder).path)
    report = hq.hq.import_bundle(path=bundle)
    assert report.outcome == "imported", report.error


def test_a_case_saved_at_a_post_and_imported_at_hq_gives_the_same_rows(open_store, tmp_path):
    # GIVEN a post with a key, HQ trusting it, and a seizure of heroin (kg) and hashish (g) with three persons
    # and a photo, saved and finalized at the post
    post, hq = open_store("post"), open_store("hq")
    post.sync.set_up_post(post_code=POST)
    hq.hq.trust_key(post_code=POST, public_key=post.sync.public_key_text())
    photo = tmp_path / "tyre.jpg"
    photo.write_bytes(JPEG)
    saved = post.cases.save(case=_seizure(post, photo))
    post.cases.finalize(case_id=saved.id, expected_revision=saved.revision)
    at_post = _rows(post)
    _assert_every_column_filled(at_post, TABLES[:4])

    # WHEN the bundle is imported at HQ (a new case: HQ's bulk writer)
    _export_import(post, hq, tmp_path / "out")

    # THEN HQ holds exactly the rows the post holds, table by table
    assert _rows(hq) == at_post

    # GIVEN an amendment at the post: another weight, a fourth person, a new caption
    case = post.cases.get(case_id=saved.id)
    heroin, hashish = case.items
    amended = replace(
        case,
        items=(replace(heroin, quantity=Decimal("1.3")), hashish),
        persons=(*case.persons, Person(role=PersonRole.OWNER, full_name="Nazarov Akmal", nationality="TJ",
                                       document_type="passport", document_number="401 223 344",
                                       address="Khujand, Lenin 1")),
        attachments=(replace(case.attachments[0], caption="Spare tyre, opened"),),
    )
    post.cases.amend(case=amended, reason="Weight corrected after the laboratory report")
    at_post = _rows(post)
    _assert_every_column_filled(at_post, TABLES)

    # WHEN the next bundle is imported (a case HQ holds, overwritten by a newer revision)
    _export_import(post, hq, tmp_path / "out")

    # THEN the rows are again the same, the whole history included
    assert _rows(hq) == at_post
