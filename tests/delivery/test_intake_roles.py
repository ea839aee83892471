"""`hq serve` starts only under an account that may import: otherwise it would take uploads and answer 500 at the end."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from blo_desk.domain.permissions import Principal, Role
from blo_desk.services.hq import HqService
from blo_desk.services.intake import IntakeRoleError, IntakeService

import bundle_kit


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPERVISOR, Role.OFFICER])
def test_the_intake_refuses_to_start_for_a_role_that_cannot_import(tmp_path, role):
    # GIVEN an HQ store, and its HQ service acting for an account that may not import
    hq = bundle_kit.open_store(tmp_path / "hq")
    try:
        service = HqService(uow=hq.uow, blobs=hq.hq._blobs, principal=Principal(username="boss", role=role))
        # WHEN the intake service is started over it THEN it refuses, naming the account and what to do
        with pytest.raises(IntakeRoleError) as refused:
            IntakeService(hq=service, uow=hq.uow, data_dir=tmp_path / "hq")
        assert "boss" in refused.value.translated() and "analyst" in refused.value.translated()
        # AND nothing was created: no receipt key, no upload folder
        assert not (tmp_path / "hq" / "keys" / "hq-receipts.key").exists()
        assert not (tmp_path / "hq" / "intake").exists()
    finally:
        hq.close()


def test_hq_serve_as_an_administrator_says_why_it_does_not_start(tmp_path):
    from blo_desk.config import load_settings
    from blo_desk.services.accounts import AccountService, PasswordPolicy
    from blo_desk.storage.crypto import KdfParams

    # GIVEN an encrypted HQ store whose only account is its administrator
    policy = PasswordPolicy(kdf=KdfParams(memory_kib=19456, time_cost=2, parallelism=1))
    admin = AccountService(load_settings(data_dir=tmp_path / "hq", language="en", plaintext_store=False), policy=policy)
    admin.create_first_admin(username="admin", password="admin-password-1", post_code="")
    env = {**os.environ, "BLO_DESK_DATA_DIR": str(tmp_path / "hq"), "BLO_DESK_PLAINTEXT_STORE": "0",
           "BLO_DESK_USER": "admin", "BLO_DESK_PASSWORD": "admin-password-1"}
    # WHEN the administrator starts the intake service
    done = subprocess.run([sys.executable, "-m", "blo_desk", "--lang", "en", "hq", "serve", "--port", "1"],
                          capture_output=True, text=True, env=env, timeout=120)
    # THEN it does not start, and says which account to use
    assert done.returncode == 2, done.stdout + done.stderr
    assert "The account admin (Administrator) may not import bundles" in done.stderr
    assert "HQ intake service on" not in done.stdout
