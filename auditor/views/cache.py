"""The one memo of the views: each view is computed once per audit, whoever asks first.

A view is a function whose first argument is what it reads — the snapshot, or one page of it —
followed by explicit, hashable parameters (settings are passed in, never looked up by a
check's id)::

    @view
    def columns_of(snapshot, profile) -> list[Column]: ...

The result is kept in a store belonging to that first argument (a weak reference: it goes when
the audit's snapshot goes) under the key ``(view, parameters)``; an object standing for the
snapshot (``view_owner``: the checks' snapshot with the gatherers' facts beside it) shares the
snapshot's store — a view reads the crawl, never a gatherer's facts. The snapshot itself is never
written. Gatherers read views while checks run, on other threads: the first caller of a key
computes it, and a second caller of the same key waits for that result instead of computing
it again; different keys compute at the same time (a view may call other views).

A profile is a parameter like any other: it hashes by identity, one object per audit.
"""
from __future__ import annotations

import functools
import threading
import weakref
from concurrent.futures import Future
from typing import Any, Callable, Concatenate, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
O = TypeVar("O")

_LOCK = threading.Lock()
# owner (a Snapshot or a Page) -> {(view, args, kwargs): Future holding the view's value}
_STORES: "weakref.WeakKeyDictionary[Any, dict[tuple, Future]]" = weakref.WeakKeyDictionary()


def view(func: Callable[Concatenate[O, P], R]) -> Callable[Concatenate[O, P], R]:
    """Memoise ``func(owner, *params)`` per owner; thread-safe, each key computed once."""

    @functools.wraps(func)
    def memoised(owner: O, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (func, args, tuple(sorted(kwargs.items())) if kwargs else ())
        memo_owner = getattr(owner, "view_owner", owner)
        with _LOCK:
            store = _STORES.get(memo_owner)
            if store is None:
                store = _STORES[memo_owner] = {}
            future = store.get(key)
            mine = future is None
            if mine:
                future = store[key] = Future()
        if mine:
            try:
                future.set_result(func(owner, *args, **kwargs))
            except BaseException as exc:
                # Not remembered: the next caller tries again (and gets the error itself).
                with _LOCK:
                    store.pop(key, None)
                future.set_exception(exc)
                raise
        return future.result()

    memoised.uncached = func  # type: ignore[attr-defined]  # the plain function, for tests
    return memoised


def computed(owner: Any) -> int:
    """How many view results are held for ``owner`` (for tests and benchmarks)."""
    with _LOCK:
        store = _STORES.get(getattr(owner, "view_owner", owner))
        return len(store) if store else 0
