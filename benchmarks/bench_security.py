"""Benchmarks of issue 7: save and search on the SQLCipher store vs the plaintext store (same run), and login time.

Run: .venv/bin/python benchmarks/bench_security.py [--cases 20000] [--smoke]
Targets: encrypted save and search <= 1.3 x plaintext; login (argon2id key derivation + hash check + open) <= 1 s.
Also shown (no target): how long a refused login takes for a user who exists and for a username nobody has.
Exits 1 when a target is missed, except with --smoke, whose sizes are too small for the targets to mean anything.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from blo_desk.config import load_settings  # noqa: E402
from blo_desk.domain.errors import InvalidCredentialsError  # noqa: E402
from blo_desk.domain.permissions import SYSTEM  # noqa: E402
from blo_desk.services.accounts import AccountService, PasswordPolicy  # noqa: E402
from blo_desk.services.demo import dustlik_case, generate, load_demo  # noqa: E402
from blo_desk.services.registry import open_services  # noqa: E402

WORDS = ["Karimova", "Oztay", "cigarettes", "Toʻxtayev", "01A", "baby", "Каримов", "heroin"]


def _fill(services, count: int) -> None:
    load_demo(cases=services.cases)
    generate(uow=services.uow, count=count, seed=7)


def _measure(services, rounds: int) -> dict[str, float]:
    saves, searches = [], []
    base = services.cases.save(case=dustlik_case())
    for n in range(rounds):
        started = time.perf_counter()
        base = services.cases.save(case=replace(base, narrative=f"edit {n}"))
        saves.append(time.perf_counter() - started)
    for n in range(rounds):
        started = time.perf_counter()
        services.cases.search(text=WORDS[n % len(WORDS)], limit=50)
        searches.append(time.perf_counter() - started)
    return {"save_median_ms": statistics.median(saves) * 1000, "search_median_ms": statistics.median(searches) * 1000}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--smoke", action="store_true",
                        help="tiny sizes, same code paths, targets not enforced: a check that the script still runs")
    args = parser.parse_args()
    logins_measured = 5
    if args.smoke:
        args.cases, args.rounds, logins_measured = 200, 12, 2
    root = Path(tempfile.mkdtemp(prefix="blo-bench-security-"))
    try:
        return _run(root, args.cases, args.rounds, logins_measured, smoke=args.smoke)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _refusal_times(settings, count: int) -> dict[str, list[float]]:
    """Wall and CPU seconds of refused logins on the encrypted store: a wrong password for a user who exists, and
    any password for a username nobody has (interleaved; the lock-out set high so that every try is checked)."""
    door = AccountService(settings, policy=PasswordPolicy(max_failures=10_000))
    times: dict[str, list[float]] = {"known": [], "unknown": [], "known_cpu": [], "unknown_cpu": []}
    for n in range(count):
        for kind, name in (("known", "admin"), ("unknown", f"nobody{n}")):
            started, cpu = time.perf_counter(), time.process_time()
            try:
                door.login(username=name, password="wrong-password-1")
            except InvalidCredentialsError:
                pass
            times[kind].append(time.perf_counter() - started)
            times[f"{kind}_cpu"].append(time.process_time() - cpu)
    return times


def _run(root: Path, cases: int, rounds: int, logins_measured: int, *, smoke: bool) -> int:
    results = {}
    # Plaintext store (the explicit test/benchmark mode).
    plain = open_services(load_settings(data_dir=root / "plain", plaintext_store=True), principal=SYSTEM)
    _fill(plain, cases)
    # Encrypted store: created and opened through an admin login, filled as SYSTEM with the unlocked key.
    secure_settings = load_settings(data_dir=root / "secure", plaintext_store=False)
    accounts = AccountService(secure_settings)
    accounts.create_first_admin(username="admin", password="admin-password-1")
    secure = accounts.open_services(as_system=True)
    _fill(secure, cases)
    # Interleave the two so both see the same machine state.
    runs = {"plain": [], "sqlcipher": []}
    for _ in range(3):
        runs["plain"].append(_measure(plain, rounds // 3))
        runs["sqlcipher"].append(_measure(secure, rounds // 3))
    for name, measured in runs.items():
        results[name] = {k: statistics.median(m[k] for m in measured) for k in measured[0]}
    plain.close()
    secure.close()
    logins = []
    for _ in range(logins_measured):
        started = time.perf_counter()
        door = AccountService(secure_settings)
        door.login(username="admin", password="admin-password-1")
        door.open_services().close()
        logins.append(time.perf_counter() - started)
    refusals = _refusal_times(secure_settings, logins_measured * 2)
    save_ratio = results["sqlcipher"]["save_median_ms"] / results["plain"]["save_median_ms"]
    search_ratio = results["sqlcipher"]["search_median_ms"] / results["plain"]["search_median_ms"]
    login = statistics.median(logins)
    print(f"store of {cases:,} synthetic cases + demo, {rounds} saves and searches each")
    for name, r in results.items():
        print(f"  {name:9s}  save median {r['save_median_ms']:.2f} ms   search median {r['search_median_ms']:.2f} ms")
    print(f"  ratio     save {save_ratio:.2f}x   search {search_ratio:.2f}x   (target <= 1.3x)")
    print(f"  login (argon2id unwrap + hash check + open store), median of {logins_measured}: {login * 1000:.0f} ms (target <= 1000 ms)")
    known, unknown = (statistics.median(refusals[k]) * 1000 for k in ("known", "unknown"))
    print(f"  refused login, median of {len(refusals['known'])} each, interleaved: wrong password for a user "
          f"{known:.0f} ms, a username nobody has {unknown:.0f} ms (difference {unknown - known:+.0f} ms, "
          f"{(unknown - known) / known * 100:+.1f} %; CPU {statistics.median(refusals['known_cpu']) * 1000:.0f} / "
          f"{statistics.median(refusals['unknown_cpu']) * 1000:.0f} ms)")
    print("  load average (1, 5, 15 min): " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    ok = save_ratio <= 1.3 and search_ratio <= 1.3 and login <= 1.0
    if smoke:
        print(f"{'PASS' if ok else 'FAIL'} (smoke run: targets not enforced)")
        return 0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
