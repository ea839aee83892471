"""Printing in the desk: the actions' entry points (the open case's protocol, the period report) and their previews."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from blo_desk.i18n import _, active_language
from blo_desk.ui.dialogs.print_preview import PrintPreviewDialog, safe_file_name
from blo_desk.ui.print_language import PRINT_LANGUAGES, remember_print_language, remembered_print_language


# --- the actions (registered in ui/actions.py as "blo_desk.ui.printing:<function>") -------------------------------
def _hold(controller, name: str, window: QWidget) -> QWidget:
    """One preview of each kind per desk: a new one replaces the old."""
    held = getattr(controller, "_print_windows", None)
    if held is None:
        held = controller._print_windows = {}
    old = held.get(name)
    if old is not None and old is not window:
        old.close()
        old.deleteLater()
    held[name] = window
    window.destroyed.connect(lambda *_a: held.get(name) is window and held.pop(name, None))
    return window


def _printing(controller):
    if not getattr(controller, "ready", False) or controller.services is None:
        controller.window.message(lambda: _("The case store is still opening; try again in a moment."))
        return None
    return getattr(controller.services, "printing", None)


def print_protocol(controller) -> PrintPreviewDialog | None:
    """The open case's protocol in the remembered print language (else the interface language), with preview."""
    from blo_desk.domain.permissions import Action, allowed

    printing = _printing(controller)
    case = controller.editor.case
    if printing is None or case is None or not case.id:
        return None
    if not allowed(controller.principal, Action.PRINT_PROTOCOL, post_code=case.post_code):
        return None
    languages = tuple(getattr(printing, "languages", PRINT_LANGUAGES))
    prefs = getattr(controller, "prefs", None)
    case_id, number = case.id, case.case_number or case.id
    unsaved = bool(getattr(controller.editor, "dirty", False))
    dialog = PrintPreviewDialog(
        controller.window, runner=controller.runner,
        build=lambda lang: printing.protocol(case_id=case_id, lang=lang),
        language=remembered_print_language(prefs, languages), languages=languages,
        title=lambda: _("Protocol {number} — print preview").format(number=number),
        file_name=f"{safe_file_name(number)}.pdf",
        on_language=lambda lang: remember_print_language(prefs, lang),
        note=(lambda: _("The protocol shows the last saved revision; save the case to print your changes."))
        if unsaved else None, pages=printing,
    )
    _hold(controller, "protocol", dialog)
    dialog.show()
    dialog.raise_()
    dialog.start_render()
    return dialog


def period_report(controller):
    """The supervisor's period report: choose dates, posts and language, then the preview."""
    from blo_desk.domain.permissions import Action, allowed

    if not allowed(controller.principal, Action.REPORTS):
        return None
    printing = _printing(controller)
    if printing is None:
        return None
    from blo_desk.ui.dialogs.period_report import PeriodReportDialog

    languages = tuple(getattr(printing, "languages", PRINT_LANGUAGES))
    prefs = getattr(controller, "prefs", None)
    principal = controller.principal
    own_post = "" if principal.all_posts else principal.post_code  # the service holds the same rule
    dialog = PeriodReportDialog(controller.window, posts=controller.reference.posts, languages=languages,
                                language=remembered_print_language(prefs, languages), own_post=own_post,
                                on_accept=lambda choice: open_report_preview(controller, choice))
    _hold(controller, "report_choice", dialog)
    dialog.open()
    return dialog


def open_report_preview(controller, choice) -> PrintPreviewDialog | None:
    """The preview of the period report `choice` (a dialogs.period_report.ReportChoice) asks for."""
    printing = _printing(controller)
    if printing is None:
        return None
    from blo_desk.i18n import translator

    prefs = getattr(controller, "prefs", None)
    remember_print_language(prefs, choice.language)
    languages = tuple(getattr(printing, "languages", PRINT_LANGUAGES))

    def build(lang: str) -> bytes:
        return printing.period_report(date_from=choice.date_from, date_to=choice.date_to, lang=lang,
                                      post_codes=choice.post_codes, finalized_only=choice.finalized_only)

    def title() -> str:
        tr = translator(active_language())
        return _("Period report {start} – {end} — print preview").format(
            start=tr.format_date(choice.date_from), end=tr.format_date(choice.date_to))

    dialog = PrintPreviewDialog(
        controller.window, runner=controller.runner, build=build, language=choice.language, languages=languages,
        title=title, file_name=f"report-{choice.date_from.isoformat()}-{choice.date_to.isoformat()}.pdf",
        on_language=lambda lang: remember_print_language(prefs, lang), pages=printing,
    )
    _hold(controller, "report", dialog)
    dialog.show()
    dialog.raise_()
    dialog.start_render()
    return dialog


def verify_print(controller):
    """Check a printed copy's code against the store, as `blo-desk verify-print` does (same answer, same words)."""
    printing = _printing(controller)
    if printing is None:
        return None
    from blo_desk.ui.dialogs.verify_print import VerifyPrintDialog

    def check(code: str, on_done, on_error) -> None:
        controller.runner.run(lambda: printing.verify_code(code=code), on_done=on_done, on_error=on_error)

    dialog = VerifyPrintDialog(controller.window, check=check)
    _hold(controller, "verify_print", dialog)
    dialog.show()
    dialog.raise_()
    return dialog
