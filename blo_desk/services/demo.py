"""Demo data (the Dustlik case and a dozen others) and a generator of synthetic cases for tests and benchmarks."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from blo_desk.domain.audit import REVISIONS_KEY, revision_entries
from blo_desk.domain.entities import Case, Officer, Person, SeizedItem, TransportDocument
from blo_desk.domain.enums import CaseStatus, Direction, PersonRole, Sex, TimePrecision
from blo_desk.domain.substances import SubstanceIndex
from blo_desk.domain.zones import ZONES, zone_for_post
from blo_desk.ports import CasesPort
from blo_desk.storage.substances import substance_index
from blo_desk.storage.uow import UnitOfWorkFactory

TASHKENT = "Asia/Tashkent"


def _at(year: int, month: int, day: int, hour: int, minute: int, zone: str = TASHKENT) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def _witnesses(a: str, b: str, doc_a: str, doc_b: str) -> tuple[Person, Person]:
    return (
        Person(role=PersonRole.WITNESS, full_name=a, nationality="UZ", document_type="passport", document_number=doc_a),
        Person(role=PersonRole.WITNESS, full_name=b, nationality="UZ", document_type="passport", document_number=doc_b),
    )


def dustlik_case() -> Case:
    """The seizure of 20 April 2024 at Dustlik: 130 boxes of 4.5 mm pellets in a baby carriage."""
    return Case(
        post_code="UZ-DUS",
        occurred_at=_at(2024, 4, 20, 10, 40),
        timezone=TASHKENT,
        direction=Direction.ENTRY,
        agency="customs",
        procedure="Customs inspection of hand luggage, passenger lane",
        detection_method="customs_inspection",
        conveyance_type="pedestrian",
        conveyance_registration="",
        origin_country="KG",
        destination_country="UZ",
        concealment_method="baby_carriage",
        concealment_details="Boxes hidden inside a baby carriage transporting a child",
        narrative=(
            "During a customs inspection at the Dustlik border crossing point, BLO officers found 130 boxes of "
            "Oztay Diabolo 4.5 mm pellets for pneumatic weapons concealed inside a baby carriage transporting a "
            "child. The goods had not been declared to customs, exceeded the duty-free import norm and were not "
            "intended for personal use."
        ),
        legal_basis="Goods not declared; over the duty-free import norm; not for personal use",
        items=(
            SeizedItem(
                category="ammunition",
                description="Pellets for pneumatic weapons, 4.5 mm",
                brand="Oztay Diabolo",
                quantity=Decimal(130),
                unit="box",
                packages=130,
                value=Decimal(9_100_000),
                currency="UZS",
                seals="UZ-DUS 004512",
            ),
        ),
        persons=(
            Person(
                role=PersonRole.OWNER,
                full_name="Karimova Dilnoza Rustamovna",
                birth_date=date(1991, 3, 14),
                sex=Sex.FEMALE,
                nationality="KG",
                document_type="passport",
                document_number="AC 2284611",
                address="Osh, Kurmanjan Datka st. 12",
            ),
            *_witnesses("Toʻxtayev Baxtiyor", "Gʻaniyeva Shahnoza", "AA 7781023", "AB 1120934"),
        ),
    )


def other_demo_cases() -> list[tuple[Case, CaseStatus]]:
    return [
        (Case(post_code="UZ-OYB", occurred_at=_at(2024, 2, 11, 16, 5), direction=Direction.ENTRY, agency="customs",
              procedure="In-depth inspection of a lorry", detection_method="xray", conveyance_type="truck",
              conveyance_registration="01 A 457 BC", origin_country="TJ", destination_country="UZ",
              concealment_method="fuel_tank", concealment_details="Packages in a welded section of the fuel tank",
              narrative="X-ray image showed a foreign object in the fuel tank; 12 packages of brown powder found.",
              legal_basis="Illicit trafficking of narcotic drugs",
              items=(SeizedItem(category="narcotics", description="Heroin, brown powder in plastic wrap",
                                quantity=Decimal("6.35"), unit="kg", packages=12),),
              persons=(Person(role=PersonRole.DRIVER, full_name="Rahimov Jamshid Olimovich", birth_date=date(1983, 8, 2),
                              sex=Sex.MALE, nationality="TJ", document_type="passport", document_number="400123987"),
                       *_witnesses("Sobirov Ulugʻbek", "Qodirova Malika", "AD 4410022", "AE 9921007"))),
         CaseStatus.FINALIZED),
        (Case(post_code="UZ-SAR", occurred_at=_at(2024, 3, 3, 9, 20), direction=Direction.ENTRY, agency="border",
              detection_method="dog", conveyance_type="car", conveyance_registration="0123 TJ 02",
              origin_country="TJ", destination_country="UZ", concealment_method="vehicle_cavity",
              concealment_details="Under the rear seat", narrative="The service dog indicated the rear seat.",
              legal_basis="Illicit trafficking of narcotic drugs",
              items=(SeizedItem(category="narcotics", description="Hashish, pressed slabs", quantity=Decimal("2.1"),
                                unit="kg", packages=21),),
              persons=(Person(role=PersonRole.SUSPECT, full_name="Nazarov Farrukh", sex=Sex.MALE, nationality="TJ",
                              document_type="passport", document_number="400987111"),)),
         CaseStatus.FINALIZED),
        (Case(post_code="KZ-KOR", timezone=ZONES["KZ"], occurred_at=_at(2023, 11, 21, 22, 10, ZONES["KZ"]),
              direction=Direction.ENTRY, agency="customs", detection_method="risk_profile", conveyance_type="bus",
              conveyance_registration="01 KG 123 ABC", origin_country="KG", destination_country="KZ",
              concealment_method="clothing", concealment_details="Blister packs sewn into a jacket lining",
              narrative="Passenger selected by risk profile; tablets found in clothing.",
              legal_basis="Psychotropic substances without a permit",
              items=(SeizedItem(category="psychotropics", description="Tramadol 225 mg tablets", brand="Tramal",
                                quantity=Decimal(1200), unit="pcs", packages=120),),
              persons=(Person(role=PersonRole.SUSPECT, full_name="Асанов Бакыт Маратович", sex=Sex.MALE,
                              nationality="KG", document_type="passport", document_number="ID 0345671"),)),
         CaseStatus.FINALIZED),
        (Case(post_code="UZ-KUD", occurred_at=_at(2023, 9, 8, 6, 45), direction=Direction.TRANSIT, agency="customs",
              detection_method="intelligence", conveyance_type="train", conveyance_registration="Wagon 63481527",
              origin_country="RU", destination_country="AF", concealment_method="in_cargo",
              concealment_details="Drums declared as industrial solvent",
              narrative="Following information from the counterpart BLO, 8 drums were sampled and tested.",
              legal_basis="Precursor moved without an import permit",
              items=(SeizedItem(category="precursors", description="Acetic anhydride in 200 l drums",
                                quantity=Decimal(1600), unit="l", packages=8, value=Decimal(48_000_000)),)),
         CaseStatus.FINALIZED),
        (Case(post_code="KZ-KON", timezone=ZONES["KZ"], occurred_at=_at(2024, 1, 15, 13, 0, ZONES["KZ"]),
              direction=Direction.EXIT, agency="customs", detection_method="personal_search", conveyance_type="pedestrian",
              origin_country="KZ", destination_country="UZ", concealment_method="on_body",
              concealment_details="Banknotes taped to the body",
              narrative="Undeclared cash above the declaration threshold.", legal_basis="Currency not declared",
              items=(SeizedItem(category="currency", description="US dollar banknotes", quantity=Decimal(45000),
                                unit="pcs", value=Decimal(45000), currency="USD"),),
              persons=(Person(role=PersonRole.SUSPECT, full_name="Жумабаев Ерлан", sex=Sex.MALE, nationality="KZ",
                              document_type="passport", document_number="N12345678"),)),
         CaseStatus.FINALIZED),
        (Case(post_code="TJ-FOT", timezone=ZONES["TJ"], occurred_at=_at(2024, 4, 2, 11, 30, ZONES["TJ"]),
              direction=Direction.EXIT, agency="customs", detection_method="customs_inspection", conveyance_type="car",
              conveyance_registration="4455 AA 01", origin_country="TJ", destination_country="UZ",
              concealment_method="spare_tyre", concealment_details="Cartons inside the spare tyre",
              narrative="Cigarettes without excise stamps.", legal_basis="Excise goods without stamps",
              items=(SeizedItem(category="tobacco", description="Cigarettes without excise stamps", brand="Kent",
                                quantity=Decimal(200), unit="pack", packages=20, value=Decimal(3_400_000)),)),
         CaseStatus.FINALIZED),
        (Case(post_code="TJ-PAK", timezone=ZONES["TJ"], occurred_at=_at(2022, 6, 19, 18, 15, ZONES["TJ"]),
              direction=Direction.ENTRY, agency="police", detection_method="xray", conveyance_type="train",
              origin_country="UZ", destination_country="TJ", concealment_method="false_bottom",
              concealment_details="False bottom of a suitcase",
              narrative="Pistol and cartridges found in a suitcase.", legal_basis="Illegal carriage of firearms",
              items=(SeizedItem(category="firearms", description="Pistol, 9 mm", brand="Makarov PM, no. 1234",
                                quantity=Decimal(1), unit="pcs"),
                     SeizedItem(category="ammunition", description="Cartridges 9x18 mm", quantity=Decimal(48),
                                unit="round", packages=3)),
              persons=(Person(role=PersonRole.SUSPECT, full_name="Шарипов Далер", sex=Sex.MALE, nationality="TJ",
                              document_type="passport", document_number="401556782"),)),
         CaseStatus.FINALIZED),
        (Case(post_code="UZ-GSK", occurred_at=_at(2024, 4, 18, 14, 50), direction=Direction.ENTRY, agency="customs",
              detection_method="customs_inspection", conveyance_type="truck", conveyance_registration="10 H 778 KA",
              origin_country="KZ", destination_country="UZ", concealment_method="in_cargo",
              concealment_details="Mixed with declared cosmetics",
              narrative="Counterfeit perfume bearing protected trademarks.", legal_basis="Infringing goods",
              items=(SeizedItem(category="counterfeit", description="Perfume, 100 ml bottles", brand="Chanel (fake)",
                                quantity=Decimal(340), unit="bottle", packages=17, value=Decimal(17_000_000)),)),
         CaseStatus.DRAFT),
        (Case(post_code="UZ-ALT", occurred_at=_at(2023, 12, 5, 8, 0), direction=Direction.EXIT, agency="customs",
              detection_method="customs_inspection", conveyance_type="car", conveyance_registration="80 B 112 CD",
              origin_country="UZ", destination_country="TM", concealment_method="clothing",
              narrative="Manuscripts of the 19th century without an export permit.",
              legal_basis="Cultural property exported without a permit",
              items=(SeizedItem(category="cultural_property", description="Manuscripts in Arabic script, 19th century",
                                quantity=Decimal(3), unit="pcs"),)),
         CaseStatus.FINALIZED),
        (Case(post_code="KZ-KRS", timezone=ZONES["KZ"], occurred_at=_at(2024, 3, 28, 20, 40, ZONES["KZ"]),
              direction=Direction.EXIT, agency="border", detection_method="dog", conveyance_type="truck",
              origin_country="KZ", destination_country="KG", concealment_method="in_cargo",
              narrative="Saiga antelope horns hidden among sacks of flour.", legal_basis="CITES Appendix II specimens",
              items=(SeizedItem(category="wildlife", description="Saiga antelope horns", quantity=Decimal(64),
                                unit="pcs", packages=4),)),
         CaseStatus.DRAFT),
        (Case(post_code="UZ-DUS", occurred_at=_at(2024, 4, 25, 17, 25), direction=Direction.ENTRY, agency="customs",
              detection_method="customs_inspection", conveyance_type="car", conveyance_registration="01 KG 777 AAA",
              origin_country="KG", destination_country="UZ", concealment_method="not_concealed",
              narrative="Vodka above the duty-free allowance, not declared.", legal_basis="Goods not declared",
              items=(SeizedItem(category="alcohol", description="Vodka, 0.5 l bottles", quantity=Decimal(36),
                                unit="bottle", packages=3, value=Decimal(1_800_000)),),
              persons=(Person(role=PersonRole.OWNER, full_name="Oʻrinboyev Sherzod", sex=Sex.MALE, nationality="UZ",
                              document_type="passport", document_number="FA 0012345"),)),
         CaseStatus.FINALIZED),
    ]


def load_demo(*, cases: CasesPort) -> list[Case]:
    """Enter the demo cases through the normal service path (validation, revisions, search index)."""
    saved = []
    for case, status in [(dustlik_case(), CaseStatus.FINALIZED), *other_demo_cases()]:
        stored = cases.save(case=case)
        if status == CaseStatus.FINALIZED:
            assert stored.id is not None  # a saved case has its id
            stored = cases.finalize(case_id=stored.id, expected_revision=stored.revision)
        saved.append(stored)
    return saved


# --- synthetic cases -----------------------------------------------------------------------------
_POSTS = {
    "UZ-DUS": 9, "UZ-OYB": 8, "UZ-SAR": 7, "UZ-KUD": 4, "UZ-GSK": 6, "UZ-ALT": 3, "TJ-FOT": 6, "TJ-PAK": 3,
    "TJ-TUR": 4, "TJ-PNJ": 5, "TJ-GUL": 3, "KZ-KON": 6, "KZ-KOR": 6, "KZ-ZHZ": 5, "KZ-KRS": 2, "KZ-KRK": 1,
    "KG-DOS": 4, "KG-KZB": 2, "KG-KRM": 2, "KG-AKJ": 3, "TM-FAR": 2, "TM-DAS": 1, "TM-IMN": 2, "TM-SER": 1,
}
_CATEGORIES = {
    "narcotics": (20, "kg", ["Heroin", "Hashish", "Opium", "Cannabis resin", "Героин", "Гашиш"]),
    "psychotropics": (10, "pcs", ["Tramadol tablets", "Pregabalin capsules", "Трамадол"]),
    "precursors": (4, "l", ["Acetic anhydride", "Sulphuric acid", "Ангидрид уксусной кислоты"]),
    "firearms": (4, "pcs", ["Pistol", "Hunting rifle", "Пистолет"]),
    "ammunition": (7, "box", ["Pellets 4.5 mm", "Cartridges 9 mm", "Патроны 5,45 мм"]),
    "explosives": (1, "kg", ["Detonators", "Пиротехника"]),
    "currency": (8, "pcs", ["US dollars", "Euro banknotes", "Российские рубли"]),
    "tobacco": (14, "pack", ["Cigarettes without stamps", "Nasvay", "Сигареты"]),
    "alcohol": (9, "bottle", ["Vodka", "Cognac", "Водка"]),
    "counterfeit": (8, "pcs", ["Counterfeit perfume", "Fake sports shoes", "Контрафактные телефоны"]),
    "cultural_property": (1, "pcs", ["Antique coins", "Old manuscript"]),
    "wildlife": (2, "pcs", ["Saiga horns", "Falcon", "Шкуры"]),
    "other": (12, "pcs", ["Medicines", "Mobile phones", "Ювелирные изделия"]),
}
_CONCEALMENT = ["baby_carriage", "vehicle_cavity", "false_bottom", "on_body", "internal", "in_cargo", "fuel_tank",
                "clothing", "spare_tyre", "food", "not_concealed", "other"]
_DETECTION = ["customs_inspection", "personal_search", "xray", "dog", "risk_profile", "intelligence"]
_FIRST = ["Aziz", "Dilnoza", "Oʻtkir", "Gʻayrat", "Sherzod", "Malika", "Farrukh", "Ерлан", "Бакыт", "Далер",
          "Rustam", "Nodira", "Айгерим", "Timur", "Zarina", "Шухрат", "Jamshid", "Madina", "Нурлан", "Bobur"]
_LAST = ["Karimov", "Rahimova", "Toʻxtayev", "Gʻaniyev", "Nazarov", "Sobirova", "Жумабаев", "Асанов", "Шарипов",
         "Yusupov", "Qodirova", "Ismoilov", "Абдуллаев", "Mirzayev", "Ergasheva", "Сулейменов", "Xolmatov", "Oʻrinov"]


def synthetic_cases(count: int, *, seed: int = 1, start_numbers: dict[tuple[str, int], int] | None = None,
                    today: date | None = None) -> list[Case]:
    """`count` realistic-looking cases spread over posts, 2021 to today, commodities and people."""
    rng = random.Random(seed)
    posts = list(_POSTS)
    post_weights = list(_POSTS.values())
    categories = list(_CATEGORIES)
    category_weights = [v[0] for v in _CATEGORIES.values()]
    numbers = dict(start_numbers or {})
    first_day = date(2021, 1, 1)
    span = ((today or date(2024, 12, 31)) - first_day).days
    made_at = datetime(2025, 1, 1, tzinfo=timezone.utc)
    cases = []
    for n in range(count):
        post = rng.choices(posts, post_weights)[0]
        zone = zone_for_post(post)
        day = first_day + timedelta(days=rng.randrange(span))
        occurred = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), tzinfo=ZoneInfo(zone))
        key = (post, day.year)
        numbers[key] = numbers.get(key, 0) + 1
        items = []
        for _ in range(rng.choices((1, 2, 3, 5), (60, 25, 10, 5))[0]):
            category = rng.choices(categories, category_weights)[0]
            _, unit, names = _CATEGORIES[category]
            quantity = Decimal(rng.randint(1, 500)) if unit != "kg" else Decimal(rng.randint(5, 50_000)) / 100
            items.append(SeizedItem(category=category, description=rng.choice(names), quantity=quantity, unit=unit,
                                    packages=rng.randint(1, 40), value=Decimal(rng.randint(1, 2000) * 50_000)))
        persons = [
            Person(role=rng.choice((PersonRole.SUSPECT, PersonRole.DRIVER, PersonRole.OWNER, PersonRole.PASSENGER)),
                   full_name=f"{rng.choice(_LAST)} {rng.choice(_FIRST)}", nationality=post[:2],
                   document_type="passport", document_number=f"{rng.choice('ABCDEFKN')}{rng.choice('ABCDEFKN')} {rng.randrange(10**7):07d}")
            for _ in range(rng.choices((0, 1, 2, 3), (10, 55, 25, 10))[0])
        ]
        plate = f"{rng.randrange(1, 99):02d} {rng.choice('ABCDEHKMX')} {rng.randrange(1000):03d} {rng.choice('ABCDEHKMX')}{rng.choice('ABCDEHKMX')}"
        status = CaseStatus.FINALIZED if rng.random() < 0.9 else CaseStatus.DRAFT
        case = Case(
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            case_number=f"{post}-{day.year}-{numbers[key]:05d}",
            post_code=post,
            occurred_at=occurred,
            timezone=zone,
            direction=rng.choice(list(Direction)),
            agency=rng.choices(("customs", "border", "police", "drug_control"), (6, 3, 2, 1))[0],
            detection_method=rng.choice(_DETECTION),
            conveyance_type=rng.choice(("car", "truck", "bus", "train", "pedestrian")),
            conveyance_registration=plate,
            origin_country=rng.choice(("UZ", "KZ", "KG", "TJ", "TM", "AF", "RU", "CN")),
            destination_country=post[:2],
            concealment_method=rng.choice(_CONCEALMENT),
            narrative=f"Synthetic case {n + 1}: {items[0].description} found during {rng.choice(_DETECTION).replace('_', ' ')}.",
            status=status,
            revision=1,
            created_at=made_at,
            updated_at=made_at,
            finalized_at=made_at if status == CaseStatus.FINALIZED else None,
            items=tuple(items),
            persons=tuple(persons),
        )
        cases.append(_with_real_seizure_fields(case, random.Random(seed * 1_000_003 + n), substance_index()))
    return cases


_MAKES = ("MAN TGX 18.440", "Volvo FH 460", "KamAZ 5490", "Scania R 450", "Chevrolet Cobalt", "Lada Granta")
_RANKS = ("Lieutenant", "Senior lieutenant", "Captain", "Major", "Lieutenant colonel")


def _with_real_seizure_fields(case: Case, rng: random.Random, substances: SubstanceIndex) -> Case:
    """The format-2 fields a real case of this kind carries (from a random source of its own, so the rest of the
    synthetic data stays what it was): substances, weights and packaging per item, the conveyance by type,
    documents, officers, joint operations and a time that is sometimes only approximate."""
    items = []
    for item in case.items:
        named = substances.codes_in(item.description)
        choices = [s.code for s in substances.in_category(item.category)]
        code = named[0] if named else (rng.choice(choices) if choices else "")
        weight = item.quantity if item.unit == "kg" else None
        items.append(replace(item, substance=code, net_weight=weight,
                             gross_weight=None if weight is None else weight + Decimal(rng.randint(1, 90)) / 100,
                             packaging=rng.choice(("polyethylene_parcel", "box", "bag", "canister", "")),
                             seals=f"{case.post_code} {rng.randrange(10**6):06d}"))
    fields: dict[str, object] = {}
    if case.conveyance_type == "truck":
        fields.update(vehicle_make=rng.choice(_MAKES[:4]), vin=f"WMA{rng.randrange(10**14):014d}",
                      trailer_plate=f"{rng.randrange(1, 99):02d} {rng.randrange(10**4):04d} AA",
                      declared_cargo=rng.choice(("Dried fruit", "Cotton yarn", "Building materials", "Textiles")),
                      declared_weight=Decimal(rng.randint(2_000, 20_000)),
                      documents=(TransportDocument(kind="cmr", number=f"CMR {rng.randrange(10**7):07d}",
                                                   issued_on=case.occurred_at.date() if case.occurred_at else None),))
    elif case.conveyance_type == "car":
        fields.update(vehicle_make=rng.choice(_MAKES[4:]))
    elif case.conveyance_type == "train":
        fields.update(train_number=str(rng.randrange(100, 9999)), wagon_number=f"{rng.randrange(10**8):08d}",
                      container_number=f"MSKU {rng.randrange(10**7):07d}",
                      documents=(TransportDocument(kind="smgs", number=f"SMGS {rng.randrange(10**8):08d}"),))
    if rng.random() < 0.2:
        fields["joint_agencies"] = tuple(rng.sample([a for a in ("customs", "border", "police", "drug_control")
                                                     if a != case.agency], 2))
    if rng.random() < 0.3:
        fields["technical_means"] = (rng.choice(("xray_scanner", "endoscope", "drug_test_kit")),)
    if rng.random() < 0.1:
        fields["time_precision"] = precision = rng.choice((TimePrecision.APPROXIMATE, TimePrecision.UNKNOWN))
        if precision == TimePrecision.UNKNOWN and case.occurred_at is not None:
            fields["occurred_at"] = case.occurred_at.replace(hour=0, minute=0)  # the date alone is known
    fields["officers"] = tuple(Officer(full_name=f"{rng.choice(_LAST)} {rng.choice(_FIRST)}", rank=rng.choice(_RANKS),
                                       agency=case.agency) for _ in range(rng.randint(1, 2)))
    return replace(case, items=tuple(items), **fields)  # type: ignore[arg-type]  # fields by name, checked by the tests


def generate(*, uow: UnitOfWorkFactory, count: int, seed: int = 1, batch: int = 5000, progress=None,
             guard=None) -> int:
    """Insert `count` synthetic cases in batches (one transaction each), continuing each post's numbering.

    With a guard (the app and the CLI pass theirs), each batch is one audit event in its own transaction.
    """
    with uow() as work:
        start = work.cases.counters()
    cases = synthetic_cases(count, seed=seed, start_numbers=start)
    done = 0
    for offset in range(0, len(cases), batch):
        chunk = cases[offset : offset + batch]
        with uow() as work:
            written = work.cases.bulk_insert(chunk)
            work.cases.bump_counters(chunk)
            if guard is not None:  # the chain records each case's content hash, so `audit verify` can check it
                guard.record(work, action="demo.generate", target="cases",
                             details={"count": len(chunk), "first": chunk[0].case_number, "last": chunk[-1].case_number,
                                      REVISIONS_KEY: revision_entries(written)})
            work.commit()
        done += len(chunk)
        if progress:
            progress(done, count)
    return done

