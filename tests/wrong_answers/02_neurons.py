"""Plausible wrong answers to the exercises of solutions/02_neurons.md; each must lose the points of
its test cell.

One-line mistakes are edits of the master's solution (`replace`), so they follow the master when it
changes; rewrites are full sources. REFERENCE_CALLS holds answers that only call nnlib's own
version.
"""

from __future__ import annotations

from fixtures.learners import master_solutions, replace

MASTER = master_solutions("02_neurons")
SIGMOID, RELU, DSIGMOID, DRELU, SOFTMAX, FORWARD, PREDICT = (
    MASTER[k]
    for k in (
        "sigmoid",
        "relu",
        "sigmoid_derivative",
        "relu_derivative",
        "softmax",
        "neuron_forward",
        "neuron_predict",
    )
)

WRONG_ANSWERS: dict[str, list[str]] = {
    "sigmoid": [
        # wrong sign in the exponent: gives 1 - sigma(z)
        "def sigmoid(z):\n    return 1 / (1 + np.exp(z))\n",
        # the textbook formula: correct values, but overflows for very negative z
        "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n",
        # tanh without halving z: 0.5 * (tanh(z / 2) + 1) is the sigmoid
        "def sigmoid(z):\n    return 0.5 * (np.tanh(z) + 1)\n",
        # stable trick with the two branches swapped
        replace(SIGMOID, "1.0 / (1.0 + e), e / (1.0 + e)", "e / (1.0 + e), 1.0 / (1.0 + e)"),
        # clips to [-500, 500]: safe in float64, but exp(500) overflows in float32
        "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))\n",
        # writes the result into the caller's array
        replace(SIGMOID, "return np.where(", "z[...] = np.where("),
    ],
    "relu": [
        # clips the input in place: the caller's array changes
        "def relu(z):\n    z[z < 0] = 0\n    return z\n",
        # min instead of max
        replace(RELU, "np.maximum(z, 0)", "np.minimum(z, 0)"),
        # absolute value instead of clipping
        replace(RELU, "np.maximum(z, 0)", "np.abs(z)"),
        # returns the derivative (a step) instead of the function
        replace(RELU, "np.maximum(z, 0)", "(z > 0).astype(float)"),
        # a Python loop over the entries: right values, but float32 becomes float64
        replace(
            RELU,
            "return np.maximum(z, 0)",
            "return np.array([max(v, 0.0) for v in z.ravel()]).reshape(z.shape)",
        ),
    ],
    "sigmoid_derivative": [
        # applies s(1 - s) to z instead of to sigmoid(z)
        "def sigmoid_derivative(z):\n    return z * (1 - z)\n",
        # tanh's derivative formula
        replace(DSIGMOID, "return s * (1.0 - s)", "return 1 - s ** 2"),
        # plus instead of minus
        replace(DSIGMOID, "return s * (1.0 - s)", "return s * (1.0 + s)"),
        # the derivative written out with exp: inf / inf = nan for z = -1000
        "def sigmoid_derivative(z):\n    return np.exp(-z) / (1 + np.exp(-z)) ** 2\n",
        # a one-sided finite difference instead of the formula
        replace(
            DSIGMOID,
            "return s * (1.0 - s)",
            "h = 1e-7\n    return (reference.sigmoid(z + h) - s) / h",
        ),
        # a central finite difference: closer, still only about 1e-9 accurate
        replace(
            DSIGMOID,
            "return s * (1.0 - s)",
            "h = 1e-5\n    return (reference.sigmoid(z + h) - reference.sigmoid(z - h)) / (2 * h)",
        ),
    ],
    "relu_derivative": [
        # 1 at z == 0
        replace(DRELU, "(z > 0)", "(z >= 0)"),
        # sign gives -1 for negative inputs
        "def relu_derivative(z):\n    return np.sign(z)\n",
        # returns relu itself
        "def relu_derivative(z):\n    return np.maximum(z, 0)\n",
        # boolean mask, not a float array
        replace(DRELU, "(z > 0).astype(z.dtype)", "z > 0"),
        # always float64, so a float32 network silently becomes float64
        "def relu_derivative(z):\n    return np.where(z > 0, 1.0, 0.0)\n",
        # multiplying the mask by 1.0 gives float64 too
        replace(DRELU, "(z > 0).astype(z.dtype)", "(z > 0) * 1.0"),
    ],
    "softmax": [
        # unstable: exp(1000) = inf and inf / inf = nan
        "def softmax(z, axis=-1):\n    e = np.exp(z)\n"
        "    return e / e.sum(axis=axis, keepdims=True)\n",
        # shifts by the global maximum: rows far below it underflow to 0 / 0
        replace(SOFTMAX, "np.exp(z - z.max(axis=axis, keepdims=True))", "np.exp(z - z.max())"),
        # ignores the axis argument
        "def softmax(z, axis=-1):\n    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n",
        # shifts the caller's array in place
        "def softmax(z, axis=-1):\n    z -= z.max(axis=axis, keepdims=True)\n    e = np.exp(z)\n"
        "    return e / e.sum(axis=axis, keepdims=True)\n",
        # normalises over the batch axis instead of the classes
        replace(SOFTMAX, "e.sum(axis=axis, keepdims=True)", "e.sum(axis=0, keepdims=True)"),
        # stable only along the last axis: other axes are not shifted and overflow
        replace(
            SOFTMAX,
            "np.exp(z - z.max(axis=axis, keepdims=True))",
            "np.exp(z - (z.max(axis=-1, keepdims=True) if axis in (-1, z.ndim - 1) else 0))",
        ),
        # shifts by the maximum of the last axis whatever `axis` is
        replace(
            SOFTMAX,
            "np.exp(z - z.max(axis=axis, keepdims=True))",
            "np.exp(z - z.max(axis=-1, keepdims=True))",
        ),
    ],
    "neuron_forward": [
        # forgets the bias
        replace(FORWARD, "x @ w + b", "x @ w"),
        # adds the bias after the activation
        replace(FORWARD, "reference.sigmoid(x @ w + b)", "reference.sigmoid(x @ w) + b"),
        # subtracts the bias
        replace(FORWARD, "x @ w + b", "x @ w - b"),
        # unstable sigmoid written inline
        replace(FORWARD, "reference.sigmoid(x @ w + b)", "1 / (1 + np.exp(-(x @ w + b)))"),
        # sums over the batch instead of the features
        replace(FORWARD, "x @ w + b", "np.sum(x * w, axis=0) + b"),
    ],
    "neuron_predict": [
        # thresholds the weighted sum at 0.5 instead of the probability
        replace(PREDICT, ">= 0)", ">= 0.5)"),
        # strict inequality: a point on the boundary gets class 0
        replace(PREDICT, ">= 0)", "> 0)"),
        # returns probabilities, not labels
        "def neuron_predict(x, w, b):\n    return reference.sigmoid(x @ w + b)\n",
        # forgets the bias
        replace(PREDICT, "x @ w + b", "x @ w"),
        # rounds the probability: np.round(0.5) == 0 (round half to even)
        "def neuron_predict(x, w, b):\n"
        "    return np.round(reference.sigmoid(x @ w + b)).astype(int)\n",
        # boolean labels, not integers
        replace(PREDICT, "(x @ w + b >= 0).astype(np.int64)", "x @ w + b >= 0"),
    ],
}

# Answers that only call the course library's own version of the exercise (the grader scores them
# 0).
# neuron_forward and neuron_predict are not here: they are meant to use reference.sigmoid.
REFERENCE_CALLS: dict[str, list[str]] = {
    "sigmoid": [
        "sigmoid = reference.sigmoid\n",
        "def sigmoid(z):\n    return reference.sigmoid(z)\n",
    ],
    "relu": ["from nnlib.activations import relu\n"],
    "sigmoid_derivative": [
        "def sigmoid_derivative(z):\n    return reference.sigmoid_derivative(z)\n"
    ],
    "relu_derivative": ["import nnlib.activations as act\nrelu_derivative = act.relu_derivative\n"],
    "softmax": ["def softmax(z, axis=-1):\n    return reference.softmax(z, axis=axis)\n"],
}
