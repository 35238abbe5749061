"""Values across the kernel boundary as plain data: a JSON tree plus NumPy arrays, never pickle.

Both ends use this module: the grader (`dld_check.kernel`) and the agent inside the learner's
kernel (`dld_check.agent`, which receives this file's source at start-up). A value becomes:

- itself, for None, bool, int, float and str (subclasses become the plain type);
- `{"nd": i}` for the i-th array of the message (object arrays are refused), `{"np": i}` for a
  NumPy scalar (kept as a 0-d array so its dtype survives);
- `{"dtype": "<f4"}` for a dtype, `{"sctype": "<f4"}` or `{"sctype": "float"}` for a scalar type;
- `{"list": [...]}`, `{"tuple": [...]}`, `{"dict": [[key, value], ...]}` (str or int keys);
- `{"obj": "module:Class", "id": ..., "state": {...}}` for objects of nnlib's classes and
  `{"rng": id, "state": ...}` for `np.random.Generator`: sent BY VALUE, and each end keeps a table
  of these "mirrors" by id, so the same object crosses again as the same object and its state can
  be brought up to date in place after every call (a model trained in the kernel is trained in
  the grader too); `{"ref": id}` repeats an object already in the message;
- `{"handle": n, "type": name}` for any other object of the kernel (it stays there; the grader
  gets a proxy) and `{"callback": n}` for a callable of the grader's (the kernel gets a stub that
  calls back).

Decoding checks every tag and shape: a message that breaks these rules raises CodecError.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from typing import Any, cast

import numpy as np

PYTHON_TYPES = {t.__name__: t for t in (bool, int, float, complex, str)}
MIRRORED_PACKAGES = ("nnlib",)


class CodecError(ValueError):
    """A value that cannot cross the boundary, or a message that breaks the format."""


def is_mirrored(value: object) -> bool:
    """True for objects sent by value with a mirror at the other end (nnlib objects, Generators)."""
    if isinstance(value, np.random.Generator):
        return True
    module = type(value).__module__ or ""
    return module.split(".")[0] in MIRRORED_PACKAGES and hasattr(value, "__dict__")


class Encoder:
    """Turn values into a JSON tree plus arrays; one Encoder per message.

    Args:
        mirror_id: the id of a mirrored object (assigns one if it has none).
        other: what to do with any other object: return its tree (a handle or a callback).
    """

    def __init__(
        self, mirror_id: Callable[[object], str], other: Callable[[object], dict[str, Any]]
    ) -> None:
        self.arrays: list[np.ndarray] = []
        self._mirror_id = mirror_id
        self._other = other
        self._seen: set[str] = set()

    def encode(self, value: object) -> Any:
        if isinstance(value, bool):
            return bool(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        if isinstance(value, str):
            return str(value)
        if value is None:
            return None
        if isinstance(value, np.dtype):
            return {"dtype": value.str}
        if isinstance(value, type) and (
            issubclass(value, np.generic) or value in PYTHON_TYPES.values()
        ):
            return {
                "sctype": value.__name__ if value in PYTHON_TYPES.values() else np.dtype(value).str
            }
        if isinstance(value, np.generic):
            return {"np": self._array(np.asarray(value))}
        if isinstance(value, np.ndarray):
            return {"nd": self._array(value)}
        if isinstance(value, (list, tuple)):
            return {"list" if isinstance(value, list) else "tuple": [self.encode(v) for v in value]}
        if isinstance(value, dict):
            if not all(isinstance(k, (str, int)) for k in value):
                raise CodecError("only dicts with str or int keys can cross")
            return {
                "dict": [
                    [k if isinstance(k, str) else int(k), self.encode(v)] for k, v in value.items()
                ]
            }
        if is_mirrored(value):
            ident = self._mirror_id(value)
            if ident in self._seen:
                return {"ref": ident}
            self._seen.add(ident)
            if isinstance(value, np.random.Generator):
                return {"rng": ident, "state": self.encode(value.bit_generator.state)}
            cls = type(value)
            return {
                "obj": f"{cls.__module__}:{cls.__qualname__}",
                "id": ident,
                "state": {k: self.encode(v) for k, v in vars(value).items()},
            }
        return self._other(value)

    def _array(self, array: np.ndarray) -> int:
        if array.dtype.hasobject:
            raise CodecError(
                f"an array of Python objects (dtype {array.dtype}) cannot cross; use numbers"
            )
        self.arrays.append(array)
        return len(self.arrays) - 1


# A message's arrays: an 8-byte little-endian header length, a JSON header of [dtype, shape] per
# array, then each array's bytes in C order from the next 64-byte boundary. Raw bytes, no .npz:
# zip's copies and CRCs made the bridge cost as much as a Python loop over the data.
_ALIGN = 64
_PLAIN_KINDS = "biufcSUmM"


def _aligned(offset: int) -> int:
    return -(-offset // _ALIGN) * _ALIGN


def pack(arrays: list[np.ndarray]) -> bytes:
    """The arrays of a message as one buffer (object arrays are refused)."""
    contiguous = [np.asarray(a, order="C") for a in arrays]
    for a in contiguous:
        if a.dtype.kind not in _PLAIN_KINDS or a.dtype.hasobject:
            raise CodecError(f"an array of dtype {a.dtype} cannot cross the boundary")
    header = json.dumps([[a.dtype.str, list(a.shape)] for a in contiguous]).encode()
    parts: list[bytes | memoryview] = [len(header).to_bytes(8, "little"), header]
    offset = 8 + len(header)
    for a in contiguous:
        start = _aligned(offset)
        # The array's own bytes (a view: join copies them once, tobytes would first copy too).
        parts += [bytes(start - offset), a.reshape(-1).view(np.uint8).data]
        offset = start + a.nbytes
    return b"".join(parts)


def unpack(data: bytes) -> list[np.ndarray]:
    """Writable arrays from `pack`'s bytes; ValueError for anything else."""
    if not data:
        return []
    size = int.from_bytes(data[:8], "little")
    try:
        header = json.loads(data[8 : 8 + size])
        specs = [(np.dtype(str(dtype)), tuple(int(n) for n in shape)) for dtype, shape in header]
    except (TypeError, ValueError) as exc:
        raise CodecError(f"the arrays' header is not [dtype, shape] pairs ({exc})") from exc
    buffer, offset, arrays = bytearray(data), 8 + size, []
    for dtype, shape in specs:
        if dtype.kind not in _PLAIN_KINDS or dtype.hasobject or min(shape, default=0) < 0:
            raise CodecError(f"an array of dtype {dtype} and shape {shape} cannot cross")
        start = _aligned(offset)
        count = int(np.prod(shape, dtype=np.int64))
        if start + count * dtype.itemsize > len(buffer):
            raise CodecError("the arrays' bytes end before the header says")
        arrays.append(np.frombuffer(buffer, dtype, count, start).reshape(shape))
        offset = start + count * dtype.itemsize
    return arrays


def mirror_class(path: str) -> type[Any]:
    """The class named `module:Class`, only from an already imported module of a mirrored
    package."""
    module_name, _, qualname = path.partition(":")
    if module_name.split(".")[0] not in MIRRORED_PACKAGES or "." in qualname:
        raise CodecError(f"{path}: only classes of {', '.join(MIRRORED_PACKAGES)} cross by value")
    module = sys.modules.get(module_name) or importlib.import_module(module_name)
    cls = getattr(module, qualname, None)
    if not isinstance(cls, type) or cls.__module__ != module_name:
        raise CodecError(f"{path}: no such class")
    return cls


def assign(obj: object, name: str, value: object) -> None:
    """Set an attribute, copying into the old array when shape and dtype agree (views stay
    views)."""
    current = vars(obj).get(name)
    if (
        isinstance(current, np.ndarray)
        and isinstance(value, np.ndarray)
        and current.shape == value.shape
        and current.dtype == value.dtype
        and current.flags.writeable
    ):
        if not np.array_equal(current, value, equal_nan=current.dtype.kind in "fc"):
            current[...] = value
    else:
        vars(obj)[name] = value


class Decoder:
    """Turn a JSON tree plus arrays back into values; one Decoder per message.

    Args:
        mirrors: id -> mirrored object at this end; new mirrors are added, known ones updated in
            place.
        handle: tree of a `handle` or `callback` -> the local stand-in (a proxy or a stub).
    """

    def __init__(
        self,
        arrays: list[np.ndarray],
        mirrors: dict[str, object],
        handle: Callable[[dict[str, Any]], object],
    ) -> None:
        self.arrays = arrays
        self.mirrors = mirrors
        self._handle = handle

    def decode(self, tree: Any) -> Any:
        if tree is None or isinstance(tree, (bool, int, float, str)):
            return tree
        if not isinstance(tree, dict) or len(tree) not in (1, 2, 3):
            raise CodecError(f"unexpected value in a message: {type(tree).__name__}")
        if "nd" in tree:
            return self._array(tree["nd"])
        if "np" in tree:
            return self._array(tree["np"])[()]
        if "list" in tree:
            return [self.decode(v) for v in self._items(tree["list"])]
        if "tuple" in tree:
            return tuple(self.decode(v) for v in self._items(tree["tuple"]))
        if "dict" in tree:
            out = {}
            for pair in self._items(tree["dict"]):
                if not (
                    isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], (str, int))
                ):
                    raise CodecError("a dict entry must be [str or int key, value]")
                out[pair[0]] = self.decode(pair[1])
            return out
        if "dtype" in tree or "sctype" in tree:
            name = str(tree.get("dtype", tree.get("sctype")))
            if "sctype" in tree and name in PYTHON_TYPES:
                return PYTHON_TYPES[name]
            try:
                dtype = np.dtype(name)
            except TypeError as exc:
                raise CodecError(f"not a NumPy dtype: {name!r}") from exc
            if dtype.hasobject:
                raise CodecError("object dtypes cannot cross")
            return dtype if "dtype" in tree else dtype.type
        if "ref" in tree:
            if tree["ref"] not in self.mirrors:
                raise CodecError("a reference to an unknown object")
            return self.mirrors[tree["ref"]]
        if "rng" in tree:
            ident = self._ident(tree["rng"])
            rng = self.mirrors.get(ident)
            if not isinstance(rng, np.random.Generator):
                rng = self.mirrors[ident] = np.random.default_rng()
            state = self.decode(tree["state"])
            try:
                rng.bit_generator.state = state
            except (TypeError, ValueError, KeyError) as exc:
                raise CodecError(f"an invalid random generator state: {exc}") from exc
            return rng
        if "obj" in tree:
            ident = self._ident(tree["id"])
            cls = mirror_class(str(tree["obj"]))
            obj: Any = self.mirrors.get(ident)
            if type(obj) is not cls:
                obj = self.mirrors[ident] = cast(Any, cls).__new__(cls)
            if not isinstance(tree.get("state"), dict):
                raise CodecError("an object's state must be a dict")
            for key, value in tree["state"].items():
                assign(obj, str(key), self.decode(value))
            return obj
        if "handle" in tree or "callback" in tree:
            return self._handle(tree)
        raise CodecError(f"unknown tag in a message: {sorted(tree)}")

    def _array(self, index: object) -> np.ndarray:
        if not isinstance(index, int) or not 0 <= index < len(self.arrays):
            raise CodecError("a reference to a missing array")
        return self.arrays[index]

    @staticmethod
    def _items(items: object) -> list[Any]:
        if not isinstance(items, list):
            raise CodecError("a list, tuple or dict must hold a list")
        return items

    @staticmethod
    def _ident(ident: object) -> str:
        if not isinstance(ident, str):
            raise CodecError("an object id must be a string")
        return ident
