"""The self-test (`blo-desk --selftest`): a throwaway encrypted store, an admin, the Dustlik case, a protocol, a bundle."""

from __future__ import annotations

import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from blo_desk.config import DB_FILENAME, Settings, sqlite_url
from blo_desk.domain.errors import DomainError
from blo_desk.i18n import _

SELFTEST_POST = "UZ-DUS"
SQLITE_MAGIC = b"SQLite format 3\x00"


class SelftestFailed(Exception):
    """A step found something wrong (the message says what)."""


@dataclass
class Step:
    name: str
    ok: bool
    detail: str
    seconds: float


@dataclass
class SelftestResult:
    steps: list[Step] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(step.ok for step in self.steps)


def _line(step: Step) -> str:
    mark = "ok" if step.ok else "FAILED"
    return f"selftest: [{mark}] {step.name}: {step.detail} ({step.seconds * 1000:.0f} ms)"


def run(*, report: Callable[[str], None] = print, language: str = "en", folder: Path | None = None) -> SelftestResult:
    """Run every step in a temporary folder (removed afterwards); `report` gets one line per step.

    Store: a new SQLCipher store created by the first administrator (AccountService), checked to be encrypted.
    Post: this post set up with a fresh signing key, and an officer account. Login: the officer logs in.
    Case: the officer enters and finalizes the Dustlik case. Protocol: its PDF is printed. Bundle: exported,
    then verified (signature, members, every record). The first failed step ends the test.
    """
    from blo_desk.services.accounts import AccountService
    from blo_desk.services.demo import dustlik_case

    result = SelftestResult()

    @contextmanager
    def step(name: str) -> Iterator[list[str]]:
        detail: list[str] = []
        started = time.perf_counter()
        try:
            yield detail
        except Exception as exc:  # noqa: BLE001 - every failure is reported as the step's outcome
            text = exc.translated() if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
            done = Step(name, False, text, time.perf_counter() - started)
            result.steps.append(done)
            report(_line(done))
            raise SelftestFailed(text) from exc
        done = Step(name, True, " ".join(detail), time.perf_counter() - started)
        result.steps.append(done)
        report(_line(done))

    with tempfile.TemporaryDirectory(prefix="blo-desk-selftest-", dir=folder) as tmp:
        data = Path(tmp) / "data"
        # Explicitly encrypted and explicitly in the temporary folder, whatever the environment says.
        settings = Settings(data_dir=data, db_url=sqlite_url(data / DB_FILENAME), language=language,
                            plaintext_store=False)
        admin_password, officer_password = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        services = officer = None
        try:
            with step(_("store")) as detail:
                accounts = AccountService(settings)
                if not accounts.first_start():
                    raise SelftestFailed("the temporary folder is not empty")
                accounts.create_first_admin(username="selftest-admin", password=admin_password,
                                            post_code=SELFTEST_POST)
                store = data / DB_FILENAME
                head = store.read_bytes()[:16]
                if head == SQLITE_MAGIC:
                    raise SelftestFailed("the store was written unencrypted")
                detail.append(_("encrypted store and first administrator created in {path}").format(path=data))

            with step(_("post key")) as detail:
                services = accounts.open_services()
                identity = services.sync.set_up_post(post_code=SELFTEST_POST)
                services.users.add_user(username="selftest-officer", password=officer_password, role="officer",
                                        post_code=SELFTEST_POST)
                services.close()
                services = None
                detail.append(_("post {post}, key id {key_id}; an officer account added").format(
                    post=identity.post_code, key_id=identity.key_id))

            with step(_("login")) as detail:
                session = AccountService(settings)
                principal = session.login(username="selftest-officer", password=officer_password)
                officer = session.open_services()
                detail.append(_("{user} logged in as {role}").format(user=principal.username,
                                                                      role=principal.role.label))

            with step(_("case")) as detail:
                saved = officer.cases.save(case=dustlik_case())
                assert saved.id is not None  # a saved case has its id
                final = officer.cases.finalize(case_id=saved.id, expected_revision=saved.revision)
                final_id = final.id
                assert final_id is not None
                again = officer.cases.get(case_id=final_id)
                if again.narrative != dustlik_case().narrative or not again.is_finalized:
                    raise SelftestFailed("the case read back differs from the case entered")
                found = officer.cases.search(text="Diabolo").rows
                if not any(hit.id == final.id for hit in found):
                    raise SelftestFailed("the search does not find the case")
                detail.append(_("the Dustlik case entered, finalized, read back and found: {number}").format(
                    number=final.case_number))

            with step(_("protocol")) as detail:
                pdf_path = Path(tmp) / "protocol.pdf"
                lang = language if language in officer.printing.languages else "en"
                pdf = officer.printing.protocol(case_id=final_id, lang=lang, out=pdf_path)
                if not pdf.startswith(b"%PDF-") or pdf_path.stat().st_size != len(pdf) or len(pdf) < 1000:
                    raise SelftestFailed("the protocol is not a PDF")
                from blo_desk.reports.raster import render_page  # PDFium, as the desk's preview and printing use it

                first = render_page(pdf, 0, dpi=36)
                if first.width < 100 or first.data.count(b"\xff") == len(first.data):
                    raise SelftestFailed("the protocol's first page does not render")
                detail.append(_("protocol PDF of {size} bytes").format(size=len(pdf)))

            with step(_("bundle export")) as detail:
                exported = officer.sync.export(folder=Path(tmp) / "outbox")
                detail.append(_("bundle {seq}: {records} revisions, {size} bytes").format(
                    seq=exported.sequence, records=exported.records, size=exported.size))

            with step(_("bundle verify")) as detail:
                checked = officer.hq.verify(path=Path(exported.path))
                if checked.rejected:
                    raise SelftestFailed(checked.reason())
                if checked.records != exported.records:
                    raise SelftestFailed(f"{checked.records} records verified, {exported.records} exported")
                detail.append(_("signature, members and {records} records verified").format(records=checked.records))
        except SelftestFailed:
            pass
        finally:
            for opened in (services, officer):
                if opened is not None:
                    opened.close()
    report(f"selftest: {'ok' if result.ok else 'FAILED'}")
    return result
