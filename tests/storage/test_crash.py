"""SIGKILL during a burst of saves: every save that returned is there, and the file is sound."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

WRITER = r"""
import sys
from dataclasses import replace
from blo_desk.config import load_settings
from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.registry import open_services
from blo_desk.services.demo import dustlik_case
services = open_services(load_settings(data_dir=sys.argv[1], plaintext_store=True), principal=SYSTEM)
n = 0
while True:
    n += 1
    saved = services.cases.save(case=replace(dustlik_case(), narrative=f"save {n}"))
    if n % 3 == 0:
        saved = services.cases.save(case=replace(saved, narrative=f"save {n} edited"))
    print(saved.id, saved.revision, flush=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_sigkill_mid_burst_loses_no_returned_save(tmp_path):
    rng = random.Random(20240420)
    data = tmp_path / "data"
    acknowledged: dict[str, int] = {}
    for round_no in range(4):
        # GIVEN a process saving cases as fast as it can, printing each save once it has returned
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(data)], stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 1.5 + rng.random() * 2
        lines = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
        # WHEN it is killed at a random moment (no chance to clean up)
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate()
        for line in lines + rest.splitlines():
            parts = line.split()
            if len(parts) == 2:
                acknowledged[parts[0]] = int(parts[1])
        assert acknowledged, f"round {round_no}: the writer never saved"
    # THEN the store passes integrity_check and holds every acknowledged save at least at that revision
    conn = sqlite3.connect(data / "blo_desk.sqlite3")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = dict(conn.execute("SELECT id, revision FROM seizure_case"))
    revisions = {(r[0], r[1]) for r in conn.execute("SELECT case_id, revision FROM case_revision")}
    conn.close()
    missing = [cid for cid, rev in acknowledged.items() if stored.get(cid, 0) < rev or (cid, rev) not in revisions]
    assert not missing, f"{len(missing)} acknowledged saves lost"
    assert len(acknowledged) > 20
