"""The grading kernel: a Python kernel started under limits, unable to read what it must not.

`install_kernelspec` writes a kernelspec whose argv runs `python -m dld.sandbox ...` (this
module) instead of ipykernel. The launcher, still in the grader's identity, then:

1. sets rlimits: address space (`--memory-mb`), CPU seconds (`--cpu-seconds`, the overall
   limit of a notebook, on top of nbgrader's per-cell `Execute.timeout`), file size;
2. when run as root: enters a new mount namespace and mounts empty tmpfs over every
   `--hide` path (the grading output with the gradebook and other learners' notebooks, the
   submissions folder, the masters and tests), then over /tmp and /dev/shm, so the kernel
   gets a private, empty /tmp as its working directory;
3. when run as root: drops to a uid of its own (100000 + pid, no home, no groups, gid
   nogroup) with a process limit, so it cannot read root's files, ptrace or signal the
   grader, or reach another kernel's private /tmp (and its connection key);
4. copies the connection file into the working directory and execs ipykernel (same pid,
   so nbclient's interrupts and shutdowns reach the kernel) with its console output sent to
   /dev/null (cell outputs travel over the kernel protocol).

Where the mount namespace cannot be made (a container without CAP_SYS_ADMIN), steps 2 and 3
are skipped with a warning on the kernel's stderr (the separate user needs the namespace to
reach a Python installed under /root): only the rlimits apply, as without root.

Not enforced: network access (the kernel talks to nbclient over localhost TCP), reading
world-readable files outside the hidden paths (the venv, nnlib, the book), and, without
root, everything but the rlimits (the kernel then runs as the grader's user).
"""
from __future__ import annotations

import argparse
import ctypes
import importlib.util
import json
import os
import resource
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

KERNEL_NAME = "dld-grading"
NOGROUP_GID = 65534
UID_BASE = 100000
_CLONE_NEWNS = 0x00020000
_MS_NOSUID, _MS_NODEV, _MS_BIND, _MS_REC, _MS_PRIVATE = 0x2, 0x4, 0x1000, 0x4000, 0x40000


@dataclass(frozen=True)
class Limits:
    """Per-notebook limits of a grading kernel."""

    memory_mb: int = 2048
    cpu_seconds: int = 600
    processes: int = 64


def install_kernelspec(jupyter_dir: Path, limits: Limits, hide: list[Path], scratch: Path) -> None:
    """Write `jupyter_dir/kernels/dld-grading/kernel.json`; put `jupyter_dir` on JUPYTER_PATH."""
    spec_dir = jupyter_dir / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "dld.sandbox", f"--memory-mb={limits.memory_mb}", f"--cpu-seconds={limits.cpu_seconds}",
            f"--processes={limits.processes}", f"--scratch={scratch}", *(f"--hide={p}" for p in hide), "{connection_file}"]
    spec = {"argv": argv, "display_name": "Python 3 (dld grading sandbox)", "language": "python", "interrupt_mode": "signal"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(jupyter_dir), *filter(None, [os.environ.get("JUPYTER_PATH")])])


def _libc_call(name: str, *args: object) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if getattr(libc, name)(*args) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{name}{args}: {os.strerror(errno)}")


def _mount_tmpfs(path: str, options: str) -> None:
    _libc_call("mount", b"tmpfs", path.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, options.encode())


def _closed_ancestor(path: Path) -> Path | None:
    """The highest ancestor of `path` that other users cannot traverse (no o+x), if any."""
    for ancestor in reversed(path.parents):
        if not ancestor.stat().st_mode & 0o001:
            return ancestor
    return None


def _isolate_filesystem(hide: list[str], expose: list[Path]) -> Path:
    """In a new mount namespace: empty tmpfs over each hidden path and a private /tmp; returns the workdir.

    `expose` are the paths the kernel needs (the Python installation, the venv, nnlib). Some
    sit under something that gets covered: /tmp (a course cloned there), or a directory closed
    to other users (/root, for pyenv), which is covered by an empty tmpfs too. Each is opened
    before the covers go on and bind-mounted back from its open descriptor afterwards, so the
    kernel sees those paths and nothing else around them.

    The caller has entered the new namespace (`unshare(CLONE_NEWNS)`); mounts stay inside it.
    """
    _libc_call("mount", b"none", b"/", None, _MS_REC | _MS_PRIVATE, None)
    handles = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in expose if path.is_dir()}
    closed = {a for path in handles if (a := _closed_ancestor(path)) is not None}
    for path in hide:
        if os.path.exists(path):
            _mount_tmpfs(path, "size=16k,mode=0000")
    _mount_tmpfs("/tmp", "size=256m,mode=1777")
    _mount_tmpfs("/dev/shm", "size=64m,mode=1777")
    for ancestor in closed:
        _mount_tmpfs(str(ancestor), "size=16k,mode=0755")
    for path, handle in handles.items():
        path.mkdir(mode=0o755, parents=True, exist_ok=True)
        _libc_call("mount", f"/proc/self/fd/{handle}".encode(), str(path).encode(), None, _MS_BIND | _MS_REC, None)
        os.close(handle)
    return Path("/tmp/kernel")


def _kernel_needs() -> list[Path]:
    """What the kernel must see: the Python installation, the venv, and nnlib's source."""
    needs = [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()]
    spec = importlib.util.find_spec("nnlib")
    if spec is not None and spec.submodule_search_locations:
        needs += [Path(location).resolve() for location in spec.submodule_search_locations]
    return needs


def _set_limits(args: argparse.Namespace) -> None:
    memory = args.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (args.cpu_seconds, args.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 2**20, 64 * 2**20))


def main(argv: list[str] | None = None) -> None:
    """Launch ipykernel inside the sandbox; extra arguments are passed to the kernel."""
    parser = argparse.ArgumentParser(prog="python -m dld.sandbox")
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--processes", type=int, required=True)
    parser.add_argument("--scratch", required=True, help="parent of the working directory when not root")
    parser.add_argument("--hide", action="append", default=[])
    parser.add_argument("connection_file")
    args, kernel_args = parser.parse_known_args(argv)
    connection = Path(args.connection_file).read_bytes()
    uid = UID_BASE + os.getpid()
    workdir = None
    if os.geteuid() == 0:
        try:
            _libc_call("unshare", _CLONE_NEWNS)
        except OSError as exc:  # e.g. a container without CAP_SYS_ADMIN
            print(f"dld.sandbox: cannot isolate the kernel ({exc}); grading with resource limits only", file=sys.stderr)
        else:
            workdir = _isolate_filesystem(args.hide, _kernel_needs())
            workdir.mkdir(mode=0o700)
            os.chown(workdir, uid, NOGROUP_GID)
    isolated = workdir is not None
    if workdir is None:
        workdir = Path(tempfile.mkdtemp(dir=args.scratch))
    connection_file = workdir / "connection.json"
    connection_file.write_bytes(connection)
    if isolated:
        os.chown(connection_file, uid, NOGROUP_GID)
    connection_file.chmod(0o600)
    _set_limits(args)
    os.chdir(workdir)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": str(workdir), "MPLCONFIGDIR": str(workdir / ".matplotlib"),
           "IPYTHONDIR": str(workdir / ".ipython"), "JUPYTER_RUNTIME_DIR": str(workdir), "MPLBACKEND": "Agg",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "NBGRADER_EXECUTION": "autograde"}
    if isolated:
        os.setgroups([])
        os.setgid(NOGROUP_GID)
        resource.setrlimit(resource.RLIMIT_NPROC, (args.processes, args.processes))
        os.setuid(uid)
    os.execve(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection_file), *kernel_args], env)


if __name__ == "__main__":
    main()
