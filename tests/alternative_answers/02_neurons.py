"""Correct answers to the exercises of solutions/02_neurons.md written differently from the master.

Each must earn the full points of its test cell: the tests grade behaviour, not one implementation.
"""

from __future__ import annotations

ALTERNATIVE_ANSWERS: dict[str, list[str]] = {
    "sigmoid": [
        # log-sum-exp: sigma(z) = exp(-log(1 + exp(-z))), scipy-free and stable
        "def sigmoid(z):\n    return np.exp(-np.logaddexp(0.0, -z))\n",
        # the tanh identity sigma(z) = (1 + tanh(z / 2)) / 2
        "def sigmoid(z):\n    return 0.5 * (1.0 + np.tanh(0.5 * z))\n",
        # boolean masks filling a new float64 array, each formula only where it is safe
        "def sigmoid(z):\n"
        "    z = np.asarray(z, dtype=np.float64)\n"
        "    out = np.empty_like(z)\n"
        "    pos = z >= 0\n"
        "    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))\n"
        "    e = np.exp(z[~pos])\n"
        "    out[~pos] = e / (1.0 + e)\n"
        "    return out\n",
        # both branches everywhere; the unselected branch's overflow (inf / inf) is silenced locally
        "def sigmoid(z):\n"
        "    with np.errstate(over='ignore', invalid='ignore'):\n"
        "        return np.where(\n"
        "            z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z))\n"
        "        )\n",
        # the textbook formula on float64 inputs clipped to [-700, 700], where exp cannot overflow
        "def sigmoid(z):\n"
        "    return 1.0 / (1.0 + np.exp(-np.clip(np.asarray(z, dtype=np.float64), -700, 700)))\n",
    ],
    "relu": [
        "def relu(z):\n    return np.where(z > 0, z, 0.0)\n",
        # copy, then clip the copy in place
        "def relu(z):\n    out = np.array(z, copy=True)\n    out[out < 0] = 0\n    return out\n",
        # multiply by the mask (gives -0.0 for negative entries, which equals 0)
        "def relu(z):\n    return z * (z > 0)\n",
        # np.clip with no upper bound, on a float32 input keeps float32
        "def relu(z):\n    return np.clip(z, 0, None)\n",
    ],
    "sigmoid_derivative": [
        # sigma(z) * sigma(-z) = sigma(z) * (1 - sigma(z))
        "def sigmoid_derivative(z):\n    return reference.sigmoid(z) * reference.sigmoid(-z)\n",
        # the symmetric closed form exp(-|z|) / (1 + exp(-|z|))^2, which never overflows
        "def sigmoid_derivative(z):\n    e = np.exp(-np.abs(z))\n    return e / (1.0 + e) ** 2\n",
        # through tanh: sigma'(z) = (1 - tanh(z / 2)^2) / 4
        "def sigmoid_derivative(z):\n    return 0.25 * (1.0 - np.tanh(z / 2) ** 2)\n",
    ],
    "relu_derivative": [
        "def relu_derivative(z):\n    return np.where(z > 0, 1, 0).astype(z.dtype)\n",
        "def relu_derivative(z):\n    out = np.zeros_like(z)\n    out[z > 0] = 1\n    return out\n",
        "def relu_derivative(z):\n    return np.greater(z, 0) * np.ones_like(z)\n",
    ],
    "softmax": [
        # exp of the log-softmax (log-sum-exp)
        "def softmax(z, axis=-1):\n"
        "    m = np.max(z, axis=axis, keepdims=True)\n"
        "    log_norm = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))\n"
        "    return np.exp(z - log_norm)\n",
        # move the axis to the end, work on the last axis, move it back; float64 inside
        "def softmax(z, axis=-1):\n"
        "    moved = np.moveaxis(np.asarray(z, dtype=np.float64), axis, -1)\n"
        "    shifted = moved - moved.max(axis=-1)[..., None]\n"
        "    e = np.exp(shifted)\n"
        "    return np.moveaxis(e / e.sum(axis=-1)[..., None], -1, axis)\n",
        # np.logaddexp.reduce for the normaliser
        "def softmax(z, axis=-1):\n"
        "    return np.exp(z - np.logaddexp.reduce(z, axis=axis, keepdims=True))\n",
        # transpose the axis to the end with swapaxes (a non-contiguous view), normalise, swap back
        "def softmax(z, axis=-1):\n"
        "    last = np.swapaxes(z, axis, -1)\n"
        "    e = np.exp(last - last.max(axis=-1, keepdims=True))\n"
        "    return np.swapaxes(e / e.sum(axis=-1, keepdims=True), axis, -1)\n",
    ],
    "neuron_forward": [
        "def neuron_forward(x, w, b):\n    return reference.sigmoid(np.dot(x, w) + b)\n",
        "def neuron_forward(x, w, b):\n"
        "    return reference.Sigmoid()(np.einsum('nd,d->n', x, w) + b)\n",
        # a scipy-free stable sigmoid written inline
        "def neuron_forward(x, w, b):\n"
        "    z = (x * w).sum(axis=1) + b\n"
        "    return np.exp(-np.logaddexp(0, -z))\n",
    ],
    "neuron_predict": [
        "def neuron_predict(x, w, b):\n    return np.where(x @ w + b >= 0, 1, 0)\n",
        # threshold the probability itself (sigma(0) is exactly 0.5)
        "def neuron_predict(x, w, b):\n"
        "    return (reference.sigmoid(x @ w + b) >= 0.5).astype(np.int32)\n",
        "def neuron_predict(x, w, b):\n    return np.heaviside(np.dot(x, w) + b, 1).astype(int)\n",
    ],
}
