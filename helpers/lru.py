"""The last few results of a slider panel, so that moving a slider back costs only a lookup.

:class:`LRUCache` keeps at most ``size`` values by key and evicts the least recently used one.
A panel's results are returned to the notebook as well as kept, so :func:`read_only` first makes
their numpy arrays read-only: a later hit then cannot show a result that a caller altered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Iterator

import numpy as np

from helpers import _validate as check

__all__ = ["LRUCache", "read_only"]


def read_only(value):
    """``value`` with every numpy array in it made read-only, in place: the array itself, or
    the arrays among the fields of a dataclass and the items of a tuple or list (recursively).

    Example:
        >>> a = read_only(np.zeros(2))
        >>> a.flags.writeable
        False
    """
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            read_only(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            read_only(item)
    return value


class LRUCache:
    """At most ``size`` values by key (``size`` >= 0; 0 keeps nothing); :meth:`get` makes a key
    the most recent, :meth:`put` evicts the least recent beyond ``size``. Iterating gives the
    keys from the least to the most recent.

    Example:
        >>> cache = LRUCache(2)
        >>> cache.put("a", 1); cache.put("b", 2); cache.get("a"); cache.put("c", 3)
        1
        >>> list(cache)
        ['a', 'c']
    """

    def __init__(self, size: int) -> None:
        self.size = check.integer("size", size, low=0)
        self._values: dict = {}

    def get(self, key: Hashable):
        """The value stored under ``key`` (now the most recent), or None."""
        _key("key", key)
        if key not in self._values:
            return None
        value = self._values.pop(key)
        self._values[key] = value
        return value

    def put(self, key: Hashable, value) -> None:
        """Store ``value`` (its arrays made read-only, :func:`read_only`) as the most recent."""
        _key("key", key)
        if value is None:
            raise ValueError("value must not be None (get returns None for a missing key)")
        if not self.size:
            return
        self._values.pop(key, None)
        self._values[key] = read_only(value)
        while len(self._values) > self.size:
            del self._values[next(iter(self._values))]

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator:
        return iter(list(self._values))


def _key(name: str, key) -> None:
    try:
        hash(key)
    except TypeError:
        raise TypeError(f"{name} must be hashable, got {type(key).__name__}") from None
