"""The sections of the case editor and the case fields of its form sections (incident, conveyance and route,
narrative), in keyboard order.

To add a case field to a form section, add one CaseField line to its tuple below: the editor builds its widget,
loads it from the Case attribute of the same name, collects it back (text stripped, a combo's code as it is), and
marks the errors whose field path is that name.  A field that needs more than that (a date, an enum) is handled by
name in the page's `collect`.
"""

from __future__ import annotations

from typing import NamedTuple

from blo_desk.i18n import N_

SECTION_INCIDENT, SECTION_PERSONS, SECTION_CONVEYANCE, SECTION_ITEMS, SECTION_PHOTOS, SECTION_NARRATIVE, \
    SECTION_HISTORY = range(7)
SECTION_TITLES = (N_("&1 Incident"), N_("&2 Persons"), N_("&3 Conveyance and route"), N_("&4 Seized items"),
                  N_("&5 Photos"), N_("&6 Narrative and legal basis"), N_("&7 History"))

# A combo's list: a reference list kind (resources/reference/lists.json), or one of these.
POSTS, COUNTRIES, DIRECTIONS = "@posts", "@countries", "@directions"


class CaseField(NamedTuple):
    """One field of a form section. `key` is the Case attribute and the field path of ValidationError."""

    key: str
    label: str  # msgid
    kind: str = "text"  # "text" (one line), "long" (several lines) or "combo"
    choices: str = ""  # a combo's list
    blank: bool = True  # a combo may be left empty
    placeholder: str = ""
    min_height: int = 0  # of a "long" field


INCIDENT_FIELDS = (
    CaseField("post_code", N_("Crossing point"), "combo", POSTS, blank=False),
    CaseField("occurred_date", N_("Date (DD.MM.YYYY)"), placeholder="20.04.2024"),
    CaseField("occurred_time", N_("Time (HH:MM)"), placeholder="10:40"),
    CaseField("direction", N_("Direction"), "combo", DIRECTIONS, blank=False),
    CaseField("agency", N_("Agency"), "combo", "agency"),
    CaseField("procedure", N_("Procedure")),
    CaseField("detection_method", N_("How detected"), "combo", "detection_method"),
)
CONVEYANCE_FIELDS = (
    CaseField("conveyance_type", N_("Conveyance"), "combo", "conveyance_type"),
    CaseField("conveyance_registration", N_("Registration, wagon or flight")),
    CaseField("origin_country", N_("From country"), "combo", COUNTRIES),
    CaseField("destination_country", N_("To country"), "combo", COUNTRIES),
    CaseField("concealment_method", N_("Concealment"), "combo", "concealment_method"),
    CaseField("concealment_details", N_("Concealment details")),
)
NARRATIVE_FIELDS = (
    CaseField("narrative", N_("Narrative"), "long", min_height=200),
    CaseField("legal_basis", N_("Legal basis"), "long", min_height=90),
)

# The form sections and their fields; the page lays each out as a form, in this order (the keyboard order).
FORM_SECTIONS = {SECTION_INCIDENT: INCIDENT_FIELDS, SECTION_CONVEYANCE: CONVEYANCE_FIELDS,
                 SECTION_NARRATIVE: NARRATIVE_FIELDS}
CASE_FIELDS = INCIDENT_FIELDS + CONVEYANCE_FIELDS + NARRATIVE_FIELDS
FIELD_SECTION = {field.key: section for section, fields in FORM_SECTIONS.items() for field in fields}
# Case fields the form shows otherwise: occurred_at is split in two.
ERROR_ALIASES = {"occurred_at": "occurred_date"}
