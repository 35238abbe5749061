"""Plausible wrong answers to the exercises of solutions/02_neurons.md; each must lose the points of its test cell."""
from __future__ import annotations

WRONG_ANSWERS: dict[str, list[str]] = {
    "sigmoid": [
        # wrong sign in the exponent: gives 1 - sigma(z)
        "def sigmoid(z):\n    return 1 / (1 + np.exp(z))\n",
        # the textbook formula: correct values, but overflows for very negative z
        "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n",
        # tanh without halving z: 0.5 * (tanh(z / 2) + 1) is the sigmoid
        "def sigmoid(z):\n    return 0.5 * (np.tanh(z) + 1)\n",
        # stable trick with the two branches swapped
        "def sigmoid(z):\n    e = np.exp(-np.abs(z))\n    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))\n",
    ],
    "relu": [
        # clips the input in place: the caller's array changes
        "def relu(z):\n    z[z < 0] = 0\n    return z\n",
        # min instead of max
        "def relu(z):\n    return np.minimum(z, 0)\n",
        # absolute value instead of clipping
        "def relu(z):\n    return np.abs(z)\n",
        # returns the derivative (a step) instead of the function
        "def relu(z):\n    return (z > 0).astype(float)\n",
    ],
    "sigmoid_derivative": [
        # applies s(1 - s) to z instead of to sigmoid(z)
        "def sigmoid_derivative(z):\n    return z * (1 - z)\n",
        # tanh's derivative formula
        "def sigmoid_derivative(z):\n    s = reference.sigmoid(z)\n    return 1 - s ** 2\n",
        # plus instead of minus
        "def sigmoid_derivative(z):\n    s = reference.sigmoid(z)\n    return s * (1 + s)\n",
        # the derivative written out with exp: inf / inf = nan for z = -1000
        "def sigmoid_derivative(z):\n    return np.exp(-z) / (1 + np.exp(-z)) ** 2\n",
    ],
    "relu_derivative": [
        # 1 at z == 0
        "def relu_derivative(z):\n    return (z >= 0).astype(z.dtype)\n",
        # sign gives -1 for negative inputs
        "def relu_derivative(z):\n    return np.sign(z)\n",
        # returns relu itself
        "def relu_derivative(z):\n    return np.maximum(z, 0)\n",
        # boolean mask, not a float array
        "def relu_derivative(z):\n    return z > 0\n",
        # always float64, so a float32 network silently becomes float64
        "def relu_derivative(z):\n    return np.where(z > 0, 1.0, 0.0)\n",
    ],
    "softmax": [
        # unstable: exp(1000) = inf and inf / inf = nan
        "def softmax(z, axis=-1):\n    e = np.exp(z)\n    return e / e.sum(axis=axis, keepdims=True)\n",
        # shifts by the global maximum: rows far below it underflow to 0 / 0
        "def softmax(z, axis=-1):\n    e = np.exp(z - z.max())\n    return e / e.sum(axis=axis, keepdims=True)\n",
        # ignores the axis argument
        "def softmax(z, axis=-1):\n    e = np.exp(z - z.max(axis=-1, keepdims=True))\n    return e / e.sum(axis=-1, keepdims=True)\n",
        # shifts the caller's array in place
        "def softmax(z, axis=-1):\n    z -= z.max(axis=axis, keepdims=True)\n    e = np.exp(z)\n    return e / e.sum(axis=axis, keepdims=True)\n",
        # normalises over the batch axis instead of the classes
        "def softmax(z, axis=-1):\n    e = np.exp(z - z.max(axis=axis, keepdims=True))\n    return e / e.sum(axis=0, keepdims=True)\n",
    ],
    "neuron_forward": [
        # forgets the bias
        "def neuron_forward(x, w, b):\n    return reference.sigmoid(x @ w)\n",
        # adds the bias after the activation
        "def neuron_forward(x, w, b):\n    return reference.sigmoid(x @ w) + b\n",
        # subtracts the bias
        "def neuron_forward(x, w, b):\n    return reference.sigmoid(x @ w - b)\n",
        # unstable sigmoid written inline
        "def neuron_forward(x, w, b):\n    return 1 / (1 + np.exp(-(x @ w + b)))\n",
        # sums over the batch instead of the features
        "def neuron_forward(x, w, b):\n    return reference.sigmoid(np.sum(x * w, axis=0) + b)\n",
    ],
    "neuron_predict": [
        # thresholds the weighted sum at 0.5 instead of the probability
        "def neuron_predict(x, w, b):\n    return (x @ w + b >= 0.5).astype(int)\n",
        # strict inequality: a point on the boundary gets class 0
        "def neuron_predict(x, w, b):\n    return (x @ w + b > 0).astype(int)\n",
        # returns probabilities, not labels
        "def neuron_predict(x, w, b):\n    return reference.sigmoid(x @ w + b)\n",
        # forgets the bias
        "def neuron_predict(x, w, b):\n    return (x @ w >= 0).astype(int)\n",
        # rounds the probability: np.round(0.5) == 0 (round half to even)
        "def neuron_predict(x, w, b):\n    return np.round(reference.sigmoid(x @ w + b)).astype(int)\n",
    ],
}
