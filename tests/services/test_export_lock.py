"""One export at a time per data folder across processes (the desk and `blo-desk bundle export` from a shell), and
what a killed export left on the stick is gone after the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from blo_desk.domain.entities import CaseQuery
from blo_desk.services.export_lock import ExportBusyError, export_lock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "exchange"))
import bundle_kit as kit  # noqa: E402


def _cli_export(data_dir: Path, stick: Path) -> subprocess.Popen:
    env = {**os.environ, "BLO_DESK_DATA_DIR": str(data_dir), "BLO_DESK_PLAINTEXT_STORE": "1"}
    env.pop("BLO_DESK_USER", None)
    return subprocess.Popen([sys.executable, "-m", "blo_desk", "--lang", "en", "bundle", "export", "--out", str(stick)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_an_export_from_a_shell_waits_while_the_desk_exports(tmp_path):
    # GIVEN a post with cases, whose desk is exporting right now (it holds the export lock of the data folder)
    post = kit.make_post(tmp_path / "post", "UZ-DUS", cases=3, photos=0)
    data_dir = post.settings.data_dir
    stick = tmp_path / "stick"
    try:
        with export_lock(data_dir):
            # WHEN an officer runs `blo-desk bundle export` from a shell at the same time
            shell = _cli_export(data_dir, stick)
            time.sleep(2.0)
            # THEN it waits: no number reserved, no file written
            assert shell.poll() is None
            assert post.sync.outbox() == [] and not list(stick.glob("*.blo"))
        # AND once the desk's export is done the shell's goes through, without an IntegrityError
        out, err = shell.communicate(timeout=120)
        assert shell.returncode == 0, out + err
        assert "Bundle 1 written" in out and "IntegrityError" not in err
        # AND an export by the desk afterwards takes the next number
        kit.change(post, post.cases.list_cases(query=CaseQuery()).rows[0].id)
        assert post.sync.export(folder=stick).sequence == 2
    finally:
        post.close()


def test_a_lock_held_by_a_killed_process_does_not_block_and_stale_parts_go(tmp_path):
    # GIVEN a post whose export was killed with kill -9 while it held the lock, leaving a part on the stick
    post = kit.make_post(tmp_path / "post", "UZ-DUS", cases=2, photos=0)
    data_dir = post.settings.data_dir
    stick = tmp_path / "stick"
    stick.mkdir()
    stale = stick / ".UZ-DUS-000001.blo.a1b2c3d4.part"
    stale.write_bytes(b'{"case":{"narrative":"readable record of a killed export"}}')
    other = stick / ".UZ-OYB-000004.blo.ffff.part"  # another post's export, maybe running: not ours to delete
    other.write_bytes(b"x")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path.insert(0, sys.argv[1]);"
        "from blo_desk.services.export_lock import export_lock\n"
        "with export_lock(sys.argv[2]):\n print('held', flush=True); time.sleep(60)"), str(Path.cwd()), str(data_dir)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")})
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(ExportBusyError) as busy:  # held by a live process: a short wait gives up, saying so
            with export_lock(data_dir, wait_s=0.3):
                pass
        assert str(holder.pid) in busy.value.translated()
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
        # WHEN the next export runs
        started = time.monotonic()
        result = post.sync.export(folder=stick)
        # THEN the dead holder does not block it, and the killed export's part is gone (the other post's stays)
        assert time.monotonic() - started < 10
        assert result.sequence == 1
        assert not stale.exists() and other.exists()
        assert sorted(p.name for p in stick.iterdir()) == [".UZ-OYB-000004.blo.ffff.part", "UZ-DUS-000001.blo"]
    finally:
        if holder.poll() is None:
            holder.kill()
        post.close()
