"""HQ's import lanes (services/import_lanes.py): one post's files one after the other, in their order; the posts
shared out among the lanes; a failure stops the batch after what was already started."""

from __future__ import annotations

import threading
import time

import pytest

from blo_desk.services.import_lanes import in_lanes

FILES = ["A-1", "B-1", "A-2", "C-1", "B-2", "A-3", "X", "C-2"]


def _post(name: str) -> str | None:
    return None if name == "X" else name.split("-")[0]  # X: a file that names no trusted key


def test_one_posts_files_go_in_their_order_while_posts_go_at_once():
    # GIVEN files of three posts, where post A's files take longest
    started: list[str] = []
    running, most = set(), 0
    lock = threading.Lock()

    def work(name: str) -> str:
        nonlocal most
        with lock:
            started.append(name)
            running.add(_post(name))
            most = max(most, len(running))
        time.sleep(0.05 if name.startswith("A") else 0.01)
        with lock:
            running.discard(_post(name))
        return name.lower()

    # WHEN they go through two lanes
    done = list(in_lanes(FILES, group=_post, work=work, lanes=2))
    # THEN every file is done once, its result beside its index
    assert sorted(done) == sorted((n, name.lower()) for n, name in enumerate(FILES))
    # AND each post's files started in their order, one after the other
    for post in ("A", "B", "C"):
        assert [f for f in started if f.startswith(post)] == [f for f in FILES if f.startswith(post)]
    # AND two posts were at work at the same time
    assert most == 2


def test_one_lane_works_in_the_callers_thread_in_order():
    threads = set()

    def work(name: str) -> str:
        threads.add(threading.current_thread())
        return name

    assert list(in_lanes(FILES, group=_post, work=work, lanes=1)) == list(enumerate(FILES))
    assert threads == {threading.current_thread()}


def test_a_failure_is_raised_after_the_work_already_started_and_nothing_new_starts():
    # GIVEN a batch where B-1 fails while A-1 is still at work
    started: list[str] = []
    b_failing = threading.Event()

    def work(name: str) -> str:
        started.append(name)
        if name == "A-1":
            assert b_failing.wait(10)
            time.sleep(0.2)  # B-1's lane has raised meanwhile
        if name == "B-1":
            b_failing.set()
            raise PermissionError("no longer allowed")
        return name

    # WHEN it runs in two lanes THEN A-1's result comes, then the failure
    results = []
    with pytest.raises(PermissionError, match="no longer allowed"):
        for entry in in_lanes(FILES, group=_post, work=work, lanes=2):
            results.append(entry)
    assert results == [(0, "A-1")]
    # AND no file was started after the failure
    assert sorted(started) == ["A-1", "B-1"]
