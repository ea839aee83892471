"""Printing in the desk: the actions' entry points (the open case's protocol, the period report) and their previews."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from blo_desk.i18n import _, active_language, ngettext
from blo_desk.ui.dialogs.print_preview import PrintPreviewDialog, safe_file_name
from blo_desk.ui.print_language import PRINT_LANGUAGES, remember_print_language, remembered_print_language
from blo_desk.ui.store_open import opened


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


def print_protocol(controller) -> PrintPreviewDialog | None:
    """The protocol of the open case, or of the cases selected in the list (one PDF, in the list's order), in the
    remembered print language (else the interface language), with preview. From the list, unsaved changes to one
    of them in the editor are asked about first (the preview then shows what was saved)."""
    from blo_desk.domain.permissions import Action, allowed

    printing = opened(controller, "printing")
    if printing is None:
        return None
    window = controller.window
    if getattr(window, "on_editor", True):
        case = controller.editor.case
        if case is None or not case.id:
            return None
        chosen = [(case.id, case.case_number or case.id, case.post_code)]
        unsaved = bool(getattr(controller.editor, "dirty", False))
    else:
        chosen = [(s.id, s.case_number, s.post_code) for s in controller.list_page.selected_summaries()]
        unsaved = False
    if not chosen or not all(allowed(controller.principal, Action.PRINT_PROTOCOL, post_code=post)
                             for _id, _number, post in chosen):
        return None
    ids, numbers = [c[0] for c in chosen], [c[1] for c in chosen]
    editor = controller.editor
    if not window.on_editor and editor.case is not None and editor.case.id in ids and editor.dirty \
            and not editor.read_only:
        def saved_then_preview() -> None:
            controller.show_list()
            _protocol_preview(controller, printing, ids, numbers, unsaved=False)

        controller.unsaved_first(ids, saved_then_preview)
        return None
    return _protocol_preview(controller, printing, ids, numbers, unsaved=unsaved)


def _protocol_preview(controller, printing, ids: list[str], numbers: list[str], *,
                      unsaved: bool) -> PrintPreviewDialog:
    languages = tuple(getattr(printing, "languages", PRINT_LANGUAGES))
    prefs = getattr(controller, "prefs", None)
    if len(ids) == 1:
        case_id, number = ids[0], numbers[0]

        def build(lang: str) -> bytes:
            return printing.protocol(case_id=case_id, lang=lang)

        def title() -> str:
            return _("Protocol {number} — print preview").format(number=number)

        file_name = f"{safe_file_name(number)}.pdf"
    else:
        count, first, last = len(ids), numbers[0], numbers[-1]

        def build(lang: str) -> bytes:
            return printing.protocols_pdf(case_ids=ids, lang=lang)

        def title() -> str:
            return ngettext("Protocols of {count} case ({first} … {last}) — print preview",
                            "Protocols of {count} cases ({first} … {last}) — print preview",
                            count).format(count=count, first=first, last=last)

        file_name = f"protocols-{safe_file_name(first)}-{count}.pdf"
    dialog = PrintPreviewDialog(
        controller.window, runner=controller.runner, build=build,
        language=remembered_print_language(prefs, languages), languages=languages,
        title=title, file_name=file_name,
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
    printing = opened(controller, "printing")
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
    printing = opened(controller, "printing")
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
    printing = opened(controller, "printing")
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
