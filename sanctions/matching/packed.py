"""Tables an index reads from its file without decoding them first: items and maps as bytes.

An index built in memory holds lists and dicts of Python objects. Rebuilding those objects one
by one is what made loading a saved index slow (a pickle of a million small objects takes
seconds), so an index file keeps its large tables as bytes, and an index read from it views
them in place (:mod:`sanctions.batch.indexfile` maps the file into memory, so the workers of
one machine share its pages):

* :class:`PackedItems` is a sequence of encoded items (one buffer and an array of offsets),
  each decoded the first time it is asked for and then kept (the same object every time);
* :class:`PackedMap` is a read-only ``str -> value`` map kept as a hash table in bytes (CRC-32
  buckets, so its layout does not depend on Python's hash seed): a lookup decodes one value;
* :func:`int_arrays` views one buffer of 32-bit integers as many arrays, without copying.

A section is a named ``bytes`` (written) or ``memoryview`` (read); the functions here turn a
table into sections and sections back into a table.
"""

from __future__ import annotations

import marshal
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")
V = TypeVar("V")

Sections = dict[str, bytes]  # name -> bytes, as written
Views = Mapping[str, memoryview]  # name -> view of the file's bytes, as read

__all__ = [
    "PackedItems",
    "PackedMap",
    "Sections",
    "Views",
    "int_arrays",
    "pack_int_arrays",
    "pack_items",
    "pack_map",
    "unpack_map",
]


def _offsets(view: memoryview) -> memoryview:
    return view.cast("B").cast("q")


def pack_items(prefix: str, items: Iterable[bytes]) -> Sections:
    """Sections ``<prefix>.data`` (the items, one after the other) and ``<prefix>.offsets``."""
    offsets = array("q", [0])
    chunks: list[bytes] = []
    total = 0
    for item in items:
        chunks.append(item)
        total += len(item)
        offsets.append(total)
    return {f"{prefix}.data": b"".join(chunks), f"{prefix}.offsets": offsets.tobytes()}


class PackedItems(Sequence[T], Generic[T]):
    """Items encoded one by one in a buffer, decoded on first access and kept.

    Reads share the buffer (a memory map: pages are loaded when touched and shared between
    processes); the decoded items kept are the ones queries asked for, at most every item.
    """

    __slots__ = ("_cache", "_data", "_decode", "_offsets")

    def __init__(self, views: Views, prefix: str, decode: Callable[[memoryview], T]) -> None:
        self._data = views[f"{prefix}.data"]
        self._offsets = _offsets(views[f"{prefix}.offsets"])
        self._decode = decode
        self._cache: dict[int, T] = {}

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        found = self._cache.get(index)
        if found is None:
            n = len(self._offsets) - 1
            pos = index + n if index < 0 else index
            if not 0 <= pos < n:
                raise IndexError(index)
            found = self._cache.get(pos)
            if found is None:
                decoded = self._decode(self._data[self._offsets[pos] : self._offsets[pos + 1]])
                # setdefault: threads decoding one item at once all get the one object kept
                found = self._cache.setdefault(pos, decoded)
        return found

    def __iter__(self) -> Iterator[T]:
        return (self[i] for i in range(len(self)))

    def forget(self) -> None:
        """Drop the decoded items (they are decoded again when asked for)."""
        self._cache.clear()

    @property
    def decoded(self) -> int:
        """How many items are decoded and kept (for memory figures)."""
        return len(self._cache)


def pack_int_arrays(prefix: str, arrays: Iterable[Sequence[int]]) -> Sections:
    """Sections ``<prefix>.ints`` (every array's 32-bit integers, one after the other) and
    ``<prefix>.offsets``."""
    ints = array("i")
    offsets = array("q", [0])
    for values in arrays:
        ints.extend(values)
        offsets.append(len(ints))
    return {f"{prefix}.ints": ints.tobytes(), f"{prefix}.offsets": offsets.tobytes()}


def int_arrays(views: Views, prefix: str) -> list[memoryview]:
    """The arrays of :func:`pack_int_arrays` as views of 32-bit integers (nothing copied)."""
    ints = views[f"{prefix}.ints"].cast("B").cast("i")
    offsets = _offsets(views[f"{prefix}.offsets"]).tolist()
    return [ints[a:b] for a, b in zip(offsets, offsets[1:], strict=False)]


def _bucket(key: bytes, mask: int) -> int:
    return zlib.crc32(key) & mask


def pack_map(prefix: str, table: Mapping[str, Any]) -> Sections:
    """A ``str -> value`` map as sections of a :class:`PackedMap` (values as ``marshal`` writes
    them: tuples, strings, numbers, frozensets)."""
    size = 1 << max(1, len(table)).bit_length()
    mask = size - 1
    entries = sorted(
        (
            (_bucket(k.encode(), mask), i, k.encode(), marshal.dumps(v))
            for i, (k, v) in enumerate(table.items())
        ),
        key=lambda e: (e[0], e[1]),
    )
    starts = array("q", bytes(8 * (size + 1)))
    for bucket, *_ in entries:
        starts[bucket + 1] += 1
    for b in range(size):
        starts[b + 1] += starts[b]
    sections = {f"{prefix}.buckets": starts.tobytes()}
    sections.update(pack_items(f"{prefix}.keys", (e[2] for e in entries)))
    sections.update(pack_items(f"{prefix}.values", (e[3] for e in entries)))
    return sections


class PackedMap(Mapping[str, V], Generic[V]):
    """A read-only map kept as a hash table in bytes (:func:`pack_map`); a lookup hashes the key
    with CRC-32, compares the few keys of its bucket and decodes the value found (kept)."""

    __slots__ = ("_buckets", "_cache", "_keys", "_key_offsets", "_mask", "_values")

    def __init__(self, views: Views, prefix: str) -> None:
        self._buckets = _offsets(views[f"{prefix}.buckets"])
        self._mask = len(self._buckets) - 2
        self._keys = views[f"{prefix}.keys.data"]
        self._key_offsets = _offsets(views[f"{prefix}.keys.offsets"])
        self._values: PackedItems[V] = PackedItems(views, f"{prefix}.values", marshal.loads)

    def _find(self, key: str) -> int:
        raw = key.encode()
        bucket = _bucket(raw, self._mask)
        keys, offsets = self._keys, self._key_offsets
        for i in range(self._buckets[bucket], self._buckets[bucket + 1]):
            if keys[offsets[i] : offsets[i + 1]] == raw:
                return i
        return -1

    def __getitem__(self, key: str) -> V:
        i = self._find(key) if isinstance(key, str) else -1
        if i < 0:
            raise KeyError(key)
        return self._values[i]

    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, or ``default``."""
        i = self._find(key)
        return default if i < 0 else self._values[i]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key) >= 0

    def __len__(self) -> int:
        return len(self._key_offsets) - 1

    def __iter__(self) -> Iterator[str]:
        keys, offsets = self._keys, self._key_offsets
        return (bytes(keys[offsets[i] : offsets[i + 1]]).decode() for i in range(len(self)))

    def forget(self) -> None:
        """Drop the decoded values."""
        self._values.forget()


def unpack_map(views: Views, prefix: str) -> PackedMap[Any]:
    """The :class:`PackedMap` of sections written by :func:`pack_map`."""
    return PackedMap(views, prefix)
