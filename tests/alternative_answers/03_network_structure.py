"""Correct answers to the exercises of solutions/03_network_structure.md written differently from
the master.

Each must earn the full points of its test cell: the tests grade behaviour, not one implementation.
"""

from __future__ import annotations

ALTERNATIVE_ANSWERS: dict[str, list[str]] = {
    "dense_forward": [
        # einsum and an explicit row-vector bias; separate checks
        "def dense_forward(x, W, b):\n"
        "    if x.ndim != 2:\n"
        "        raise ValueError(f'x must be a batch (N, features), got x {x.shape} for W "
        "{W.shape}')\n"
        "    if x.shape[-1] != W.shape[0]:\n"
        "        raise ValueError(f'x {x.shape} has {x.shape[-1]} features but W {W.shape} expects "
        "{W.shape[0]}')\n"
        "    return np.einsum('ni,io->no', x, W) + b.reshape(1, -1)\n",
        # np.dot in float64
        "def dense_forward(x, W, b):\n"
        "    x = np.asarray(x, dtype=np.float64)\n"
        "    if len(x.shape) != 2 or x.shape[1] != W.shape[0]:\n"
        "        raise ValueError('x ' + str(x.shape) + ' does not fit W ' + str(W.shape))\n"
        "    return np.dot(x, W) + b[np.newaxis, :]\n",
        # np.matmul and np.add with float32 inputs kept float32; the shape check through len()
        "def dense_forward(x, W, b):\n"
        "    if len(np.shape(x)) != 2 or np.shape(x)[1] != len(W):\n"
        "        raise ValueError(f'x {np.shape(x)} does not fit W {np.shape(W)}')\n"
        "    return np.add(np.matmul(x, W), b)\n",
    ],
    "sequential_forward": [
        "from functools import reduce\n"
        "\n"
        "def sequential_forward(x, layers):\n"
        "    return reduce(lambda a, layer: layer(a), layers, x)\n",
        # recursion: apply the first layer, then the rest
        "def sequential_forward(x, layers):\n"
        "    if len(layers) == 0:\n"
        "        return x\n"
        "    return sequential_forward(layers[0](x), layers[1:])\n",
        # an index loop keeping a separate activation variable
        "def sequential_forward(x, layers):\n"
        "    a = x\n"
        "    for i in range(len(layers)):\n"
        "        a = layers[i](a)\n"
        "    return a\n",
    ],
    "count_parameters": [
        # (n_in + 1) * n_out: the bias as an extra input
        "def count_parameters(layer_sizes):\n"
        "    total = 0\n"
        "    for i in range(1, len(layer_sizes)):\n"
        "        total += (layer_sizes[i - 1] + 1) * layer_sizes[i]\n"
        "    return total\n",
        # NumPy dot products of the size vectors
        "def count_parameters(layer_sizes):\n"
        "    sizes = np.asarray(layer_sizes)\n"
        "    return int(np.dot(sizes[:-1], sizes[1:]) + sizes[1:].sum())\n",
        # build the network with nnlib and count its parameters
        "def count_parameters(layer_sizes):\n"
        "    layers = [Dense(n_in, n_out, rng=0) for n_in, n_out in zip(layer_sizes[:-1], "
        "layer_sizes[1:])]\n"
        "    return sum(p.data.size for p in Sequential(*layers).parameters())\n",
    ],
    "forward_shapes": [
        "def forward_shapes(batch_size, layer_sizes):\n"
        "    return list(zip([batch_size] * len(layer_sizes), layer_sizes))\n",
        # push a batch of zeros through zero weight matrices and record the shapes
        "def forward_shapes(batch_size, layer_sizes):\n"
        "    a = np.zeros((batch_size, layer_sizes[0]))\n"
        "    shapes = [a.shape]\n"
        "    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):\n"
        "        a = a @ np.zeros((n_in, n_out))\n"
        "        shapes.append(a.shape)\n"
        "    return shapes\n",
        "def forward_shapes(batch_size, layer_sizes):\n"
        "    shapes = []\n"
        "    for n in layer_sizes:\n"
        "        shapes.append(tuple([int(batch_size), int(n)]))\n"
        "    return shapes\n",
    ],
    "xor_weights": [
        # the two hidden units detect x1 > x2 and x2 > x1; the output fires for either
        "def xor_weights():\n"
        "    W1 = np.array([[1.0, -1.0], [-1.0, 1.0]])\n"
        "    b1 = np.zeros(2)\n"
        "    W2 = np.array([[20.0], [20.0]])\n"
        "    b2 = np.array([-10.0])\n"
        "    return W1, b1, W2, b2\n",
        # thresholds 0.5 and 1.5 on s = x1 + x2; plain lists, other scales
        "def xor_weights():\n    return [[1, 1], [1, 1]], [-0.5, -1.5], [[60], [-300]], [-10]\n",
        # float32 arrays, an OR unit and an AND unit: OR and not AND
        "def xor_weights():\n"
        "    W1 = np.ones((2, 2), dtype=np.float32)\n"
        "    b1 = np.array([0.0, -1.0], dtype=np.float32)\n"
        "    W2 = np.array([[15.0], [-30.0]], dtype=np.float32)\n"
        "    b2 = np.array([-7.5], dtype=np.float32)\n"
        "    return W1, b1, W2, b2\n",
    ],
    "decision_grid": [
        # stack the coordinate grids along a last axis; argmax over the last axis
        "def decision_grid(model, x_range, y_range, steps=100):\n"
        "    xs = np.linspace(x_range[0], x_range[1], steps)\n"
        "    ys = np.linspace(y_range[0], y_range[1], steps)\n"
        "    xx, yy = np.meshgrid(xs, ys, indexing='xy')\n"
        "    scores = np.asarray(model(np.stack([xx, yy], axis=-1).reshape(-1, 2)))\n"
        "    if scores.shape[-1] == 1:\n"
        "        labels = np.where(scores[:, 0] >= 0.5, 1, 0)\n"
        "    else:\n"
        "        labels = np.argmax(scores, axis=-1)\n"
        "    return xx, yy, labels.reshape(steps, steps)\n",
        # the grid built with np.tile, the batch with np.c_
        "def decision_grid(model, x_range, y_range, steps=100):\n"
        "    xx = np.tile(np.linspace(*x_range, steps), (steps, 1))\n"
        "    yy = np.tile(np.linspace(*y_range, steps)[:, None], (1, steps))\n"
        "    scores = model(np.c_[xx.ravel(), yy.ravel()])\n"
        "    if scores.shape[1] > 1:\n"
        "        labels = scores.argmax(axis=1)\n"
        "    else:\n"
        "        labels = (scores.ravel() >= 0.5).astype(np.int64)\n"
        "    return xx, yy, labels.reshape(xx.shape)\n",
        # np.mgrid with a complex step (row index = y, column index = x), a boolean mask for one
        # column
        "def decision_grid(model, x_range, y_range, steps=100):\n"
        "    yy, xx = np.mgrid[y_range[0]:y_range[1]:complex(0, steps), "
        "x_range[0]:x_range[1]:complex(0, steps)]\n"
        "    scores = model(np.vstack([xx.reshape(-1), yy.reshape(-1)]).T)\n"
        "    labels = scores.argmax(axis=1) if scores.shape[1] > 1 else (scores[:, 0] >= 0.5) * 1\n"
        "    return xx, yy, labels.reshape(steps, steps)\n",
    ],
}
