"""The learner's functions and objects as proxies in the grader's process.

`Bridge(kernel)` keeps the grader's side of the boundary: mirrored objects, callbacks, and the
proxies a test cell calls. `bridge.name("sigmoid")` is a proxy for the learner's global;
calling it sends the arguments to the kernel's agent and decodes the answer as plain data.
Exceptions of the learner's code come back as the same builtin exception type, warnings are
re-emitted here, and prints are kept for the test cell's output.
"""

from __future__ import annotations

import builtins
import traceback
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from dld_check.codec import CodecError, Decoder, Encoder
from dld_check.kernel import BridgeError, Kernel

_EXCEPTIONS = {
    name: obj
    for name, obj in vars(builtins).items()
    if isinstance(obj, type) and issubclass(obj, Exception)
}
_WARNINGS = {name: obj for name, obj in _EXCEPTIONS.items() if issubclass(obj, Warning)}


class LearnerError(Exception):
    """An exception of a type the grader does not know, raised by the learner's code."""


class Bridge:
    """Calls into one kernel from the grader's tests.

    Args:
        kernel: a started `Kernel`.
        timeout: seconds a single call may take (the cell's remaining time is passed per call).
    """

    def __init__(self, kernel: Kernel, timeout: float = 120.0) -> None:
        self.kernel = kernel
        self.timeout = timeout
        self.mirrors: dict[str, object] = {}
        self._mirror_ids: dict[int, str] = {}
        self._callbacks: dict[int, Callable[..., Any]] = {}
        self.printed: list[str] = []
        self.in_callback = False
        self.arguments: tuple[object, ...] = ()

    # -- encoding -------------------------------------------------------------------------
    def _mirror_id(self, obj: object) -> str:
        ident = self._mirror_ids.get(id(obj))
        if ident is None:
            ident = f"g{len(self._mirror_ids)}"
            self._mirror_ids[id(obj)] = ident
            self.mirrors[ident] = obj
        return ident

    def _other(self, obj: object) -> dict[str, Any]:
        if isinstance(obj, RemoteObject) and obj._bridge is self:
            return {"handle": obj._handle, "type": obj._type}
        if callable(obj):
            number = len(self._callbacks)
            self._callbacks[number] = obj
            return {"callback": number}
        raise CodecError(f"a {type(obj).__name__} cannot be sent to the learner's code")

    def _stand_in(self, tree: dict[str, Any]) -> object:
        if "callback" in tree:
            raise CodecError("the kernel sent back a callback")
        number, kind = tree["handle"], tree.get("type", "object")
        if not isinstance(number, int) or not isinstance(kind, str):
            raise CodecError("a handle must be a number and a type name")
        return RemoteObject(self, number, kind[:100])

    def encoder(self) -> Encoder:
        return Encoder(self._mirror_id, self._other)

    def decoder(self, arrays: list[np.ndarray]) -> Decoder:
        return Decoder(arrays, self.mirrors, self._stand_in)

    def _adopt(self) -> None:
        for ident, obj in self.mirrors.items():
            self._mirror_ids.setdefault(id(obj), ident)

    # -- calls ------------------------------------------------------------------------------
    def call(
        self,
        target: dict[str, Any],
        op: str = "call",
        name: str | None = None,
        args: tuple[object, ...] = (),
        kwargs: dict[str, object] | None = None,
    ) -> Any:
        """Run one operation in the kernel and return its decoded value (or raise its exception)."""
        if self.in_callback:
            raise BridgeError(
                "the learner's code cannot be called from inside a function it was given"
            )
        encoder = self.encoder()
        tree = {
            "op": op,
            "name": name,
            "target": target,
            "args": encoder.encode(list(args)),
            "kwargs": encoder.encode(dict(kwargs or {})),
            "errstate": np.geterr(),
        }
        self.arguments = args
        answer, arrays, run = self.kernel.request(
            tree, encoder.arrays, self.timeout, self._serve_callback
        )
        for output in run.outputs:
            if output.output_type == "stream":
                self.printed.append(output.text)
        try:
            decoder = self.decoder(arrays)
            for mirror in answer.get("mirrors", []):
                decoder.decode(mirror)
            self._adopt()
            for category, message in answer.get("warnings", [])[:50]:
                warnings.warn(str(message), _WARNINGS.get(str(category), UserWarning), stacklevel=3)
            if not answer.get("ok"):
                raise self._exception(answer.get("error"))
            for original, back in zip(args, answer.get("writeback", [])):
                if back is not None:
                    _write_back(original, decoder.decode(back))
            return decoder.decode(answer.get("value"))
        except (CodecError, KeyError, TypeError, AttributeError) as exc:
            if isinstance(exc, TypeError) and answer.get("ok") is False:
                raise
            raise BridgeError(
                f"the learner's code answered with something that is not plain data ({exc})"
            ) from exc

    def _exception(self, error: object) -> BaseException:
        if not isinstance(error, dict):
            return BridgeError("the kernel reported an error without details")
        kind, message = str(error.get("type", "Exception")), str(error.get("message", ""))
        if kind == "KeyboardInterrupt":
            return TimeoutError(
                "interrupted at the time limit (an infinite loop, or far too slow?)"
            )
        module = str(error.get("module", ""))
        cls = _EXCEPTIONS.get(kind) if module == "builtins" else None
        exc = cls(message) if cls is not None else LearnerError(f"{kind}: {message}")
        exc.learner_traceback = str(error.get("traceback", ""))[-4000:]  # type: ignore[attr-defined]
        return exc

    def _serve_callback(self, name: str) -> None:
        """Run the grader's function the kernel asked for and write the answer it waits for."""
        tree, arrays = self.kernel.read(name)
        encoder = self.encoder()
        try:
            if tree is None:
                raise BridgeError("a callback request went missing")
            decoder = self.decoder(arrays)
            for mirror in tree.get("mirrors", []):
                decoder.decode(mirror)
            self._adopt()
            for original, back in zip(self.arguments, tree.get("writeback", [])):
                if back is not None:
                    _write_back(original, decoder.decode(back))
            function = self._callbacks[int(tree["callback"])]
            args, kwargs = decoder.decode(tree["args"]), decoder.decode(tree["kwargs"])
            self.in_callback = True
            try:
                value = function(*args, **kwargs)
            finally:
                self.in_callback = False
            mirrors = [encoder.encode(m) for m in list(self.mirrors.values())]
            reply = {"ok": True, "mirrors": mirrors, "value": encoder.encode(value)}
        except Exception as exc:  # noqa: BLE001 - the learner's code sees a RuntimeError
            encoder = self.encoder()
            reply = {
                "ok": False,
                "error": "".join(traceback.format_exception_only(type(exc), exc)).strip()[-500:],
            }
        self.kernel.write(f"re-{name}", reply, encoder.arrays)

    def name(self, global_name: str) -> RemoteName:
        return RemoteName(self, global_name)


def _write_back(original: object, back: object) -> None:
    """Bring the kernel's in-place changes of an argument into the grader's object."""
    if isinstance(original, np.ndarray) and isinstance(back, np.ndarray):
        if (
            original.shape == back.shape
            and original.flags.writeable
            and not np.array_equal(original, back, equal_nan=True)
        ):
            original[...] = back
    elif isinstance(original, list) and isinstance(back, list):
        if len(original) == len(back):
            for i, (old, new) in enumerate(zip(original, back)):
                if (
                    isinstance(old, np.ndarray)
                    and isinstance(new, np.ndarray)
                    and old.shape == new.shape
                    and old.dtype == new.dtype
                ):
                    _write_back(old, new)
                elif old is not new:
                    original[i] = new
        else:
            original[:] = back


class RemoteObject:
    """An object that lives in the learner's kernel: attribute reads, calls and items go there."""

    def __init__(self, bridge: Bridge, handle: int, kind: str) -> None:
        object.__setattr__(self, "_bridge", bridge)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_type", kind)

    def _target(self) -> dict[str, Any]:
        return {"handle": self._handle, "type": self._type}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._bridge.call(self._target(), "getattr", name)

    def __setattr__(self, name: str, value: object) -> None:
        self._bridge.call(self._target(), "setattr", name, (value,))

    def __call__(self, *args: object, **kwargs: object) -> Any:
        return self._bridge.call(self._target(), "call", None, args, kwargs)

    def __len__(self) -> int:
        return int(self._bridge.call(self._target(), "builtin", "len"))

    def __getitem__(self, key: object) -> Any:
        return self._bridge.call(self._target(), "builtin", "getitem", (key,))

    def __iter__(self) -> Any:
        return iter(self._bridge.call(self._target(), "builtin", "list"))

    def __repr__(self) -> str:
        return str(self._bridge.call(self._target(), "builtin", "repr"))

    def __str__(self) -> str:
        return str(self._bridge.call(self._target(), "builtin", "str"))


class RemoteName(RemoteObject):
    """The learner's global `name` (looked up in the kernel at each use)."""

    def __init__(self, bridge: Bridge, name: str) -> None:
        super().__init__(bridge, -1, "global")
        object.__setattr__(self, "_name", name)

    def _target(self) -> dict[str, Any]:
        return {"global": self._name}
