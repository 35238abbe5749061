"""Hostile learners: one real `dld grade` run of chapter 2 with an attack bank beside honest
learners.

Each attack is a learner's submission built from the real release. The grader must give every
attacked exercise 0 (or an error row with a reason), honest learners their exact scores, leak
nothing secret into any output or feedback page, leave the masters and the other submissions
unchanged, and leave no process of a kernel running after its notebook.
"""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
from pathlib import Path

import nbformat
import pytest
from fixtures.learners import solutions, submission

from dld.grade import grade
from dld.paths import ROOT, SOLUTIONS, master_path
from dld.release import render_releases
from dld.report import GRADED, Row
from dld.sandbox import Limits

pytestmark = pytest.mark.slow
CHAPTER = "02_neurons"
POINTS = {
    "sigmoid": 2,
    "relu": 1,
    "sigmoid_derivative": 2,
    "relu_derivative": 1,
    "softmax": 3,
    "neuron_forward": 2,
    "neuron_predict": 2,
}
DAEMON_MARK = "31415926"
WRONG_SIGMOID = "def sigmoid(z):\n    return 0.5 + 0 * z\n"


def _hidden_lines() -> list[str]:
    """Distinctive lines of the chapter's hidden tests (they must appear nowhere)."""
    text = master_path(CHAPTER).read_text()
    lines = []
    for block in text.split("### BEGIN HIDDEN TESTS")[1:]:
        lines += [
            line.strip()
            for line in block.split("### END HIDDEN TESTS")[0].splitlines()
            if len(line.strip()) > 30
        ]
    return lines


def _attacks(port: int) -> dict[str, dict[str, str]]:
    """learner -> {exercise: answer source}; each attack plants itself in the sigmoid cell."""
    return {
        # full marks with stubs: later cells turned into `pass` inside the kernel
        "transformer": {
            "sigmoid": "get_ipython().input_transformers_cleanup.append(lambda lines: "
            "['pass\\n'])\n"
        },
        # the kernel claims every cell succeeded
        "lying_kernel": {
            "sigmoid": "k = get_ipython().kernel\n"
            "k.do_execute = lambda *a, **kw: {'status': 'ok', 'execution_count': 1,"
            " 'user_expressions': {}, 'payload': []}\n"
        },
        # patching what tests call, then a wrong answer
        "patch_numpy": {
            "sigmoid": "np.testing.assert_allclose = lambda *a, **k: None\n"
            "np.isclose = lambda *a, **k: True\n"
            "np.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\n"
            + WRONG_SIGMOID
        },
        "patch_abs": {"sigmoid": "import builtins\nbuiltins.abs = lambda x: 0\n" + WRONG_SIGMOID},
        "displayhook": {
            "sigmoid": "import sys\nsys.displayhook = lambda v: print(1.0)\n" + WRONG_SIGMOID
        },
        # objects that lie
        "lying_array": {
            "sigmoid": "class Yes(np.ndarray):\n"
            "    def __eq__(self, o): return np.ones(np.shape(self), bool)\n"
            "    def __array_ufunc__(self, *a, **k): return True\n"
            "def sigmoid(z):\n    return np.zeros(np.shape(z)).view(Yes)\n"
        },
        "lying_int": {
            "sigmoid": "class Yes(float):\n    def __eq__(self, o): return True\n"
            "    def __lt__(self, o): return True\n"
            "def sigmoid(z):\n    return Yes(0.5)\n"
        },
        # a forged agent that answers 0.5 to everything
        "forged_agent": {
            "sigmoid": "import json, os\n"
            "def serve(seq, ns):\n    d = __dld_agent__.folder\n"
            "    open(os.path.join(d, f'resp-{seq}.npz'), 'wb').write(b'')\n"
            "    json.dump({'ok': True, 'value': 0.5, 'mirrors': [], 'writeback': []}, "
            "open(os.path.join(d, f'resp-{seq}.json'), 'w'))\n"
            "__dld_agent__.serve = serve\n" + WRONG_SIGMOID
        },
        # leaking the hidden tests through kernel hooks, the repository and its git history
        "hooks": {
            "sigmoid": "get_ipython().events.register('pre_run_cell', lambda info: "
            "print(info.raw_cell))\n"
            "print(get_ipython().history_manager.input_hist_raw)\n" + WRONG_SIGMOID
        },
        "git_history": {
            "sigmoid": "import subprocess\n"
            f"for cmd in (['git', '-C', {str(ROOT)!r}, 'show', 'HEAD:solutions/{CHAPTER}.md'], "
            f"['cat', {str(SOLUTIONS / (CHAPTER + '.md'))!r}]):\n"
            "    r = subprocess.run(cmd, capture_output=True, text=True)\n"
            "    print(r.stdout[:100000])\n" + WRONG_SIGMOID
        },
        # other kernels, the network, processes that outlive the notebook
        "proc_snoop": {
            "sigmoid": "import os\n"
            "found = [p for p in os.listdir('/proc') if p.isdigit() and p != "
            "str(os.getpid()) and "
            "open(f'/proc/{p}/cmdline').read().split(chr(0))[0].endswith('python')]\n"
            "print('KERNELS SEEN', len(found))\n" + WRONG_SIGMOID
        },
        "network": {
            "sigmoid": "import socket\ntry:\n"
            f"    socket.create_connection(('127.0.0.1', {port}), "
            "timeout=2).sendall(b'leak')\n"
            "except OSError as e:\n    print('no network', e)\n" + WRONG_SIGMOID
        },
        "daemon": {
            "sigmoid": "import os, subprocess\nif os.fork() == 0:\n    os.setsid()\n"
            "    if os.fork() == 0:\n"
            f"        subprocess.Popen(['sleep', '{DAEMON_MARK}'])\n    os._exit(0)\n"
            + WRONG_SIGMOID
        },
        # limits of the notebook as a whole
        "fork_memory": {
            "sigmoid": "import os, time\nfor _ in range(4):\n    if os.fork() == 0:\n"
            "        b = bytearray(300 * 2**20)\n"
            "        for i in range(0, len(b), 4096): b[i] = 1\n        time.sleep(60)\n"
            "        os._exit(0)\n"
            "time.sleep(20)\n" + WRONG_SIGMOID
        },
        "slow_cells": {
            ex: f"import time\ntime.sleep(8)\n{source}"
            for ex, source in solutions(master_path(CHAPTER)).items()
        },
        "output_flood": {
            "sigmoid": "for _ in range(200):\n    print('x' * 1_000_000)\n" + WRONG_SIGMOID
        },
        "script": {
            "sigmoid": "from IPython.display import HTML, display\n"
            "display(HTML('<script>alert(\"pwned\")</script>'))\n" + WRONG_SIGMOID
        },
        # the library's own version of the exercise
        "reference_call": {"sigmoid": "def sigmoid(z):\n    return reference.sigmoid(z)\n"},
        "reference_import": {
            "sigmoid": "from nnlib.activations import sigmoid as s\n\ndef sigmoid(z):\n"
            "    return s(z)\n"
        },
    }


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def attacked(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, Row], Path, socket.socket, dict[str, str], dict[str, str]]:
    master = master_path(CHAPTER)
    release = nbformat.reads(render_releases({CHAPTER: master})[CHAPTER].decode(), as_version=4)
    answers = solutions(master)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    folder = tmp_path_factory.mktemp("attack_class")
    learners = {
        name: submission(release, {**answers, **attack})
        for name, attack in _attacks(listener.getsockname()[1]).items()
    }
    learners["honest"] = submission(release, answers)
    learners["partial"] = submission(release, {ex: answers[ex] for ex in ("relu", "softmax")})
    learners["blank"] = submission(release, {})
    for name, content in learners.items():
        (folder / f"{name}.ipynb").write_text(content)
    (folder / "renamed (1).ipynb").write_text(learners["honest"])
    before = {**_digest(SOLUTIONS), **_digest(folder)}
    out = tmp_path_factory.mktemp("attack_out")
    rows = grade(
        folder,
        out,
        CHAPTER,
        masters={CHAPTER: master},
        timeout=10,
        notebook_timeout=30,
        limits=Limits(memory_mb=768, processes=32),
        progress=False,
    )
    after = {**_digest(SOLUTIONS), **_digest(folder)}
    return {r.learner: r for r in rows}, out, listener, before, after


def _auto(row: Row) -> dict[str, float | None]:
    return {ex: score for ex, score in row.scores.items() if ex in POINTS}


def test_honest_learners_get_their_exact_scores(attacked) -> None:
    rows = {
        learner: Row(r.learner, r.chapter, r.status, _auto(r), r.note)
        for learner, r in attacked[0].items()
    }
    assert rows["honest"].scores == POINTS and rows["honest"].status == GRADED
    assert rows["partial"].scores == {
        ex: (p if ex in ("relu", "softmax") else 0) for ex, p in POINTS.items()
    }
    assert rows["blank"].total == 0
    assert (
        rows["renamed"].scores == POINTS
        and "graded renamed (1).ipynb as renamed.ipynb" in rows["renamed"].note
    )


@pytest.mark.parametrize("learner", sorted(_attacks(0)))
def test_every_attack_is_stopped(attacked, learner: str) -> None:
    row = attacked[0][learner]
    if learner == "slow_cells":
        assert row.total < sum(POINTS.values()) and "time limit" in row.note, (row.scores, row.note)
    elif learner in ("transformer", "lying_kernel"):
        assert row.status != GRADED or row.total == 0, row.scores
    else:
        assert row.status != GRADED or row.scores["sigmoid"] == 0, (learner, row.scores, row.note)


def test_nothing_secret_leaks_into_outputs_or_feedback(attacked) -> None:
    rows, out = attacked[0], attacked[1]
    hidden = _hidden_lines()
    assert hidden
    for learner in rows:
        for path in [
            out / "feedback" / learner / f"{CHAPTER}.html",
            out / "course" / "autograded" / learner / CHAPTER / "exercises.ipynb",
        ]:
            if not path.exists():
                continue
            text = path.read_text()
            if (
                path.suffix == ".ipynb"
            ):  # the test cells there carry the hidden source by design: look only at outputs
                text = json.dumps([c.get("outputs", []) for c in json.loads(text)["cells"]])
            leaked = [line for line in hidden if line in text]
            assert not leaked, f"{learner}: {path.name} shows hidden tests: {leaked[:2]}"
            if path.suffix == ".ipynb" and learner == "proc_snoop":
                assert "KERNELS SEEN 0" in text, f"{learner} saw another kernel"
            assert "<script>alert" not in text or path.suffix == ".ipynb", (
                f"{learner}: learner script in the feedback page"
            )
            assert path.stat().st_size < 4 * 2**20, (
                f"{learner}: {path.name} is {path.stat().st_size} bytes"
            )


def test_no_network_no_survivors_nothing_changed(attacked) -> None:
    _, _, listener, before, after = attacked
    with pytest.raises(BlockingIOError):
        listener.accept()
    survivors = subprocess.run(
        ["pgrep", "-f", f"sleep {DAEMON_MARK}"], capture_output=True, text=True
    ).stdout.split()
    assert not survivors, f"processes of a kernel outlived its notebook: {survivors}"
    assert before == after, "grading changed the masters or a submission"
