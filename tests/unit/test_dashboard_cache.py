"""The dashboards' in-process cache: one computation per key and period, bounded in size."""
from __future__ import annotations

import threading
import time

from app.services.dashboard import TtlCache


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)
    return compute, calls


def test_a_value_is_kept_for_its_seconds_and_recomputed_after():
    cache, (compute, _) = TtlCache(), counter()
    assert cache.get("ministry", 0.05, compute) == 1
    assert cache.get("ministry", 0.05, compute) == 1
    assert cache.get("other", 0.05, compute) == 2
    time.sleep(0.06)
    assert cache.get("ministry", 0.05, compute) == 3
    assert cache.get("ministry", 0, compute) == 4  # no caching asked
    cache.clear()
    assert cache.get("other", 10, compute) == 5


def test_visitors_arriving_together_wait_for_one_computation():
    cache, calls = TtlCache(), []

    def slow():
        calls.append(1)
        time.sleep(0.05)
        return "figures"
    threads = [threading.Thread(target=cache.get, args=("ministry", 10, slow)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1


def test_many_filter_combinations_do_not_grow_the_cache_without_end():
    cache, (compute, _) = TtlCache(), counter()
    for key in range(TtlCache.MAX_KEYS * 3):
        cache.get(key, 10, compute)
    assert len(cache._values) <= TtlCache.MAX_KEYS
