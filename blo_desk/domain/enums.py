"""Fixed vocabularies the code reasons about; each value has a translatable label."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from blo_desk.i18n import N_, _

if TYPE_CHECKING:
    from blo_desk.i18n import Translator


class LabelledEnum(StrEnum):
    """A string enum whose members carry an English label marked for translation."""

    @property
    def label(self) -> str:
        return _(self._labels()[self])

    def label_in(self, translator: Translator) -> str:
        return translator.gettext(self._labels()[self])

    @classmethod
    def _labels(cls) -> dict[LabelledEnum, str]:
        raise NotImplementedError


class CaseStatus(LabelledEnum):
    DRAFT = "draft"
    FINALIZED = "finalized"
    VOIDED = "voided"  # a draft withdrawn with a reason: kept with its history, hidden from lists by default

    @classmethod
    def _labels(cls) -> dict[LabelledEnum, str]:
        return {cls.DRAFT: N_("Draft"), cls.FINALIZED: N_("Finalized"), cls.VOIDED: N_("Voided")}


class Direction(LabelledEnum):
    ENTRY = "entry"
    EXIT = "exit"
    TRANSIT = "transit"

    @classmethod
    def _labels(cls) -> dict[LabelledEnum, str]:
        return {cls.ENTRY: N_("Entry"), cls.EXIT: N_("Exit"), cls.TRANSIT: N_("Transit")}


class PersonRole(LabelledEnum):
    SUSPECT = "suspect"
    OWNER = "owner"
    DRIVER = "driver"
    PASSENGER = "passenger"
    WITNESS = "witness"
    INTERPRETER = "interpreter"

    @classmethod
    def _labels(cls) -> dict[LabelledEnum, str]:
        return {
            cls.SUSPECT: N_("Suspect"),
            cls.OWNER: N_("Owner"),
            cls.DRIVER: N_("Driver"),
            cls.PASSENGER: N_("Passenger"),
            cls.WITNESS: N_("Witness"),
            cls.INTERPRETER: N_("Interpreter"),
        }


class Sex(LabelledEnum):
    MALE = "M"
    FEMALE = "F"

    @classmethod
    def _labels(cls) -> dict[LabelledEnum, str]:
        return {cls.MALE: N_("Male"), cls.FEMALE: N_("Female")}


class TimePrecision(LabelledEnum):
    """How well the time of the seizure is known: the date is always known, the time may not be."""

    EXACT = "exact"
    APPROXIMATE = "approximate"
    UNKNOWN = "unknown"

    @classmethod
    def _labels(cls) -> dict[LabelledEnum, str]:
        return {cls.EXACT: N_("Exact time"), cls.APPROXIMATE: N_("Approximate time"),
                cls.UNKNOWN: N_("Time unknown")}


class ReferenceKind(StrEnum):
    """Reference lists kept in the store, editable by an admin, labelled in uz, ru and en."""

    COMMODITY_CATEGORY = "commodity_category"
    UNIT = "unit"
    CONCEALMENT_METHOD = "concealment_method"
    DETECTION_METHOD = "detection_method"
    AGENCY = "agency"
    CONVEYANCE_TYPE = "conveyance_type"
    DOCUMENT_TYPE = "document_type"  # a person's identity document
    REGION = "region"
    SUBSTANCE = "substance"  # labels of resources/reference/substances.json (synonyms and units: domain.substances)
    PACKAGING_KIND = "packaging_kind"
    TECHNICAL_MEANS = "technical_means"  # scanners, endoscopes, test kits used to find the goods
    TRANSPORT_DOCUMENT = "transport_document"  # CMR, SMGS, declarations, invoices: what the cargo travels with
    OFFENCE_ARTICLE = "offence_article"  # articles of the codes per country (resources/reference/offences.json)
    OFFENCE_LAW = "offence_law"  # the codes (laws) per country that articles cite, by key COUNTRY-LAW ("UZ-CC")
    ISSUING_BODY = "issuing_body"  # official name of the body drawing up the protocol, per country and agency
