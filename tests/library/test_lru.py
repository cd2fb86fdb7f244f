"""helpers.lru: the slider panels' cache of recent results."""

from dataclasses import dataclass

import numpy as np
import pytest

from helpers.lru import LRUCache, read_only


@dataclass(frozen=True)
class Result:
    values: np.ndarray
    parts: tuple


def test_least_recently_used_is_evicted_and_get_refreshes():
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert list(cache) == ["a", "c"] and "b" not in cache and cache.get("b") is None
    cache.put("a", 4)  # replacing a key keeps one entry
    assert list(cache) == ["c", "a"] and cache.get("a") == 4 and len(cache) == 2


def test_size_zero_keeps_nothing():
    cache = LRUCache(0)
    cache.put("a", 1)
    assert len(cache) == 0 and cache.get("a") is None


def test_stored_arrays_become_read_only_so_a_hit_cannot_be_altered():
    result = Result(np.zeros(3), (np.ones(2), [np.arange(2)], "text"))
    cache = LRUCache(1)
    cache.put(("lr", 0.1), (result, b"png"))
    with pytest.raises(ValueError, match="read-only"):
        result.values[0] = 1.0
    for array in (result.parts[0], result.parts[1][0]):
        assert not array.flags.writeable
    assert read_only(5) == 5


@pytest.mark.parametrize(
    "call, error, name",
    [
        (lambda: LRUCache(-1), ValueError, "size"),
        (lambda: LRUCache(1.5), ValueError, "size"),
        (lambda: LRUCache(1).get(["unhashable"]), TypeError, "key"),
        (lambda: LRUCache(1).put({}, 1), TypeError, "key"),
        (lambda: LRUCache(1).put("a", None), ValueError, "value"),
    ],
)
def test_bad_arguments_name_the_parameter(call, error, name):
    with pytest.raises(error, match=name):
        call()
