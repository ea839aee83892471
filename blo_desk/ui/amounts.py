"""The case's numbers (an item's quantity, packages, value and weights, the declared weight): read in the UI
language, echoed in the field's unit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from babel.numbers import get_currency_precision

from blo_desk.i18n import N_, NO_DECIMAL_CURRENCIES, N_plural, active_language, translate_message, translator
from blo_desk.numbers import NumberError, Units, read_amount, read_number, read_whole, write_amount, write_number
from blo_desk.ui.forms import ParseError
from blo_desk.ui.reference import ReferenceData

ECHO = N_("= {amount}")
WEIGHT_UNIT = "kg"  # net, gross and declared weights are kept in kilograms (`85 kg 505 g` is understood)
PACKAGES = N_plural("{count} package", "{count} packages", by="number")  # {count} is the number as written


class ItemNumbers:
    """Reads and writes an item record's numbers with the units of the reference list, in the active language."""

    def __init__(self, reference: Callable[[], ReferenceData]) -> None:
        self._reference = reference

    def units(self, language: str | None = None) -> Units:
        items = self._reference().items("unit")
        return Units.of([(i.code, {"uz": i.label_uz, "ru": i.label_ru, "en": i.label_en}) for i in items], language)

    # --- reading (NumberError, or ParseError for the collect step of the editor) -------------------------------
    def read_quantity(self, record: dict, language: str | None = None) -> Decimal | None:
        return read_amount(record["quantity"], unit=record["unit"], units=self.units(language), language=language)

    def read_packages(self, record: dict, language: str | None = None) -> int | None:
        return read_whole(record["packages"], language)

    def read_value(self, record: dict, language: str | None = None) -> Decimal | None:
        return read_number(record["value"], language)

    def read_weight(self, text: str, language: str | None = None) -> Decimal | None:
        return read_amount(text, unit=WEIGHT_UNIT, units=self.units(language), language=language)

    def weight_reader(self, key: str) -> Callable[[dict, str | None], Decimal | None]:
        """read(record, language) of the weight held under `key` of a record."""
        def read(record: dict, language: str | None = None) -> Decimal | None:
            return self.read_weight(record[key], language)

        return read

    def weight(self, text: str) -> Decimal | None:
        """A weight in kg for saving; ParseError when it is not understood."""
        try:
            return self.read_weight(text)
        except NumberError as exc:
            raise ParseError.of(exc) from exc

    def quantity(self, text: str, unit: str) -> Decimal | None:
        """The quantity of a record for saving; ParseError when it is not understood."""
        try:
            return self.read_quantity({"quantity": text, "unit": unit})
        except NumberError as exc:
            raise ParseError.of(exc) from exc

    # --- what the officer sees ---------------------------------------------------------------------------------
    def quantity_text(self, record: dict) -> str:
        """85,505 kg (the table column); the typed text when it is not understood."""
        try:
            value = self.read_quantity(record)
        except NumberError:
            return record["quantity"]
        return write_amount(value, self._reference().label("unit", record["unit"]), unit=record["unit"])

    def value_text(self, record: dict) -> str:
        try:
            value = self.read_value(record)
        except NumberError:
            return record["value"]
        return self._money(value, record.get("currency", ""))

    def quantity_echo(self, record: dict) -> str:
        return _echo(self.quantity_text(record)) if self.read_quantity(record) is not None else ""

    def weight_text(self, text: str) -> str:
        """85,505 kg; the typed text when it is not understood."""
        try:
            value = self.read_weight(text)
        except NumberError:
            return text
        return write_amount(value, self._reference().label("unit", WEIGHT_UNIT) or WEIGHT_UNIT)

    def weight_echo(self, text: str) -> str:
        """"= 85,505 kg" ("" when empty); NumberError when the text is not understood."""
        return _echo(self.weight_text(text)) if self.read_weight(text) is not None else ""

    def packages_echo(self, record: dict) -> str:
        count = self.read_packages(record)
        if count is None:
            return ""
        return _echo(translate_message(PACKAGES, {"number": count, "count": write_number(count)}))

    def value_echo(self, record: dict) -> str:
        value = self.read_value(record)
        return "" if value is None else _echo(self._money(value, record.get("currency", "")))

    @staticmethod
    def _money(value: Decimal | None, currency: str) -> str:
        if value is None:
            return ""
        code = (currency or "UZS").strip().upper()
        try:
            shown = 0 if code in NO_DECIMAL_CURRENCIES else get_currency_precision(code)
            if value != round(value, shown):  # a fraction the money format would round away is shown as typed
                return f"{write_number(value)} {code}"
            return translator().format_money(value, code)
        except Exception:  # noqa: BLE001 - a currency code typed by hand that CLDR does not know is shown as typed
            return f"{write_number(value)} {code}"


def _echo(amount: str) -> str:
    return translator(active_language()).gettext(ECHO).format(amount=amount)
