"""How close nnlib's training is to its limit: the time of its own matrix products.

One epoch of `fit` on the FLOP-bound task (784-256-128-10 ReLU MLP, batch 128, Adam, float32,
the synthetic data of bench_mlp.py) is timed against the same epoch's matrix products alone:
the same shapes, count, dtype and memory layout (transposed views where nnlib uses them), each
written into a preallocated output. Per mini-batch of b rows that is 8 products:

    forward   x @ W1, h1 @ W2, h2 @ W3
    backward  x^T @ g1, h1^T @ g2, h2^T @ g3 (weight gradients), g3 @ W3^T, g2 @ W2^T (inputs;
              the first layer's input gradient is skipped by `backward_params`)

Everything else fit does (activations, bias, loss, Adam, shuffling, checks) is the overhead;
the target is training <= 1.3x matmul time. A third row times the epoch's Adam steps alone
(the largest part of the overhead), so its share can be read beside the ratio. All run in this
process, interleaved, with one BLAS thread, after one larger product (OpenBLAS's steady state);
the table gives medians, and the ratio is the median over the back-to-back pairs (steadier on
a shared machine than a ratio of medians), in wall-clock and in process CPU seconds.

    python bench/bench_matmul_limit.py              # 9 repetitions
    python bench/bench_matmul_limit.py --repeats 3  # a quicker look
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nnlib as nn  # noqa: E402
from bench_mlp import Stopwatch, Task, blas_description, synthetic_task  # noqa: E402


def build(task: Task, seed: int) -> tuple[nn.Sequential, nn.Adam]:
    """The benchmark's network (Glorot-uniform weights, as bench_mlp.py) and its Adam optimiser."""
    sizes = (task.x_train.shape[1], *task.hidden, int(task.y_train.max()) + 1)
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers += [nn.Dense(n_in, n_out, init="xavier", rng=seed + i), nn.ReLU()]
    model = nn.Sequential(*layers[:-1])  # no ReLU after the output layer
    return model, nn.Adam(model.parameters(), lr=1e-3)


def training_epoch(
    task: Task, model: nn.Sequential, optimizer: nn.Adam, seed: int
) -> Callable[[], None]:
    """One epoch of `fit` (shuffled, as in bench_mlp.py) on the task's training set."""
    loss_fn = nn.SoftmaxCrossEntropy()

    def run() -> None:
        nn.fit(
            model,
            loss_fn,
            optimizer,
            task.x_train,
            task.y_train,
            epochs=1,
            batch_size=task.batch_size,
            rng=seed,
            progress=False,
        )

    return run


def matmul_epoch(task: Task, model: nn.Sequential) -> Callable[[], None]:
    """The matrix products of one training epoch and nothing else (outputs preallocated)."""
    weights = [layer.weight.data for layer in model if isinstance(layer, nn.Dense)]
    w1, w2, w3 = weights
    x = task.x_train[np.random.default_rng(0).permutation(task.x_train.shape[0])]
    n, b = x.shape[0], task.batch_size
    gen = np.random.default_rng(1)

    def buffers(rows: int) -> dict[str, np.ndarray]:
        """Activations h, gradients g and outputs of every product, for a batch of `rows`."""
        shapes = {"h1": (rows, w1.shape[1]), "h2": (rows, w2.shape[1]), "h3": (rows, w3.shape[1])}
        act = {k: gen.standard_normal(s, dtype=np.float32) for k, s in shapes.items()}
        grads = {"g" + k[1]: gen.standard_normal(s, dtype=np.float32) for k, s in shapes.items()}
        outs = {f"d{k}": np.empty_like(w) for k, w in zip(("w1", "w2", "w3"), weights)}
        outs |= {"dx2": np.empty_like(act["h1"]), "dx3": np.empty_like(act["h2"])}
        return act | grads | outs

    sizes = [min(b, n - start) for start in range(0, n, b)]
    bufs = {rows: buffers(rows) for rows in set(sizes)}
    batches = [(x[start : start + rows], bufs[rows]) for start, rows in zip(range(0, n, b), sizes)]

    def run() -> None:
        for xb, m in batches:
            np.matmul(xb, w1, out=m["h1"])
            np.matmul(m["h1"], w2, out=m["h2"])
            np.matmul(m["h2"], w3, out=m["h3"])
            np.matmul(m["h2"].T, m["g3"], out=m["dw3"])
            np.matmul(m["g3"], w3.T, out=m["dx3"])
            np.matmul(m["h1"].T, m["g2"], out=m["dw2"])
            np.matmul(m["g2"], w2.T, out=m["dx2"])
            np.matmul(xb.T, m["g1"], out=m["dw1"])

    return run


def adam_steps(task: Task) -> Callable[[], None]:
    """The epoch's Adam steps alone, one per mini-batch: the same 10 passes over a flat buffer
    of the same size as in training, without the forward and backward around them (on a model
    of its own, so the timed training is not moved)."""
    _, optimizer = build(task, seed=1)
    steps = len(range(0, task.x_train.shape[0], task.batch_size))  # as fit_epoch's batches

    def run() -> None:
        for _ in range(steps):
            optimizer.step()

    return run


def steady_blas() -> None:
    """Put OpenBLAS in its steady state before timing: until a product of 512 x 512 or more has
    run in the process, `x @ W1` (inner dimension 784) runs about 3x slower here (4.3 ms against
    1.4 ms), which made the ratio 1.25x on one run and 1.44x on the next."""
    square = np.ones((512, 512), dtype=np.float32)
    square @ square


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=9, help="timed epochs of each kind (default 9)"
    )
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats must be >= 1, got {args.repeats}")

    with threadpool_limits(1, user_api="blas"):
        steady_blas()
        task = synthetic_task(n_samples=10000, epochs=1)
        model, optimizer = build(task, seed=0)
        runs = {
            "training": training_epoch(task, model, optimizer, seed=0),
            "matmuls": matmul_epoch(task, model),
            "adam steps": adam_steps(task),
        }
        print(f"numpy {np.__version__}; {blas_description()}")
        print(
            f"task: {task.architecture}, {task.x_train.shape[0]} samples, batch {task.batch_size}, "
            f"Adam, {task.x_train.dtype}; {args.repeats} interleaved repetitions "
            "after one warm-up each\n"
        )
        for run in runs.values():
            run()
        times: dict[str, list[Stopwatch]] = {name: [] for name in runs}
        for rep in range(args.repeats):
            for name in runs if rep % 2 == 0 else list(reversed(runs)):
                with Stopwatch() as clock:
                    runs[name]()
                times[name].append(clock)

    def med(name: str, key: str) -> float:
        return statistics.median(getattr(clock, key) for clock in times[name])

    def paired(key: str, name: str = "training") -> float:
        """Median over repetitions of `name` / matmuls, each pair timed back to back."""
        pairs = zip(times[name], times["matmuls"])
        return statistics.median(getattr(t, key) / getattr(m, key) for t, m in pairs)

    print(f"{'one epoch':<22}{'wall ms':>9}{'cpu ms':>9}{'min ms':>9}")
    for name in runs:
        fastest = min(clock.wall for clock in times[name])
        print(
            f"{name:<22}{1e3 * med(name, 'wall'):9.1f}{1e3 * med(name, 'cpu'):9.1f}"
            f"{1e3 * fastest:9.1f}"
        )
    print(
        f"\ntraining / matmuls (median of the {args.repeats} back-to-back pairs): "
        f"{paired('wall'):.2f}x wall-clock, {paired('cpu'):.2f}x cpu (target <= 1.3x)"
    )
    print(
        f"adam steps / matmuls: {paired('cpu', 'adam steps'):.2f}x cpu (the optimiser's own "
        "share; its passes also evict the weights, which the next forward pass pays again)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
