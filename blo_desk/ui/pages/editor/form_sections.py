"""The sections of the case editor and the case fields of its form sections (incident, conveyance and route,
narrative), in keyboard order.

To add a case field to a form section, add one CaseField line to its tuple below: the editor builds its widget,
loads it from the Case attribute of the same name, collects it back (text stripped, a combo's code as it is, the
codes of a multi-choice as a tuple, a weight as a Decimal in kg), and marks the errors whose field path is that name
(or starts with it: `joint_agencies.0`).  A field that needs more than that (a date, an enum) is handled by name in
the page's `collect`.  A section in two columns starts its second one at SECTION_SPLIT's key.
"""

from __future__ import annotations

from typing import NamedTuple

from blo_desk.i18n import N_

SECTION_INCIDENT, SECTION_PERSONS, SECTION_CONVEYANCE, SECTION_ITEMS, SECTION_PHOTOS, SECTION_NARRATIVE, \
    SECTION_HISTORY = range(7)
SECTION_TITLES = (N_("&1 Incident"), N_("&2 Persons"), N_("&3 Conveyance and route"), N_("&4 Seized items"),
                  N_("&5 Photos"), N_("&6 Narrative and legal basis"), N_("&7 History"))

# A combo's list: a reference list kind (resources/reference/lists.json), or one of these.
POSTS, COUNTRIES, DIRECTIONS, PRECISIONS, LANGUAGES = "@posts", "@countries", "@directions", "@precisions", "@languages"
OFFENCES = "@offences"  # the offence_article list, each entry shortened to fit the form


class CaseField(NamedTuple):
    """One field of a form section. `key` is the Case attribute and the field path of ValidationError."""

    key: str
    label: str  # msgid
    # "text" (one line), "long" (several lines), "combo", "checks" (several codes of a short list), "sequence"
    # (several codes in order, chosen one by one), "date" (typed or chosen in a calendar), "weight" (a number in kg,
    # echoed) or "count" (a whole number)
    kind: str = "text"
    choices: str = ""  # a combo's list
    blank: bool = True  # a combo may be left empty
    placeholder: str = ""
    min_height: int = 0  # of a "long" field


INCIDENT_FIELDS = (
    CaseField("post_code", N_("Crossing point"), "combo", POSTS, blank=False),
    CaseField("occurred_date", N_("Date"), "date"),
    CaseField("time_precision", N_("Time known"), "combo", PRECISIONS, blank=False),
    CaseField("occurred_time", N_("Time (HH:MM)"), placeholder="10:40"),
    CaseField("direction", N_("Direction"), "combo", DIRECTIONS, blank=False),
    CaseField("procedure", N_("Procedure")),
    # second column: who found it, and how
    CaseField("agency", N_("Lead agency"), "combo", "agency"),
    CaseField("joint_agencies", N_("Together with"), "checks", "agency"),
    CaseField("detection_method", N_("How detected"), "combo", "detection_method"),
    CaseField("other_detection_methods", N_("Also detected by"), "checks", "detection_method"),
    CaseField("technical_means", N_("Technical means used"), "checks", "technical_means"),
)
CONVEYANCE_FIELDS = (
    CaseField("conveyance_type", N_("Conveyance"), "combo", "conveyance_type"),
    CaseField("conveyance_registration", N_("Plate or registration number")),
    CaseField("vehicle_make", N_("Make and model")),
    CaseField("trailer_plate", N_("Trailer plate")),
    CaseField("vin", N_("VIN")),
    CaseField("train_number", N_("Train number")),
    CaseField("wagon_number", N_("Wagon number")),
    CaseField("container_number", N_("Container number")),
    CaseField("flight_number", N_("Flight number")),
    CaseField("concealment_method", N_("Concealment"), "combo", "concealment_method"),
    CaseField("concealment_details", N_("Concealment details")),
    # second column: the route and what the documents declare
    CaseField("origin_country", N_("From country"), "combo", COUNTRIES),
    CaseField("transit_countries", N_("Through countries"), "sequence", COUNTRIES),
    CaseField("destination_country", N_("To country"), "combo", COUNTRIES),
    CaseField("declared_cargo", N_("Declared cargo")),
    CaseField("declared_weight", N_("Declared weight, kg"), "weight"),
)
# The fields of the conveyance itself, and the ones that fit each conveyance type (resources/reference/lists.json
# "conveyance_type"); the others are hidden and keep their values. A type not listed here shows them all.
VEHICLE_FIELDS = ("conveyance_registration", "vehicle_make", "trailer_plate", "vin", "train_number", "wagon_number",
                  "container_number", "flight_number")
_ROAD = ("conveyance_registration", "vehicle_make", "vin")
_RAIL = ("train_number", "wagon_number")
CONVEYANCE_SHOWS = {
    "": ("conveyance_registration",),
    "car": _ROAD,
    "bus": _ROAD,
    "truck": (*_ROAD, "trailer_plate", "container_number"),
    "trailer": (*_ROAD, "container_number"),
    "train": (*_RAIL, "container_number"),
    "freight_wagon": (*_RAIL, "container_number"),
    "passenger_train": _RAIL,
    "aircraft": ("flight_number", "conveyance_registration"),
    "parcel_post": (),
    "pedestrian": (),
    "other": ("conveyance_registration", "vehicle_make"),
}


def conveyance_fields(conveyance_type: str) -> tuple[str, ...]:
    """The conveyance fields shown for a conveyance type."""
    return CONVEYANCE_SHOWS.get(conveyance_type, VEHICLE_FIELDS)

NARRATIVE_FIELDS = (
    CaseField("narrative", N_("Narrative"), "long", min_height=200),
    CaseField("legal_basis", N_("Legal basis"), "long", min_height=90),
    # what the protocol states besides: the offence, the interpreter's language, when it ended, how many copies
    CaseField("offence_articles", N_("Offence articles"), "checks", OFFENCES),
    CaseField("interpreter_language", N_("Interpreter's language"), "combo", LANGUAGES),
    CaseField("ended_time", N_("Drawing up ended at (HH:MM)"), placeholder="12:05"),
    CaseField("copies", N_("Copies of the protocol made"), "count", placeholder="2"),
)

# The form sections and their fields; the page lays each out as a form, in this order (the keyboard order).
FORM_SECTIONS = {SECTION_INCIDENT: INCIDENT_FIELDS, SECTION_CONVEYANCE: CONVEYANCE_FIELDS,
                 SECTION_NARRATIVE: NARRATIVE_FIELDS}
# The key that starts the second column of a section laid out in two.
SECTION_SPLIT = {SECTION_INCIDENT: "agency", SECTION_CONVEYANCE: "origin_country"}
CASE_FIELDS = INCIDENT_FIELDS + CONVEYANCE_FIELDS + NARRATIVE_FIELDS
FIELD_SECTION = {field.key: section for section, fields in FORM_SECTIONS.items() for field in fields}
# Case fields the form shows otherwise: occurred_at is split in two.
ERROR_ALIASES = {"occurred_at": "occurred_date", "ended_at": "ended_time"}
# Lists of records edited by their own small editors (besides items and persons), and their sections.
RECORD_SECTIONS = {"items": SECTION_ITEMS, "persons": SECTION_PERSONS, "officers": SECTION_INCIDENT,
                   "documents": SECTION_CONVEYANCE}


def field_key(path: str) -> str:
    """The form field a validation path names: `occurred_at` -> occurred_date, `joint_agencies.0` -> joint_agencies;
    a record's path (items.0.quantity) is returned as it is."""
    path = ERROR_ALIASES.get(path, path)
    root = path.split(".")[0]
    return root if root in FIELD_SECTION else path
