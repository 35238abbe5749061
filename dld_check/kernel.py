"""The learner's kernel seen from the grader: start it (retrying start-up failures), run cells,
send requests to its agent.

The kernel talks over jupyter's IPC transport (sockets in the exchange folder, which a sandbox
binds in), so no TCP port is picked, raced for or reachable from elsewhere. `launcher` is the
command the kernel runs under (e.g. bubblewrap's); empty on a learner's machine.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import zmq
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import KernelManager

from dld_check import agent, codec

START_ATTEMPTS = 3
START_TIMEOUT = 60.0
_BOOT = """import sys as _s, types as _t
_m = _t.ModuleType("__dld_agent__")
exec(compile({codec!r}, "dld_check/codec.py", "exec"), _m.__dict__)
exec(compile({agent!r}, "dld_check/agent.py", "exec"), _m.__dict__)
_s.modules["__dld_agent__"] = _m
__dld_agent__ = _m.Agent({folder!r})
del _s, _t, _m
"""
MAX_MESSAGE_BYTES = 512 * 2**20


class KernelStartError(RuntimeError):
    """The kernel could not be started: not the learner's fault (no learner code has run)."""


class KernelDied(RuntimeError):
    """The kernel stopped while running the learner's code (memory, a crash, os._exit...)."""


class BridgeError(RuntimeError):
    """A call into the kernel got no usable answer; the message says why."""


@dataclass
class CellRun:
    """What running code in the kernel produced."""

    outputs: list[nbformat.NotebookNode] = field(default_factory=list)
    timed_out: bool = False
    error: bool = False


class Kernel:
    """One learner's kernel. Use as a context manager; `start()` is called on entry.

    Args:
        folder: the exchange folder (connection file, IPC sockets, request files); must exist.
        launcher: argv prefix the kernel runs under (a sandbox), or [] to run it directly.
        env: the kernel's environment (None: this process's, minus JPY_PARENT_PID).
    """

    def __init__(
        self,
        folder: Path,
        launcher: list[str] | None = None,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.folder = folder
        self.launcher = launcher or []
        self.env = env
        self.cwd = cwd
        self.seq = 0
        self.starts = 0
        self._km: KernelManager | None = None
        self._kc: Any = None

    def __enter__(self) -> Kernel:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # -- life cycle -----------------------------------------------------------------------
    def start(self) -> None:
        """Start the kernel and its agent, up to START_ATTEMPTS times.

        Raises:
            KernelStartError: every attempt failed (the message holds the last reason).
        """
        reason = ""
        for _ in range(START_ATTEMPTS):
            self.starts += 1
            try:
                self._start_once()
                return
            except (RuntimeError, TimeoutError, OSError, zmq.ZMQError) as exc:
                reason = f"{type(exc).__name__}: {exc}{self._log_tail()}"
                self.shutdown()
        raise KernelStartError(f"the kernel did not start in {START_ATTEMPTS} attempts ({reason})")

    def _start_once(self) -> None:
        argv = [
            *self.launcher,
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--HistoryManager.hist_file=:memory:",
            "--IPKernelApp.log_level=ERROR",
        ]
        env = dict(os.environ if self.env is None else self.env)
        env.pop("JPY_PARENT_PID", None)
        km = KernelManager(
            transport="ipc",
            ip=str(self.folder / "k"),
            connection_file=str(self.folder / "connection.json"),
        )
        km._kernel_spec = KernelSpec(
            argv=argv, env={}, display_name="dld", language="python", interrupt_mode="message"
        )
        self._km = km
        log = open(self.folder / "kernel.log", "ab")  # noqa: SIM115 - the kernel process keeps it
        try:
            km.start_kernel(
                env=env, cwd=str(self.cwd or self.folder), independent=False, stdout=log, stderr=log
            )
        finally:
            log.close()
        kc = km.blocking_client()
        kc.start_channels()
        self._kc = kc
        kc.wait_for_ready(timeout=START_TIMEOUT)
        boot = _BOOT.format(
            codec=Path(codec.__file__).read_text(),
            agent=Path(agent.__file__).read_text(),
            folder=str(self.folder),
        )
        run = self.execute(boot, timeout=START_TIMEOUT, store_history=False)
        if run.error or run.timed_out:
            raise RuntimeError(
                "the course's agent did not start in the kernel: "
                + " ".join(o.get("evalue", "") for o in run.outputs if o.output_type == "error")
            )

    def _log_tail(self) -> str:
        try:
            tail = (self.folder / "kernel.log").read_bytes()[-600:].decode(errors="replace").strip()
        except OSError:
            return ""
        return f"; the kernel's last words: {tail}" if tail else ""

    def alive(self) -> bool:
        return self._km is not None and self._km.is_alive()

    def shutdown(self) -> None:
        """Stop the kernel (and, in a sandbox, every process it started)."""
        if self._kc is not None:
            self._kc.stop_channels()
            self._kc = None
        if self._km is not None:
            try:
                self._km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - already gone
                pass
            self._km.cleanup_resources()
            self._km = None

    def interrupt(self) -> None:
        if self._km is not None:
            self._km.interrupt_kernel()

    # -- running code ---------------------------------------------------------------------
    def execute(
        self,
        code: str,
        timeout: float,
        store_history: bool = True,
        on_input: Callable[[str], str] | None = None,
        silent: bool = False,
    ) -> CellRun:
        """Run `code` in the kernel; collect its outputs until it is idle or `timeout` seconds pass.

        At the time limit the kernel is interrupted (KeyboardInterrupt in the learner's code).

        Raises:
            KernelDied: the kernel stopped before answering.
        """
        kc = self._kc
        if kc is None:
            raise KernelDied("the kernel is not running")
        msg_id = kc.execute(
            code, silent=silent, store_history=store_history, allow_stdin=on_input is not None
        )
        run = CellRun()
        poller = zmq.Poller()
        channels = [kc.iopub_channel, kc.shell_channel, kc.stdin_channel]
        for channel in channels:
            poller.register(channel.socket, zmq.POLLIN)
        deadline = time.monotonic() + timeout
        idle = replied = False
        interrupted_at: float | None = None
        while not (idle and replied):
            now = time.monotonic()
            if now > deadline and interrupted_at is None:
                run.timed_out = True
                self.interrupt()
                interrupted_at = now
            if interrupted_at is not None and now > interrupted_at + 10:
                raise KernelDied("the kernel did not stop when interrupted at the time limit")
            if not dict(poller.poll(200)):
                if not self.alive():
                    raise KernelDied(
                        "the kernel died (memory or process limit "
                        "reached, or the code crashed Python)"
                    )
                continue
            while kc.stdin_channel.msg_ready():
                msg = kc.stdin_channel.get_msg(timeout=0)
                if msg["header"]["msg_type"] == "input_request" and on_input is not None:
                    kc.input(on_input(msg["content"].get("prompt", "")))
            while kc.shell_channel.msg_ready():
                msg = kc.shell_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") == msg_id:
                    replied = True
                    run.error = run.error or msg["content"].get("status") == "error"
            while kc.iopub_channel.msg_ready():
                msg = kc.iopub_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                if kind == "status":
                    idle = idle or msg["content"]["execution_state"] == "idle"
                elif kind == "clear_output":
                    run.outputs.clear()
                elif kind in ("stream", "display_data", "execute_result", "error"):
                    run.outputs.append(nbformat.v4.output_from_msg(msg))
                    run.error = run.error or kind == "error"
        return run

    def request(
        self,
        tree: dict[str, Any],
        arrays: list[Any],
        timeout: float,
        on_callback: Callable[[str], None],
    ) -> tuple[dict[str, Any], list[Any], CellRun]:
        """Send one request to the agent; return its answer (tree, arrays) and the call's outputs.

        Raises:
            BridgeError: no answer, or one that is not plain data in the agreed format.
            KernelDied: the kernel stopped during the call.
        """
        self.seq += 1
        self.write(f"req-{self.seq}", tree, arrays)

        def on_input(prompt: str) -> str:
            if prompt.startswith("dld-callback cb-") and prompt.split()[1][3:].isdigit():
                on_callback(prompt.split()[1])
            return ""

        run = self.execute(
            f"__dld_agent__.serve({self.seq}, globals())",
            timeout,
            store_history=False,
            on_input=on_input,
            silent=False,
        )
        answer, answer_arrays = self.read(f"resp-{self.seq}")
        if answer is None:
            why = (
                "interrupted at the time limit"
                if run.timed_out
                else "the kernel's agent gave no answer"
            )
            raise BridgeError(why)
        return answer, answer_arrays, run

    def read(self, name: str) -> tuple[Any, list[Any]]:
        """A message the agent wrote, removed once read; (None, []) when there is none."""
        path_json, path_npz = self.folder / f"{name}.json", self.folder / f"{name}.npz"
        try:
            tree = json.loads(_read_file(path_json))
            arrays = codec.unpack(_read_file(path_npz))
        except FileNotFoundError:
            return None, []
        except (ValueError, OSError) as exc:
            raise BridgeError(f"the kernel's answer is not plain data ({exc})") from exc
        finally:
            for path in (path_json, path_npz):
                path.unlink(missing_ok=True)
        if not isinstance(tree, dict):
            raise BridgeError("the kernel's answer is not plain data (not an object)")
        return tree, arrays

    def write(self, name: str, tree: Any, arrays: list[Any]) -> None:
        """Write a message for the agent (the .npz first: the agent starts when asked, after
        both)."""
        _write_file(self.folder / f"{name}.npz", codec.pack(arrays))
        _write_file(self.folder / f"{name}.json", json.dumps(tree).encode())


# The kernel can write into the exchange folder: never follow a link it may have planted there.
def _write_file(path: Path, data: bytes) -> None:
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _read_file(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise BridgeError(f"{path.name} is not a plain file") from exc
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise BridgeError(f"{path.name} is not a plain file")
        data = f.read(MAX_MESSAGE_BYTES + 1)
    if len(data) > MAX_MESSAGE_BYTES:
        raise BridgeError(f"the answer is larger than {MAX_MESSAGE_BYTES // 2**20} MB")
    return data
