"""HQ's traffic per pair of posts (issue 16): shares counted apart from cases, a case shared twice counted once; a
bundle's share event names its cases only in the shape the manifest allows."""

from __future__ import annotations

from datetime import date

import pytest

from blo_desk.domain.sharing import pair_traffic
from blo_desk.exchange.errors import ManifestError
from blo_desk.exchange.manifest import _share_events_from_dict


def _event(n: int, *, reporter: str = "UZ-OYB", direction: str = "sent", references=None, cases: int = 0) -> dict:
    event = {"id": f"{n:032x}", "kind": "share", "direction": direction, "reporter": reporter,
             "peer": "TJ-FOT" if reporter == "UZ-OYB" else "UZ-OYB", "profile": "non-nominal",
             "at": f"2026-11-0{n}T08:00:00.000000Z", "sha256": "a" * 64, "cases": cases, "photos": 0, "about": "",
             "due": ""}
    if references is not None:
        event["references"] = tuple(references)
        event["cases"] = len(references)
    return event


def test_a_case_shared_twice_counts_once_and_the_shares_are_counted_apart():
    # GIVEN Oybek shared cases 1 and 2, then case 1 again; Fotehobod's bundle reported the second share as well
    events = [_event(1, references=["UZ-OYB-2026-1", "UZ-OYB-2026-2"]), _event(2, references=["UZ-OYB-2026-1"]),
              _event(2, reporter="TJ-FOT", direction="received", references=["UZ-OYB-2026-1"])]
    [pair] = pair_traffic(events, today=date(2026, 11, 30))
    # THEN two shares from Oybek, two distinct cases
    assert (pair.shares_second_to_first, pair.shares_first_to_second, pair.cases) == (2, 0, 2)


def test_a_share_reported_by_an_older_bundle_counts_its_cases():
    # GIVEN one share whose bundle named no cases (written before the cases were named) and one that did
    events = [_event(1, cases=3), _event(2, references=["UZ-OYB-2026-1"])]
    [pair] = pair_traffic(events, today=date(2026, 11, 30))
    assert pair.cases == 4
    # AND when the other side's bundle named the cases of the first, they are counted by name
    events.append(_event(1, reporter="TJ-FOT", direction="received",
                         references=["UZ-OYB-2026-1", "UZ-OYB-2026-5", "UZ-OYB-2026-6"]))
    [pair] = pair_traffic(events, today=date(2026, 11, 30))
    assert pair.cases == 3


def _wire(event: dict) -> dict:
    return {k: (list(v) if k == "references" else v) for k, v in event.items() if k != "reporter"}


def test_the_manifest_takes_the_case_numbers_of_a_share_and_nothing_odd():
    good = _wire(_event(1, references=["UZ-OYB-2026-1"]))
    assert _share_events_from_dict([good])[0]["references"] == ["UZ-OYB-2026-1"]
    assert "references" not in _share_events_from_dict([_wire(_event(1, cases=2))])[0]
    for bad in ({**good, "cases": 2}, {**good, "kind": "request"}, {**good, "references": [7]},
                {**good, "references": ["x" * 65]}, {**good, "references": "UZ-OYB-2026-1"}, {**good, "extra": 1}):
        with pytest.raises(ManifestError):
            _share_events_from_dict([bad])
