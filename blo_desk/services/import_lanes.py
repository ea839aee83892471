"""HQ's import of a batch of files on several connections at once: one post's files one after the other, in their
order, in one lane; the posts shared out among the lanes."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import TypeVar, cast

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Lanes of an import on PostgreSQL. Two keep both cores of a small HQ machine busy: while one lane's bundle waits
#: for the server, the other's records are checked (issue 17: 24 posts x 5,000 cases). SQLite has one writer: one.
PG_LANES = 2


def in_lanes(items: Sequence[Item], *, group: Callable[[Item], Hashable | None], work: Callable[[Item], Result],
             lanes: int) -> Iterator[tuple[int, Result]]:
    """`work` done on every item, yielding (the item's index, its result) as each is done.

    The items of one group (`group` gives the same key; None: a group of its own) are done one after the other, in
    their order, by one lane; the groups go to `lanes` threads in the order of their first item. With one lane
    (or one item) everything is done in this thread, in order, and `group` is not called. An exception raised by
    `work` stops the lanes from starting anything new; it is raised here once the work already started is done,
    after its results."""
    if lanes <= 1 or len(items) <= 1:
        for index, item in enumerate(items):
            yield index, work(item)
        return
    groups: dict[Hashable, list[int]] = {}
    for index, item in enumerate(items):
        key = group(item)
        groups.setdefault(("alone", index) if key is None else ("group", key), []).append(index)
    todo: queue.SimpleQueue[list[int]] = queue.SimpleQueue()
    for indexes in groups.values():
        todo.put(indexes)
    # (index, result, None) for an item done, (index, None, exception) for one that raised, None: a lane ended
    done: queue.SimpleQueue[tuple[int, Result | None, BaseException | None] | None] = queue.SimpleQueue()
    stop = threading.Event()

    def lane() -> None:
        try:
            while not stop.is_set():
                try:
                    indexes = todo.get_nowait()
                except queue.Empty:
                    return
                for index in indexes:
                    if stop.is_set():
                        return
                    try:
                        result = work(items[index])
                    except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread, raised there
                        stop.set()
                        done.put((index, None, exc))
                        return
                    done.put((index, result, None))
        finally:
            done.put(None)

    threads = [threading.Thread(target=lane, name=f"import-lane-{n}", daemon=True)
               for n in range(min(lanes, len(groups)))]
    for thread in threads:
        thread.start()
    running, failure = len(threads), None
    try:
        while running:
            entry = done.get()
            if entry is None:
                running -= 1
                continue
            index, result, exc = entry
            if exc is not None:
                failure = failure or exc
                continue
            yield index, cast(Result, result)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    if failure is not None:
        raise failure
