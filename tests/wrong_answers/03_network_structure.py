"""Plausible wrong answers to the exercises of solutions/03_network_structure.md; each must lose the
points of its test cell.

One-line mistakes are edits of the master's solution (`replace`), so they follow the master when it
changes; rewrites are full sources. REFERENCE_CALLS holds answers that only call nnlib's own
version.
"""

from __future__ import annotations

from fixtures.learners import master_solutions, replace

MASTER = master_solutions("03_network_structure")
DENSE, SEQUENTIAL, COUNT, SHAPES, XOR, GRID = (
    MASTER[k]
    for k in (
        "dense_forward",
        "sequential_forward",
        "count_parameters",
        "forward_shapes",
        "xor_weights",
        "decision_grid",
    )
)

WRONG_ANSWERS: dict[str, list[str]] = {
    "dense_forward": [
        # PyTorch's (out, in) layout: transposes W
        replace(DENSE, "return x @ W + b", "return x @ W.T + b"),
        # forgets the bias
        replace(DENSE, "return x @ W + b", "return x @ W"),
        # subtracts the bias
        replace(DENSE, "return x @ W + b", "return x @ W - b"),
        # applies an activation inside the layer
        replace(DENSE, "return x @ W + b", "return relu(x @ W + b)"),
        # no shape check: NumPy's matmul error names neither shape
        "def dense_forward(x, W, b):\n    return x @ W + b\n",
        # bias added along the wrong axis (only works when N == out_features)
        replace(DENSE, "return x @ W + b", "return x @ W + b[:, None]"),
        # checks only the last axis: a 1-D x slips through and gives a 1-D output
        replace(
            DENSE, "if x.ndim != 2 or x.shape[1] != W.shape[0]:", "if x.shape[-1] != W.shape[0]:"
        ),
        # the message names only x's shape
        replace(DENSE, "with weights W {W.shape} needs", "needs"),
    ],
    "sequential_forward": [
        # applies the layers in reverse order
        replace(SEQUENTIAL, "for layer in layers:", "for layer in reversed(layers):"),
        # does not chain: every layer sees the original input
        "def sequential_forward(x, layers):\n"
        "    out = x\n"
        "    for layer in layers:\n"
        "        out = layer(x)\n"
        "    return out\n",
        # skips the last layer
        replace(SEQUENTIAL, "for layer in layers:", "for layer in layers[:-1]:"),
        # returns every activation instead of the output
        "def sequential_forward(x, layers):\n"
        "    activations = [x]\n"
        "    for layer in layers:\n"
        "        activations.append(layer(activations[-1]))\n"
        "    return activations\n",
        # calls every layer twice (once to check the output, once to use it)
        replace(SEQUENTIAL, "x = layer(x)", "x = layer(x) if layer(x) is not None else x"),
    ],
    "count_parameters": [
        # forgets the biases
        replace(COUNT, "n_in * n_out + n_out", "n_in * n_out"),
        # one bias per input instead of per unit
        replace(COUNT, "n_in * n_out + n_out", "n_in * n_out + n_in"),
        # off by one: misses the last layer
        replace(
            COUNT,
            "zip(layer_sizes[:-1], layer_sizes[1:])",
            "zip(layer_sizes[:-2], layer_sizes[1:-1])",
        ),
        # counts biases for the input layer too
        "def count_parameters(layer_sizes):\n"
        "    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])) + "
        "sum(layer_sizes)\n",
    ],
    "forward_shapes": [
        # leaves out the input
        replace(SHAPES, "for n in layer_sizes]", "for n in layer_sizes[1:]]"),
        # features first
        replace(SHAPES, "(batch_size, n)", "(n, batch_size)"),
        # the weight shapes instead of the activation shapes
        "def forward_shapes(batch_size, layer_sizes):\n"
        "    return [(a, b) for a, b in zip(layer_sizes[:-1], layer_sizes[1:])]\n",
        # drops the batch axis
        replace(SHAPES, "(batch_size, n)", "(n,)"),
    ],
    "xor_weights": [
        # computes OR: one hidden unit per input, no way to switch (1, 1) off
        "def xor_weights():\n"
        "    return np.eye(2), np.zeros(2), np.array([[20.0], [20.0]]), np.array([-10.0])\n",
        # computes AND
        "def xor_weights():\n"
        "    return np.eye(2), np.zeros(2), np.array([[20.0], [20.0]]), np.array([-30.0])\n",
        # the right idea but no scaling: outputs near 0.27 and 0.73, not below 0.1 / above 0.9
        "def xor_weights():\n"
        "    return np.ones((2, 2)), np.array([0.0, -1.0]), np.array([[2.0], [-4.0]]), "
        "np.array([-1.0])\n",
        # output weights as a row (1, 2) instead of a column (2, 1)
        replace(XOR, "W2 = np.array([[20.0], [-40.0]])", "W2 = np.array([[20.0, -40.0]])"),
        # right on the corners, but the boundary sits too close: fails 0.1 away from them
        "def xor_weights():\n"
        "    return np.ones((2, 2)), np.array([-0.9, -1.1]), np.array([[100.0], [-200.0]]), "
        "np.array([-5.0])\n",
    ],
    "decision_grid": [
        # one model call per point
        "def decision_grid(model, x_range, y_range, steps=100):\n"
        "    xx, yy = np.meshgrid(np.linspace(*x_range, steps), np.linspace(*y_range, steps))\n"
        "    labels = np.array([[np.argmax(model(np.array([[x, y]]))[0]) for x, y in zip(rx, ry)] "
        "for rx, ry in zip(xx, yy)])\n"
        "    return xx, yy, labels\n",
        # swaps the coordinates of the points
        replace(
            GRID,
            "np.column_stack([xx.ravel(), yy.ravel()])",
            "np.column_stack([yy.ravel(), xx.ravel()])",
        ),
        # 'ij' indexing: the grid comes out transposed
        replace(
            GRID, "np.linspace(*y_range, steps))", "np.linspace(*y_range, steps), indexing='ij')"
        ),
        # argmax even for a single probability column: always class 0
        replace(
            GRID,
            "(scores[:, 0] >= 0.5).astype(int) if scores.shape[1] == 1 else scores.argmax(axis=1)",
            "scores.argmax(axis=1)",
        ),
        # argmax over the points instead of the classes
        replace(GRID, "scores.argmax(axis=1)", "scores.argmax(axis=0)"),
        # a strict threshold: a probability of exactly 0.5 becomes class 0
        replace(GRID, "scores[:, 0] >= 0.5", "scores[:, 0] > 0.5"),
        # one call per row of the grid: right labels, S calls instead of one
        "def decision_grid(model, x_range, y_range, steps=100):\n"
        "    xx, yy = np.meshgrid(np.linspace(*x_range, steps), np.linspace(*y_range, steps))\n"
        "    rows = []\n"
        "    for rx, ry in zip(xx, yy):\n"
        "        scores = model(np.column_stack([rx, ry]))\n"
        "        rows.append((scores[:, 0] >= 0.5).astype(int) if scores.shape[1] == 1 else "
        "scores.argmax(axis=1))\n"
        "    return xx, yy, np.array(rows)\n",
    ],
}

# Answers that only call the course library's own version of the exercise (the grader scores them
# 0).
REFERENCE_CALLS: dict[str, list[str]] = {}
