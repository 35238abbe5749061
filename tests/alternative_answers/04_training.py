"""Correct answers to the exercises of solutions/04_training.md written differently from the master.

Each must earn the full points of its test cell: the tests grade behaviour, not one implementation.
"""

from __future__ import annotations

ALTERNATIVE_ANSWERS: dict[str, list[str]] = {
    "mse_loss": [
        # np.square, the sum divided by the element count, .item() for the float
        """def mse_loss(pred, target):
    if np.shape(pred) != np.shape(target):
        raise ValueError(f"pred {np.shape(pred)} and target {np.shape(target)} differ")
    diff = np.subtract(pred, target)
    n = np.prod(diff.shape)
    return (np.square(diff).sum() / n).item(), diff * (2.0 / n)
""",
        # float64 internally (a float32 input gets a float64 gradient)
        """def mse_loss(pred, target):
    pred = np.asarray(pred, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    if pred.shape != target.shape:
        raise ValueError(
            "shape mismatch: pred " + str(pred.shape) + " vs target " + str(target.shape)
        )
    error = pred - target
    return float(np.mean(error * error)), 2 * error / error.size
""",
        # a dot product of the flattened errors
        """def mse_loss(pred, target):
    if pred.shape != target.shape:
        raise ValueError(f"mse_loss: pred has shape {pred.shape}, target has shape {target.shape}")
    diff = (pred - target).ravel()
    loss = float(diff @ diff) / diff.size
    return loss, (2 / diff.size) * (pred - target)
""",
    ],
    "softmax_cross_entropy": [
        # probabilities minus a one-hot matrix; the loss from the one-hot mask
        """def softmax_cross_entropy(logits, labels):
    n, c = logits.shape
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    exp = np.exp(shifted)
    probs = exp / exp.sum(axis=1, keepdims=True)
    log_probs = shifted - np.log(exp.sum(axis=1, keepdims=True))
    one_hot = np.eye(c)[labels]
    loss = -np.sum(one_hot * log_probs) / n
    return float(loss), (probs - one_hot) / n
""",
        # np.logaddexp.reduce for log-sum-exp and np.take_along_axis for the true class
        """def softmax_cross_entropy(logits, labels):
    n = len(logits)
    log_probs = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)
    picked = np.take_along_axis(log_probs, labels.reshape(-1, 1), axis=1)
    grad = np.exp(log_probs)
    np.subtract.at(grad, (np.arange(n), labels), 1.0)
    return float(-picked.mean()), grad / n
""",
        # the reference nnlib's log_softmax as a building block
        """from nnlib.activations import log_softmax

def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    log_p = log_softmax(logits, axis=1)
    idx = (np.arange(n), np.asarray(labels))
    grad = np.exp(log_p)
    grad[idx] = grad[idx] - 1
    return -float(np.sum(log_p[idx])) / n, grad / n
""",
    ],
    "dense_backward": [
        # einsum for each gradient
        """def dense_backward(x, W, grad_out):
    dx = np.einsum("no,io->ni", grad_out, W)
    dW = np.einsum("ni,no->io", x, grad_out)
    db = np.einsum("no->o", grad_out)
    return dx, dW, db
""",
        # a loop over the examples, summing one outer product per example
        """def dense_backward(x, W, grad_out):
    dW = np.zeros_like(W, dtype=np.float64)
    db = np.zeros(W.shape[1])
    for x_i, g_i in zip(x, grad_out):
        dW += np.outer(x_i, g_i)
        db += g_i
    return np.dot(grad_out, W.T), dW, db
""",
        # the reference nnlib Dense: load W, run forward and backward, read the gradients
        """def dense_backward(x, W, grad_out):
    layer = Dense(W.shape[0], W.shape[1], dtype=W.dtype)
    layer.weight.data[...] = W
    layer(x)
    dx = layer.backward(grad_out)
    return dx, layer.weight.grad, layer.bias.grad
""",
    ],
    "numerical_gradient": [
        # perturbs copies of x: f(x) sees the same values, x is never touched (what the tests can
        # observe)
        """def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (f(plus) - f(minus)) / (2 * eps)
    return grad
""",
        # np.nditer with multi_index (the classic CS231n loop)
        """def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        old = x[i].item()
        x[i] = old + eps
        up = f(x)
        x[i] = old - eps
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
        it.iternext()
    return grad
""",
        # flat indices turned into multi-indices, try/finally to restore x
        """def numerical_gradient(f, x, eps=1e-6):
    grad = np.empty(x.shape)
    for flat in range(x.size):
        index = np.unravel_index(flat, x.shape)
        saved = x[index]
        try:
            x[index] = saved + eps
            f_plus = f(x)
            x[index] = saved - eps
            f_minus = f(x)
        finally:
            x[index] = saved
        grad[index] = (f_plus - f_minus) / eps / 2
    return grad
""",
        # x.flat and grad.flat: one flat position at a time, in place for any memory layout
        """def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros(x.shape, dtype=float)
    for i in range(x.size):
        keep = x.flat[i]
        x.flat[i] = keep + eps
        plus = float(f(x))
        x.flat[i] = keep - eps
        minus = float(f(x))
        x.flat[i] = keep
        grad.flat[i] = (plus - minus) / (2 * eps)
    return grad
""",
    ],
    "sgd_step": [
        # velocities in place, p.data replaced by a new array (its values are what is graded)
        """def sgd_step(params, velocities, lr, momentum=0.0):
    for p, v in zip(params, velocities):
        v *= momentum
        v += p.grad
        p.data = p.data - lr * v
""",
        # whole-array assignments into the existing arrays with [...]
        """def sgd_step(params, velocities, lr, momentum=0.0):
    for p, v in zip(params, velocities):
        v[...] = momentum * v + p.grad
        p.data[...] = p.data - lr * v
""",
        # ufuncs with out=, an index loop
        """def sgd_step(params, velocities, lr, momentum=0.0):
    for i in range(len(params)):
        v = velocities[i]
        np.multiply(v, momentum, out=v)
        np.add(v, params[i].grad, out=v)
        np.subtract(params[i].data, lr * v, out=params[i].data)
""",
    ],
    "train_classifier": [
        # backward_params (no input gradient for the first layer), losses weighted with np.average
        """def train_classifier(model, X, y, *, epochs, batch_size, lr, rng):
    loss_fn = SoftmaxCrossEntropy()
    optimizer = Adam(model.parameters(), lr=lr)
    history = []
    for _ in range(epochs):
        order = rng.permutation(X.shape[0])
        losses, sizes = [], []
        for batch in np.array_split(order, range(batch_size, len(order), batch_size)):
            optimizer.zero_grad()
            losses.append(loss_fn(model(X[batch]), y[batch]))
            model.backward_params(loss_fn.backward())
            optimizer.step()
            sizes.append(len(batch))
        history.append(float(np.average(losses, weights=sizes)))
    return history
""",
        # shuffle both arrays once per epoch and slice; backward_params (no input gradient);
        # batch losses averaged with the batch sizes as weights
        """def train_classifier(model, X, y, *, epochs, batch_size, lr, rng):
    criterion = SoftmaxCrossEntropy()
    opt = Adam(model.parameters(), lr=lr)
    losses_per_epoch = []
    for epoch in range(epochs):
        perm = rng.permutation(X.shape[0])
        X_shuf, y_shuf = X[perm], y[perm]
        losses, sizes = [], []
        for i in range(0, X.shape[0], batch_size):
            xb, yb = X_shuf[i:i + batch_size], y_shuf[i:i + batch_size]
            opt.zero_grad()
            losses.append(criterion(model(xb), yb))
            sizes.append(len(xb))
            model.backward_params(criterion.backward())
            opt.step()
        losses_per_epoch.append(float(np.average(losses, weights=sizes)))
    return losses_per_epoch
""",
        # model.zero_grad() after each step, batches from np.array_split at multiples of batch_size
        """def train_classifier(model, X, y, *, epochs, batch_size, lr, rng):
    loss_fn = SoftmaxCrossEntropy()
    optimizer = Adam(model.parameters(), lr=lr)
    n = len(X)
    model.zero_grad()
    history = []
    for _ in range(epochs):
        batches = np.array_split(rng.permutation(n), range(batch_size, n, batch_size))
        epoch_sum = 0.0
        for batch in batches:
            logits = model.forward(X[batch])
            epoch_sum += len(batch) * loss_fn(logits, y[batch])
            model.backward(loss_fn.backward())
            optimizer.step()
            model.zero_grad()
        history.append(epoch_sum / n)
    return history
""",
    ],
}
