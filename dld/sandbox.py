"""The grading sandbox: bubblewrap around each learner's kernel, and limits for the notebook as a
whole.

`Sandbox(folder, limits)` gives the argv prefix a kernel runs under (`dld_check.kernel.Kernel`'s
`launcher`). Inside it the kernel sees:

- the Python installation, the venv, nnlib's and dld_check's source, read-only; /usr and a few
  files of /etc;
- the exchange folder (connection file, IPC sockets, the call files), read-write, and a private
  empty /tmp as its working directory and HOME;
- nothing else: no course folder (masters, tests, .git, the gradebook, other learners, --out),
  no /root, no network (its own network namespace has only a loopback of its own), no other
  process (its own pid namespace), its own IPC and UTS namespaces, no capabilities, a new
  session, and no way to outlive the grader (`--die-with-parent`).

When the kernel stops, bubblewrap's init of that pid namespace ends and the Linux kernel ends
every process left in it, daemons included. As root, a memory cgroup and a pids cgroup (cgroup
v1) bound the memory and the number of processes of the whole notebook; where they cannot be
made, `limits_note` says so and each process gets the memory limit as an rlimit instead.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
_ETC = [
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "fonts",
    "alternatives",
    "mime.types",
    "ssl/certs",
    "nsswitch.conf",
    "host.conf",
    "hosts",
    "passwd",
    "group",
    "matplotlibrc",
]


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot run here; the message says how to install it."""


@dataclass(frozen=True)
class Limits:
    """Limits of one notebook: memory (all its processes together), processes, file size."""

    memory_mb: int = 2048
    processes: int = 64
    file_mb: int = 64


def bwrap() -> str:
    """The bubblewrap executable.

    Raises:
        SandboxUnavailable: not installed.
    """
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, so learners' code cannot be sandboxed: "
            "install it (Debian/Ubuntu: `apt-get install bubblewrap`; `make setup` does it as "
            "root) or grade without a sandbox with --no-sandbox, on a machine you do not mind the "
            "code reading"
        )
    return path


def _kernel_needs() -> list[Path]:
    """What the kernel must see: the Python installation, the venv, nnlib's and dld_check's source.

    dld_check is what learners have too (in the course wheel): the notebooks' self-check cell
    imports it, then does nothing under the grader.
    """
    needs = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    for package in ("nnlib", "dld_check"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            needs |= {Path(location).resolve() for location in spec.submodule_search_locations}
    return sorted(needs)


class _Cgroup:
    """A v1 cgroup of one controller, made under dld/ and removed with every process in it."""

    def __init__(self, controller: str, name: str, settings: dict[str, str]) -> None:
        self.path = CGROUP_ROOT / controller / "dld" / name
        self.path.mkdir(parents=True)
        for key, value in settings.items():
            (self.path / key).write_text(value)

    def pids(self) -> list[int]:
        try:
            return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    def remove(self) -> None:
        for pid in self.pids():
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.02)


class Sandbox:
    """One kernel's sandbox. `launcher` is the argv prefix; call `close()` when the kernel is gone.

    Args:
        folder: the exchange folder (bound read-write at the same path).
        limits: the notebook's limits.

    Raises:
        SandboxUnavailable: no bubblewrap.
    """

    def __init__(self, folder: Path, limits: Limits = Limits()) -> None:
        self.folder = folder
        self.limits = limits
        self.cgroups: list[_Cgroup] = []
        self.limits_note = ""
        name = uuid.uuid4().hex[:12]
        try:
            self.cgroups = [
                _Cgroup("memory", name, {"memory.limit_in_bytes": str(limits.memory_mb * 2**20)}),
                _Cgroup("pids", name, {"pids.max": str(limits.processes)}),
            ]
            memsw = self.cgroups[0].path / "memory.memsw.limit_in_bytes"
            if memsw.exists():
                memsw.write_text(str(limits.memory_mb * 2**20))
        except OSError as exc:
            self.close()
            self.limits_note = (
                f"no memory/pids cgroup could be made ({exc.strerror}): memory is limited per "
                f"process ({limits.memory_mb} MiB each), not for the notebook as a whole"
            )
        self.launcher = self._launcher()

    def _launcher(self) -> list[str]:
        join = "".join(f'echo $$ > "{c.path}/cgroup.procs" && ' for c in self.cgroups)
        if not self.cgroups:
            join += f"ulimit -v {self.limits.memory_mb * 1024} && "
        shell = f'{join}ulimit -f {self.limits.file_mb * 2048} && exec "$@"'
        argv = [
            "/bin/sh",
            "-c",
            shell,
            "dld-sandbox",
            bwrap(),
            "--unshare-all",
            "--uid",
            "65534",
            "--gid",
            "65534",
            "--die-with-parent",
            "--new-session",
            "--cap-drop",
            "ALL",
            "--hostname",
            "grading",
            "--ro-bind",
            "/usr",
            "/usr",
            "--symlink",
            "usr/lib",
            "/lib",
            "--symlink",
            "usr/lib64",
            "/lib64",
            "--symlink",
            "usr/bin",
            "/bin",
            "--symlink",
            "usr/sbin",
            "/sbin",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--tmpfs",
            "/tmp",
            "--dir",
            "/tmp/home",
        ]
        for entry in _ETC:
            argv += ["--ro-bind-try", f"/etc/{entry}", f"/etc/{entry}"]
        for path in _kernel_needs():
            argv += ["--ro-bind", str(path), str(path)]
        argv += [
            "--bind",
            str(self.folder),
            str(self.folder),
            "--chdir",
            "/tmp/home",
            "--clearenv",
            "--setenv",
            "PATH",
            f"{Path(sys.prefix) / 'bin'}:/usr/bin:/bin",
            "--setenv",
            "HOME",
            "/tmp/home",
            "--setenv",
            "IPYTHONDIR",
            "/tmp/home/.ipython",
            "--setenv",
            "MPLCONFIGDIR",
            "/tmp/home/.matplotlib",
            "--setenv",
            "MPLBACKEND",
            "Agg",
            "--setenv",
            "OPENBLAS_NUM_THREADS",
            "1",
            "--setenv",
            "OMP_NUM_THREADS",
            "1",
            "--setenv",
            "PYTHONDONTWRITEBYTECODE",
            "1",
            "--setenv",
            "NBGRADER_EXECUTION",
            "autograde",
            "--setenv",
            "JUPYTER_RUNTIME_DIR",
            str(self.folder),
            "--setenv",
            "JUPYTER_PLATFORM_DIRS",
            "1",
        ]
        return argv

    def processes(self) -> list[int]:
        """Pids still in the notebook's cgroups (empty once everything it started has ended)."""
        return sorted({pid for c in self.cgroups for pid in c.pids()})

    def close(self) -> None:
        """End every process left in the notebook's cgroups and remove them."""
        for cgroup in self.cgroups:
            cgroup.remove()
        self.cgroups = []
