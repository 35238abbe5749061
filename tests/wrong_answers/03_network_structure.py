"""Plausible wrong answers to the exercises of solutions/03_network_structure.md; each must lose the points of its test cell."""
from __future__ import annotations

_CHECK = (
    "    if x.ndim != 2 or x.shape[1] != W.shape[0]:\n"
    "        raise ValueError(f'W {W.shape} does not fit x {x.shape}')\n"
)

WRONG_ANSWERS: dict[str, list[str]] = {
    "dense_forward": [
        # PyTorch's (out, in) layout: transposes W
        "def dense_forward(x, W, b):\n" + _CHECK + "    return x @ W.T + b\n",
        # forgets the bias
        "def dense_forward(x, W, b):\n" + _CHECK + "    return x @ W\n",
        # subtracts the bias
        "def dense_forward(x, W, b):\n" + _CHECK + "    return x @ W - b\n",
        # applies an activation inside the layer
        "def dense_forward(x, W, b):\n" + _CHECK + "    return relu(x @ W + b)\n",
        # no shape check: NumPy's matmul error names neither shape
        "def dense_forward(x, W, b):\n    return x @ W + b\n",
        # bias added along the wrong axis (only works when N == out_features)
        "def dense_forward(x, W, b):\n" + _CHECK + "    return x @ W + b[:, None]\n",
    ],
    "sequential_forward": [
        # applies the layers in reverse order
        "def sequential_forward(x, layers):\n"
        "    for layer in reversed(layers):\n"
        "        x = layer(x)\n"
        "    return x\n",
        # does not chain: every layer sees the original input
        "def sequential_forward(x, layers):\n"
        "    out = x\n"
        "    for layer in layers:\n"
        "        out = layer(x)\n"
        "    return out\n",
        # skips the last layer
        "def sequential_forward(x, layers):\n"
        "    for layer in layers[:-1]:\n"
        "        x = layer(x)\n"
        "    return x\n",
        # returns every activation instead of the output
        "def sequential_forward(x, layers):\n"
        "    activations = [x]\n"
        "    for layer in layers:\n"
        "        activations.append(layer(activations[-1]))\n"
        "    return activations\n",
    ],
    "count_parameters": [
        # forgets the biases
        "def count_parameters(layer_sizes):\n"
        "    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))\n",
        # one bias per input instead of per unit
        "def count_parameters(layer_sizes):\n"
        "    return sum(a * b + a for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))\n",
        # off by one: misses the last layer
        "def count_parameters(layer_sizes):\n"
        "    return sum(layer_sizes[i] * layer_sizes[i + 1] + layer_sizes[i + 1] for i in range(len(layer_sizes) - 2))\n",
        # counts biases for the input layer too
        "def count_parameters(layer_sizes):\n"
        "    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])) + sum(layer_sizes)\n",
    ],
    "forward_shapes": [
        # leaves out the input
        "def forward_shapes(batch_size, layer_sizes):\n    return [(batch_size, n) for n in layer_sizes[1:]]\n",
        # features first
        "def forward_shapes(batch_size, layer_sizes):\n    return [(n, batch_size) for n in layer_sizes]\n",
        # the weight shapes instead of the activation shapes
        "def forward_shapes(batch_size, layer_sizes):\n"
        "    return [(a, b) for a, b in zip(layer_sizes[:-1], layer_sizes[1:])]\n",
        # drops the batch axis
        "def forward_shapes(batch_size, layer_sizes):\n    return [(n,) for n in layer_sizes]\n",
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
        "    return np.ones((2, 2)), np.array([0.0, -1.0]), np.array([[2.0], [-4.0]]), np.array([-1.0])\n",
        # output weights as a row (1, 2) instead of a column (2, 1)
        "def xor_weights():\n"
        "    return np.ones((2, 2)), np.array([0.0, -1.0]), np.array([[20.0, -40.0]]), np.array([-10.0])\n",
        # right on the corners, but the boundary sits too close: fails 0.1 away from them
        "def xor_weights():\n"
        "    return np.ones((2, 2)), np.array([-0.9, -1.1]), np.array([[100.0], [-200.0]]), np.array([-5.0])\n",
    ],
    "decision_grid": [
        # one model call per point
        "def decision_grid(model, x_range, y_range, steps=100):\n"
        "    xx, yy = np.meshgrid(np.linspace(*x_range, steps), np.linspace(*y_range, steps))\n"
        "    labels = np.array([[np.argmax(model(np.array([[x, y]]))[0]) for x, y in zip(rx, ry)] for rx, ry in zip(xx, yy)])\n"
        "    return xx, yy, labels\n",
        # swaps the coordinates of the points
        "def decision_grid(model, x_range, y_range, steps=100):\n"
        "    xx, yy = np.meshgrid(np.linspace(*x_range, steps), np.linspace(*y_range, steps))\n"
        "    scores = model(np.column_stack([yy.ravel(), xx.ravel()]))\n"
        "    labels = (scores[:, 0] >= 0.5).astype(int) if scores.shape[1] == 1 else scores.argmax(axis=1)\n"
        "    return xx, yy, labels.reshape(xx.shape)\n",
        # 'ij' indexing: the grid comes out transposed
        "def decision_grid(model, x_range, y_range, steps=100):\n"
        "    xx, yy = np.meshgrid(np.linspace(*x_range, steps), np.linspace(*y_range, steps), indexing='ij')\n"
        "    scores = model(np.column_stack([xx.ravel(), yy.ravel()]))\n"
        "    labels = (scores[:, 0] >= 0.5).astype(int) if scores.shape[1] == 1 else scores.argmax(axis=1)\n"
        "    return xx, yy, labels.reshape(xx.shape)\n",
        # argmax even for a single probability column: always class 0
        "def decision_grid(model, x_range, y_range, steps=100):\n"
        "    xx, yy = np.meshgrid(np.linspace(*x_range, steps), np.linspace(*y_range, steps))\n"
        "    scores = model(np.column_stack([xx.ravel(), yy.ravel()]))\n"
        "    return xx, yy, scores.argmax(axis=1).reshape(xx.shape)\n",
        # argmax over the points instead of the classes
        "def decision_grid(model, x_range, y_range, steps=100):\n"
        "    xx, yy = np.meshgrid(np.linspace(*x_range, steps), np.linspace(*y_range, steps))\n"
        "    scores = model(np.column_stack([xx.ravel(), yy.ravel()]))\n"
        "    labels = (scores[:, 0] >= 0.5).astype(int) if scores.shape[1] == 1 else scores.argmax(axis=0)\n"
        "    return xx, yy, labels.reshape(xx.shape)\n",
    ],
}
