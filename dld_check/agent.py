"""The agent inside the learner's kernel: runs one request of the grader's and writes the answer.

The grader sends this file's source (after `codec`'s) into the kernel at start-up; nothing here
is trusted by the grader. It only defines answers: whatever it writes back is parsed as plain
data by `dld_check.kernel`, and a learner who replaces it can only make their own calls fail.

A request `req-<seq>.json` (+ `.npz`) in the exchange folder asks to call something of the kernel
(a global of the learner's, or an object behind a handle) or to read an attribute; the answer is
`resp-<seq>.json` (+ `.npz`): the value, the state of every mirrored object, the arrays and lists
passed in (to bring in-place changes back), the warnings raised, or the exception.
"""

from __future__ import annotations

import builtins
import json
import os
import time
import traceback
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

# `Encoder`, `Decoder`, `pack`, `unpack`, `is_mirrored` come from codec's source, run first in this
# namespace; the import is for the type checker only.
if TYPE_CHECKING:
    from dld_check.codec import Decoder, Encoder, is_mirrored, pack, unpack  # noqa: F401


def _unchanged(value: object, original: np.ndarray | None) -> bool:
    """Whether an array argument is still what it was when it arrived (same dtype, shape, values,
    NaNs in the same places)."""
    return (
        isinstance(value, np.ndarray)
        and original is not None
        and value.dtype == original.dtype
        and value.shape == original.shape
        and bool(np.array_equal(value, original, equal_nan=value.dtype.kind in "fc"))
    )


class Agent:
    """Handles, mirrors and callbacks of one kernel; `serve(seq)` answers one request."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.handles: dict[int, object] = {}
        self.handle_ids: dict[int, int] = {}
        self.mirrors: dict[str, object] = {}
        self.mirror_ids: dict[int, str] = {}
        self.callback_seq = 0
        self.arguments: list[object] = []
        self.originals: list[np.ndarray | None] = []  # the array arguments as the grader has them

    # -- encoding -------------------------------------------------------------------------
    def _mirror_id(self, obj: object) -> str:
        ident = self.mirror_ids.get(id(obj))
        if ident is None:
            ident = f"k{len(self.mirror_ids)}"
            self.mirror_ids[id(obj)] = ident
            self.mirrors[ident] = obj
        return ident

    def _handle(self, obj: object) -> dict[str, Any]:
        number = self.handle_ids.get(id(obj))
        if number is None:
            number = len(self.handles)
            self.handles[number] = obj
            self.handle_ids[id(obj)] = number
        return {"handle": number, "type": type(obj).__name__}

    def encoder(self) -> Encoder:  # noqa: F821
        return Encoder(self._mirror_id, self._handle)  # noqa: F821

    def decoder(self, arrays: list[np.ndarray]) -> Decoder:  # noqa: F821
        return Decoder(arrays, self.mirrors, self._stand_in)  # noqa: F821

    def _stand_in(self, tree: dict[str, Any]) -> object:
        if "handle" in tree:
            return self.handles[tree["handle"]]
        number = tree["callback"]

        def callback(*args: object, **kwargs: object) -> object:
            return self._call_back(number, args, kwargs)

        return callback

    def _remember(self) -> None:
        """Register the mirror ids of objects decoded from the grader (they keep the grader's
        ids)."""
        for ident, mirror in self.mirrors.items():
            self.mirror_ids.setdefault(id(mirror), ident)

    # -- files ----------------------------------------------------------------------------
    def _write(self, name: str, tree: Any, arrays: list[np.ndarray]) -> None:
        path = os.path.join(self.folder, name)
        with open(path + ".npz.part", "wb") as f:
            f.write(pack(arrays))  # noqa: F821
        os.replace(path + ".npz.part", path + ".npz")
        with open(path + ".json.part", "w") as f:
            json.dump(tree, f)
        os.replace(path + ".json.part", path + ".json")

    def _read(self, name: str) -> tuple[Any, list[np.ndarray]]:
        path = os.path.join(self.folder, name)
        with open(path + ".json") as f:
            tree = json.load(f)
        with open(path + ".npz", "rb") as f:
            arrays = unpack(f.read())  # noqa: F821
        os.remove(path + ".json")
        os.remove(path + ".npz")
        return tree, arrays

    def _writeback(self, encoder: Encoder) -> list[Any]:  # noqa: F821
        """The arrays and lists passed in that changed since the grader last saw them, as they are
        now (the grader copies in-place changes); None for the others."""
        back: list[Any] = []
        for i, (a, seen) in enumerate(zip(self.arguments, self.originals)):
            if not isinstance(a, (np.ndarray, list)) or _unchanged(a, seen):
                back.append(None)
                continue
            back.append(encoder.encode(a))
            if isinstance(a, np.ndarray):
                self.originals[i] = a.copy()
        return back

    # -- callbacks into the grader --------------------------------------------------------
    def _call_back(
        self, number: int, args: tuple[object, ...], kwargs: dict[str, object]
    ) -> object:
        self.callback_seq += 1
        name = f"cb-{self.callback_seq}"
        encoder = self.encoder()
        mirrors = [encoder.encode(m) for m in list(self.mirrors.values())]
        tree = {
            "mirrors": mirrors,
            "writeback": self._writeback(encoder),
            "callback": number,
            "args": encoder.encode(list(args)),
            "kwargs": encoder.encode(kwargs),
        }
        self._write(name, tree, encoder.arrays)
        builtins.input(f"dld-callback {name}")
        reply, arrays = self._read(f"re-{name}")
        decoder = self.decoder(arrays)
        if not reply.get("ok"):
            raise RuntimeError(f"the grader's function raised {reply.get('error', 'an error')}")
        for mirror in reply.get("mirrors", []):
            decoder.decode(mirror)
        self._remember()
        return decoder.decode(reply["value"])

    # -- one request ----------------------------------------------------------------------
    def serve(self, seq: int, namespace: dict[str, Any]) -> None:
        """Answer request `seq`; `namespace` is the learner's globals."""
        request, arrays = self._read(f"req-{seq}")
        caught: list[warnings.WarningMessage] = []
        started = time.perf_counter()
        try:
            decoder = self.decoder(arrays)
            target = request["target"]
            if "global" in target:
                if target["global"] not in namespace:
                    raise NameError(
                        f"name {target['global']!r} is not defined: run the cell that defines it"
                    )
                obj = namespace[target["global"]]
            else:
                obj = decoder.decode(target)
            args = decoder.decode(request.get("args", {"list": []}))
            kwargs = decoder.decode(request.get("kwargs", {"dict": []}))
            self.arguments = args
            self.originals = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
            self._remember()
            with (
                warnings.catch_warnings(record=True) as caught,
                np.errstate(**request.get("errstate", {})),
            ):
                warnings.simplefilter("always")
                op = request["op"]
                if op == "getattr":
                    value = getattr(obj, request["name"])
                elif op == "setattr":
                    setattr(obj, request["name"], args[0])
                    value = None
                elif op == "builtin":
                    calls: dict[str, Callable[..., Any]] = {
                        "len": len,
                        "repr": repr,
                        "str": str,
                        "list": list,
                        "bool": bool,
                        "getitem": lambda o, k: o[k],
                    }
                    value = calls[request["name"]](obj, *args)
                else:
                    function = getattr(obj, request["name"]) if request.get("name") else obj
                    value = function(*args, **kwargs)
            seconds = time.perf_counter() - started
            # Mirrors first: the grader decodes them first, so later refs resolve.
            encoder = self.encoder()
            mirrors = [encoder.encode(m) for m in list(self.mirrors.values())]
            answer = {
                "ok": True,
                "mirrors": mirrors,
                "writeback": self._writeback(encoder),
                "value": encoder.encode(value),
                "seconds": seconds,
            }
        except BaseException as exc:  # noqa: B036 - KeyboardInterrupt (the time limit) is reported too
            encoder = self.encoder()
            lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
            answer = {
                "ok": False,
                "error": {
                    "type": type(exc).__name__,
                    "module": type(exc).__module__,
                    "message": str(exc),
                    "traceback": "".join(lines[-12:])[-4000:],
                },
                "mirrors": [],
                "writeback": [],
            }
            try:
                answer["mirrors"] = [encoder.encode(m) for m in list(self.mirrors.values())]
            except Exception:  # noqa: BLE001 - the error is what matters
                encoder = self.encoder()
        answer["warnings"] = [[w.category.__name__, str(w.message)] for w in caught][:50]
        self._write(f"resp-{seq}", answer, encoder.arrays)
