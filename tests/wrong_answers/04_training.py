"""Plausible wrong answers to the exercises of solutions/04_training.md; each must lose the points
of its test cell.

One-line mistakes are edits of the master's solution (`replace`), so they follow the master when it
changes; rewrites are full sources. REFERENCE_CALLS holds answers that only call nnlib's own
version.
"""

from __future__ import annotations

from fixtures.learners import master_solutions, replace

MASTER = master_solutions("04_training")
MSE, XENT, DENSE, NUMGRAD, SGD_, TRAIN = (
    MASTER[k]
    for k in (
        "mse_loss",
        "softmax_cross_entropy",
        "dense_backward",
        "numerical_gradient",
        "sgd_step",
        "train_classifier",
    )
)

WRONG_ANSWERS: dict[str, list[str]] = {
    "mse_loss": [
        # sum instead of mean
        replace(
            MSE,
            "return float(np.mean(diff**2)), 2.0 * diff / diff.size",
            "return float(np.sum(diff**2)), 2.0 * diff",
        ),
        # forgets the factor 2 of the derivative of the square
        replace(MSE, "2.0 * diff / diff.size", "diff / diff.size"),
        # divides the gradient by the batch size instead of the number of elements
        replace(MSE, "2.0 * diff / diff.size", "2.0 * diff / pred.shape[0]"),
        # no shape check: (N, 1) against (N,) broadcasts to (N, N)
        "def mse_loss(pred, target):\n    diff = pred - target\n"
        "    return float(np.mean(diff**2)), 2 * diff / diff.size\n",
        # wrong sign of the gradient (target - pred)
        replace(MSE, "diff = pred - target", "diff = target - pred"),
        # compares only the number of elements: transposed shapes slip through
        replace(MSE, "if pred.shape != target.shape:", "if pred.size != target.size:"),
    ],
    "softmax_cross_entropy": [
        # textbook softmax without the max shift: overflows for logits of 1000
        replace(XENT, "shifted = logits - logits.max(axis=1, keepdims=True)", "shifted = logits"),
        # sums over the batch instead of averaging (loss and gradient)
        replace(
            XENT,
            "return float(-log_probs[rows, labels].mean()), grad / n",
            "return float(-log_probs[rows, labels].sum()), grad",
        ),
        # mean loss, but the gradient is not divided by the batch size
        replace(XENT, "grad / n", "grad"),
        # wrong sign of the gradient (one_hot - softmax)
        replace(XENT, "grad / n", "-grad / n"),
        # indexes with [:, labels]: an (N, N) block instead of one entry per row
        replace(XENT, "grad[rows, labels] -= 1.0", "grad[:, labels] -= 1.0"),
        # shifts the caller's logits in place
        replace(
            XENT,
            "shifted = logits - logits.max(axis=1, keepdims=True)",
            "logits -= logits.max(axis=1, keepdims=True)\n    shifted = logits",
        ),
        # shifts by the global maximum: a row far below it underflows to log(0)
        replace(XENT, "logits.max(axis=1, keepdims=True)", "logits.max()"),
    ],
    "dense_backward": [
        # missing transpose on W: (N, out) @ (in, out) only works when in == out
        replace(DENSE, "grad_out @ W.T", "grad_out @ W"),
        # transposed weight gradient: (out, in) instead of (in, out)
        replace(DENSE, "x.T @ grad_out", "grad_out.T @ x"),
        # forgets the bias gradient
        replace(DENSE, "grad_out.sum(axis=0)", "np.zeros(W.shape[1])"),
        # averages the bias gradient over the batch (sum-vs-mean confusion)
        replace(DENSE, "grad_out.sum(axis=0)", "grad_out.mean(axis=0)"),
        # divides the weight gradient by the batch size a second time
        replace(DENSE, "x.T @ grad_out,", "x.T @ grad_out / x.shape[0],"),
        # sums the bias gradient over the features instead of the batch
        replace(DENSE, "grad_out.sum(axis=0)", "grad_out.sum(axis=1)"),
    ],
    "numerical_gradient": [
        # one-sided (forward) difference
        """def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    f0 = f(x)
    for index in np.ndindex(x.shape):
        original = x[index].copy()
        x[index] = original + eps
        grad[index] = (f(x) - f0) / eps
        x[index] = original
    return grad
""",
        # central difference divided by eps instead of 2 eps
        replace(NUMGRAD, "(2.0 * eps)", "eps"),
        # restores with += eps after -= 2 eps: x drifts by rounding and is not restored exactly
        """def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        x[index] += eps
        f_plus = f(x)
        x[index] -= 2 * eps
        f_minus = f(x)
        x[index] += eps
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad
""",
        # loops over the first axis only: perturbs whole rows of a matrix at once
        replace(NUMGRAD, "for index in np.ndindex(x.shape):", "for index in range(len(x)):"),
        # the gradient in x's dtype: float32 for a float32 x
        replace(NUMGRAD, "np.zeros(x.shape, dtype=np.float64)", "np.zeros_like(x)"),
        # forgets to restore the entry
        replace(NUMGRAD, "        x[index] = original\n", ""),
    ],
    "sgd_step": [
        # moves along the gradient instead of against it
        replace(SGD_, "p.data -= lr * v", "p.data += lr * v"),
        # ignores the momentum
        """def sgd_step(params, velocities, lr, momentum=0.0):
    for p, v in zip(params, velocities):
        p.data -= lr * p.grad
""",
        # rebinds the loop variable: the caller's velocities stay zero
        replace(SGD_, "v *= momentum\n        v += p.grad", "v = momentum * v + p.grad"),
        # dampened momentum (an exponential average), not PyTorch's rule
        replace(SGD_, "v += p.grad", "v += (1 - momentum) * p.grad"),
        # uses the old velocity for the step, then updates it
        """def sgd_step(params, velocities, lr, momentum=0.0):
    for p, v in zip(params, velocities):
        p.data -= lr * v
        v *= momentum
        v += p.grad
""",
        # momentum 0 as a special case that leaves the velocities untouched
        replace(
            SGD_,
            "for p, v in zip(params, velocities):",
            "if momentum == 0:\n        for p in params:\n            p.data -= lr * p.grad\n"
            "        return\n"
            "    for p, v in zip(params, velocities):",
        ),
    ],
    "train_classifier": [
        # never resets the gradients: backward keeps adding into .grad
        replace(TRAIN, "            optimizer.zero_grad()\n", ""),
        # never backpropagates through the model: the gradients stay zero
        replace(TRAIN, "model.backward(loss_fn.backward())", "loss_fn.backward()"),
        # optimizer.step() indented out of the batch loop: one step per epoch, from the last batch
        replace(
            TRAIN,
            "            optimizer.step()\n            total += loss * len(batch)\n",
            "            total += loss * len(batch)\n        optimizer.step()\n",
        ),
        # never shuffles: the same mini-batches in the same order every epoch
        replace(TRAIN, "order = rng.permutation(len(X))", "order = np.arange(len(X))"),
        # shuffles with the global NumPy generator: runs cannot be repeated
        replace(TRAIN, "order = rng.permutation(len(X))", "order = np.random.permutation(len(X))"),
        # records the sum of the mini-batch losses instead of the mean over the examples
        replace(TRAIN, "total += loss * len(batch)", "total += loss * len(X)"),
        # the unweighted mean of the batch losses: the small last batch counts as much as a full one
        replace(
            TRAIN,
            "total += loss * len(batch)\n        history.append(total / len(X))",
            "total += loss\n        history.append(total / int(np.ceil(len(X) / batch_size)))",
        ),
        # reports the last batch's loss
        replace(TRAIN, "history.append(total / len(X))", "history.append(loss)"),
        # shuffles once, before the first epoch
        replace(
            TRAIN,
            "    for _ in range(epochs):\n        order = rng.permutation(len(X))\n",
            "    order = rng.permutation(len(X))\n    for _ in range(epochs):\n",
        ),
        # drops the last partial batch
        replace(
            TRAIN,
            "for start in range(0, len(X), batch_size):",
            "for start in range(0, len(X) - batch_size + 1, batch_size):",
        ),
        # trains on the notebook's X_train, y_train instead of its arguments
        replace(
            TRAIN,
            "loss = loss_fn(model(X[batch]), y[batch])",
            "loss = loss_fn(model(X_train[batch]), y_train[batch])",
        ),
        # keeps training until the TEST set reaches 90%, whatever `epochs` says
        replace(
            TRAIN,
            "    return history",
            "        if len(history) >= epochs and accuracy(model(X_test), y_test) >= 0.9:\n"
            "            break\n    return history",
        ).replace("for _ in range(epochs):", "for _ in range(10 * epochs):"),
    ],
}

# Answers that only call the course library's own version of the exercise (the grader scores them
# 0).
REFERENCE_CALLS: dict[str, list[str]] = {
    "numerical_gradient": ["numerical_gradient = nnlib.gradcheck.numerical_gradient\n"],
}
