"""Sync bundles and roles: each role refused (and audited) outside its rights; every bundle write is an audit event."""

from __future__ import annotations

import pytest

from blo_desk.domain.errors import PermissionDeniedError
from blo_desk.domain.permissions import SYSTEM, Principal, Role
from blo_desk.services.demo import dustlik_case
from blo_desk.services.registry import open_services

OFFICER = Principal("karim", Role.OFFICER, "UZ-DUS")
FAR_OFFICER = Principal("ali", Role.OFFICER, "UZ-GSK")
SUPERVISOR = Principal("nodira", Role.SUPERVISOR, "UZ-DUS")
ANALYST = Principal("lola", Role.ANALYST, "")
ADMIN = Principal("admin", Role.ADMIN, "")


@pytest.fixture
def store(settings, tmp_path):
    """A plaintext store set up as post UZ-DUS with one case, one bundle on a stick, and its key in the trust store."""
    system = open_services(settings, principal=SYSTEM)
    identity = system.sync.set_up_post(post_code="UZ-DUS")
    system.cases.save(case=dustlik_case())
    bundle = system.sync.export(folder=tmp_path / "stick")
    system.hq.trust_key(post_code="UZ-DUS", public_key=system.sync.public_key_text())
    yield system, identity, bundle
    system.close()


def _as(settings, principal):
    return open_services(settings, principal=principal)


FORBIDDEN = {
    "officer sets up the post": (OFFICER, lambda s, i, b, t: s.sync.set_up_post(post_code="UZ-DUS")),
    "supervisor sets up the post": (SUPERVISOR, lambda s, i, b, t: s.sync.set_up_post(post_code="UZ-DUS")),
    "analyst exports": (ANALYST, lambda s, i, b, t: s.sync.export(folder=t / "out")),
    "analyst reads the outbox": (ANALYST, lambda s, i, b, t: s.sync.outbox()),
    "officer of another post exports": (FAR_OFFICER, lambda s, i, b, t: s.sync.export(folder=t / "out")),
    "officer of another post acknowledges": (FAR_OFFICER, lambda s, i, b, t: s.sync.acknowledge(up_to=1)),
    "officer writes the secret key": (OFFICER, lambda s, i, b, t: s.sync.export_secret_key(folder=t / "k")),
    "analyst writes the secret key": (ANALYST, lambda s, i, b, t: s.sync.export_secret_key(folder=t / "k")),
    "officer imports": (OFFICER, lambda s, i, b, t: s.hq.import_bundle(path=b.path)),
    "supervisor imports": (SUPERVISOR, lambda s, i, b, t: s.hq.import_bundles(paths=[b.path])),
    "admin imports": (ADMIN, lambda s, i, b, t: s.hq.import_bundle(path=b.path)),
    "officer reads HQ status": (OFFICER, lambda s, i, b, t: s.hq.status()),
    "officer reads alerts": (OFFICER, lambda s, i, b, t: s.hq.alerts()),
    "officer lists trusted keys": (OFFICER, lambda s, i, b, t: s.hq.trusted_keys()),
    "analyst trusts a key": (ANALYST, lambda s, i, b, t: s.hq.trust_key(post_code="UZ-GSK",
                                                                         public_key=_other_key())),
    "supervisor trusts a key": (SUPERVISOR, lambda s, i, b, t: s.hq.trust_key(post_code="UZ-GSK",
                                                                               public_key=_other_key())),
    "analyst revokes a key": (ANALYST, lambda s, i, b, t: s.hq.revoke_key(key_id=i.key_id, from_sequence=2)),
}


def _other_key() -> str:
    from blo_desk.exchange import minisign

    return minisign.SecretKey.generate().public_key.to_file_text()


@pytest.mark.parametrize("name", sorted(FORBIDDEN))
def test_each_role_is_refused_outside_its_bundle_rights_and_the_refusal_is_audited(settings, store, tmp_path, name):
    system, identity, bundle = store
    principal, call = FORBIDDEN[name]
    services = _as(settings, principal)
    before = system.audit.head().length
    outbox = system.sync.outbox(include_acknowledged=True)
    keys = system.hq.trusted_keys()
    try:
        # GIVEN a user of this role WHEN they call a bundle service their role does not allow
        with pytest.raises(PermissionDeniedError) as caught:
            call(services, identity, bundle, tmp_path)
    finally:
        services.close()
    # THEN it is refused with a readable message, and the refusal is exactly one audit event
    assert caught.value.translated()
    assert system.audit.head().length == before + 1
    event = system.audit.events(limit=1)[0]
    assert (event.actor, event.outcome) == (principal.username, "denied")
    # AND nothing changed: no bundle numbered, no key trusted or revoked, nothing imported, no key file written
    assert system.sync.outbox(include_acknowledged=True) == outbox
    assert system.hq.trusted_keys() == keys
    assert system.hq.status()[0].sequences == ()
    assert not (tmp_path / "k").exists() and not (tmp_path / "out").exists()
    assert system.audit.verify().ok


def test_each_role_does_its_bundle_work_and_every_write_is_audited(settings, store, tmp_path):
    system, identity, bundle = store
    # GIVEN the officer of the post WHEN they add a case and export THEN the bundle is written and audited
    officer = _as(settings, OFFICER)
    officer.cases.save(case=dustlik_case())
    second = officer.sync.export(folder=tmp_path / "stick")
    assert second.sequence == 2 and [e.sequence for e in officer.sync.outbox()] == [1, 2]
    assert officer.hq.verify(path=second.path).outcome == "verified"  # the post checks its own stick
    officer.close()
    # AND the supervisor sees HQ's status (audit view) but the analyst imports
    supervisor = _as(settings, SUPERVISOR)
    assert [s.post_code for s in supervisor.hq.status()] == ["UZ-DUS"]
    supervisor.close()
    analyst = _as(settings, ANALYST)
    reports = analyst.hq.import_bundles(paths=[bundle.path, second.path])
    assert [r.outcome for r in reports] == ["imported", "imported"], [r.reason() for r in reports]
    assert analyst.hq.status()[0].summary() == "have 1-2; none missing"
    analyst.close()
    # AND the admin registers and revokes keys
    admin = _as(settings, ADMIN)
    other = admin.hq.trust_key(post_code="UZ-GSK", public_key=_other_key())
    admin.hq.revoke_key(key_id=other.key_id, from_sequence=3)
    admin.close()
    events = [(e.actor, e.action, e.outcome) for e in reversed(system.audit.events(limit=200))]
    assert ("karim", "bundle.export", "ok") in events
    assert events.count(("lola", "bundle.import", "ok")) == 2
    assert events.count(("admin", "keys.manage", "ok")) == 2
    assert ("system", "keys.manage", "ok") in events  # the post's key set-up and the trust of its key
    assert system.audit.verify().ok


def test_a_rejected_bundle_is_audited_with_the_reason(settings, store, tmp_path):
    system, identity, bundle = store
    damaged = tmp_path / "UZ-DUS-000009.blo"
    damaged.write_bytes(open(bundle.path, "rb").read()[:300])
    analyst = _as(settings, ANALYST)
    report = analyst.hq.import_bundle(path=damaged)
    analyst.close()
    assert report.rejected
    event = system.audit.events(limit=1)[0]
    assert (event.actor, event.action, event.outcome) == ("lola", "bundle.import", "rejected")
    assert "NotABundleError" in event.details
