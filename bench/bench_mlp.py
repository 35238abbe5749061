"""Speed benchmark: nnlib vs scikit-learn's MLPClassifier on the same MLPs, same data, same budget.

Both libraries train the same architecture (ReLU hidden layers, softmax output, Glorot-uniform
weights), with Adam (lr 1e-3), the same batch size and the same number of epochs, shuffling
every epoch, no regularisation (alpha=0) and no early stopping. Runs are interleaved (the order
alternates each repetition) so background load hits both alike; the table gives medians.

    python bench/bench_mlp.py              # 5 repetitions of each task
    python bench/bench_mlp.py --quick      # smaller, 2 repetitions, for a smoke run

BLAS threads are left as the environment sets them (OPENBLAS_NUM_THREADS etc.); pass
--blas-threads N to pin them for this run (threadpoolctl, shipped with scikit-learn).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nnlib as nn  # noqa: E402


@dataclass(frozen=True)
class Task:
    """One benchmark: a data split, the hidden layer sizes, the batch size and the epochs."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    hidden: tuple[int, ...]
    batch_size: int
    epochs: int

    @property
    def architecture(self) -> str:
        sizes = (self.x_train.shape[1], *self.hidden, int(self.y_train.max()) + 1)
        return "-".join(map(str, sizes))


def digits_task(epochs: int) -> Task:
    """UCI digits (scikit-learn's copy), 75/25 stratified split, standardised; 64-128-64-10."""
    x, y = nn.load_digits()
    x_tr, x_te, y_tr, y_te = nn.train_test_split(x, y, test_size=0.25, rng=0, stratify=True)
    x_tr, x_te = nn.standardize(x_tr, x_te)
    return Task("digits", x_tr, y_tr, x_te, y_te, (128, 64), 64, epochs)


def synthetic_task(n_samples: int, epochs: int, seed: int = 0) -> Task:
    """10 Gaussian classes in a 16-d latent space, projected to 784 dims plus pixel noise.

    latent = centre[y] + N(0, I_16), centre ~ N(0, I); x = latent @ P + N(0, I_784),
    P ~ N(0, 1/16) of shape (16, 784). The clusters overlap: test accuracy is about 91%.
    """
    gen = np.random.default_rng(seed)
    centres = gen.standard_normal((10, 16))
    projection = gen.standard_normal((16, 784)) / 4.0
    y = np.arange(n_samples) % 10
    latent = centres[y] + gen.standard_normal((n_samples, 16))
    x = (latent @ projection + gen.standard_normal((n_samples, 784))).astype(np.float32)
    x_tr, x_te, y_tr, y_te = nn.train_test_split(x, y, test_size=0.2, rng=seed, stratify=True)
    x_tr, x_te = nn.standardize(x_tr, x_te)
    return Task("synthetic", x_tr, y_tr, x_te, y_te, (256, 128), 128, epochs)


@dataclass(frozen=True)
class Run:
    """One training: wall-clock and CPU seconds (this process, all threads), test accuracy."""

    wall: float
    cpu: float
    accuracy: float


class Stopwatch:
    """Wall-clock and process CPU time of a `with` block. CPU time excludes the time this
    process waits while other jobs hold the cores, so it is the steadier number on a shared
    machine (with one BLAS thread; spinning BLAS threads count as CPU time)."""

    def __enter__(self) -> Stopwatch:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


def run_nnlib(task: Task, seed: int) -> Run:
    """Train with nnlib (model and optimiser construction included in the time)."""
    with Stopwatch() as clock:
        sizes = (task.x_train.shape[1], *task.hidden)
        layers: list[nn.Module] = []
        for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
            layers += [nn.Dense(n_in, n_out, init="xavier", rng=seed + i), nn.ReLU()]
        layers.append(
            nn.Dense(sizes[-1], int(task.y_train.max()) + 1, init="xavier", rng=seed + len(sizes))
        )
        model = nn.Sequential(*layers)
        nn.fit(
            model,
            nn.SoftmaxCrossEntropy(),
            nn.Adam(model.parameters(), lr=1e-3),
            task.x_train,
            task.y_train,
            epochs=task.epochs,
            batch_size=task.batch_size,
            shuffle=True,
            rng=seed,
            progress=False,
        )
    _, acc = nn.evaluate(model, nn.SoftmaxCrossEntropy(), task.x_test, task.y_test)
    assert acc is not None
    return Run(clock.wall, clock.cpu, acc)


def run_sklearn(task: Task, seed: int) -> Run:
    """Train scikit-learn's MLPClassifier for exactly `task.epochs` epochs."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=task.hidden,
        activation="relu",
        solver="adam",
        learning_rate_init=1e-3,
        batch_size=task.batch_size,
        max_iter=task.epochs,
        n_iter_no_change=task.epochs + 1,
        tol=0.0,
        alpha=0.0,
        early_stopping=False,
        shuffle=True,
        random_state=seed,
    )
    with Stopwatch() as clock, warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(task.x_train, task.y_train)
    if clf.n_iter_ != task.epochs:
        raise RuntimeError(
            f"MLPClassifier stopped after {clf.n_iter_} epochs instead of {task.epochs}"
        )
    return Run(clock.wall, clock.cpu, float(clf.score(task.x_test, task.y_test)))


def med(runs: list[Run], key: str) -> float:
    """Median of one field ("wall", "cpu" or "accuracy") over repeated runs."""
    return statistics.median(getattr(r, key) for r in runs)


def blas_description() -> str:
    """Which BLAS runs with how many threads (threadpoolctl), and the OPENBLAS/OMP variables."""
    from threadpoolctl import threadpool_info

    pools = [
        f"{p.get('internal_api')} {p.get('version')} x{p.get('num_threads')}"
        for p in threadpool_info()
        if p.get("user_api") == "blas"
    ]
    env = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS_", "OMP_", "MKL_"))}
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (
        f"BLAS: {', '.join(pools) or 'unknown'}; env: {env or 'none'}; cpus: {os.cpu_count()}; "
        f"load average {load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=None, help="repetitions per task (default 5, --quick 2)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer epochs and samples, for a smoke run"
    )
    parser.add_argument(
        "--blas-threads", type=int, default=None, help="pin BLAS threads for this run"
    )
    args = parser.parse_args(argv)
    repeats = args.repeats if args.repeats is not None else (2 if args.quick else 5)
    if repeats < 1:
        parser.error(f"--repeats must be >= 1, got {repeats}")

    import sklearn
    from threadpoolctl import threadpool_limits

    limit = threadpool_limits(args.blas_threads, user_api="blas") if args.blas_threads else None
    tasks = [
        digits_task(epochs=10 if args.quick else 30),
        synthetic_task(n_samples=3000 if args.quick else 10000, epochs=3 if args.quick else 10),
    ]
    print(f"numpy {np.__version__}, scikit-learn {sklearn.__version__}; {blas_description()}")
    print(
        f"{repeats} repetition(s), interleaved; medians of wall-clock training seconds; "
        "cpu ratio = the same ratio in process CPU seconds\n"
    )

    runners = {"nnlib": run_nnlib, "sklearn": run_sklearn}
    results: dict[tuple[str, str], list[Run]] = {}
    for rep in range(repeats):
        for task in tasks:
            for lib in ("nnlib", "sklearn") if rep % 2 == 0 else ("sklearn", "nnlib"):
                results.setdefault((task.name, lib), []).append(runners[lib](task, seed=rep))

    columns = [
        ("task", 10),
        ("network", 15),
        ("batch", 5),
        ("epochs", 6),
        ("nnlib s", 8),
        ("sklearn s", 9),
        ("sklearn/nnlib", 13),
        ("cpu ratio", 9),
        ("nnlib acc", 9),
        ("sklearn acc", 11),
    ]
    header = " ".join(
        name.rjust(width) if i > 1 else name.ljust(width) for i, (name, width) in enumerate(columns)
    )
    print(header)
    print("-" * len(header))
    for task in tasks:
        ours, theirs = results[task.name, "nnlib"], results[task.name, "sklearn"]
        cells = [
            task.name,
            task.architecture,
            task.batch_size,
            task.epochs,
            f"{med(ours, 'wall'):.3f}",
            f"{med(theirs, 'wall'):.3f}",
            f"{med(theirs, 'wall') / med(ours, 'wall'):.2f}x",
            f"{med(theirs, 'cpu') / med(ours, 'cpu'):.2f}x",
            f"{med(ours, 'accuracy'):.4f}",
            f"{med(theirs, 'accuracy'):.4f}",
        ]
        print(
            " ".join(
                str(c).rjust(w) if i > 1 else str(c).ljust(w)
                for i, (c, (_, w)) in enumerate(zip(cells, columns))
            )
        )
    print(
        f"\nload average at the end: {', '.join(f'{v:.1f}' for v in os.getloadavg())} "
        "(this machine is shared: a load above the core count slows both libraries unevenly)"
    )
    if limit is not None:
        limit.restore_original_limits()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
