"""Plausible wrong answers to the exercises of solutions/04_training.md; each must lose the points of its test cell."""
from __future__ import annotations

WRONG_ANSWERS: dict[str, list[str]] = {
    "mse_loss": [
        # sum instead of mean
        """def mse_loss(pred, target):
    if pred.shape != target.shape:
        raise ValueError(f"shapes {pred.shape} and {target.shape} differ")
    diff = pred - target
    return float(np.sum(diff**2)), 2 * diff
""",
        # forgets the factor 2 of the derivative of the square
        """def mse_loss(pred, target):
    if pred.shape != target.shape:
        raise ValueError(f"shapes {pred.shape} and {target.shape} differ")
    diff = pred - target
    return float(np.mean(diff**2)), diff / diff.size
""",
        # divides the gradient by the batch size instead of the number of elements
        """def mse_loss(pred, target):
    if pred.shape != target.shape:
        raise ValueError(f"shapes {pred.shape} and {target.shape} differ")
    diff = pred - target
    return float(np.mean(diff**2)), 2 * diff / pred.shape[0]
""",
        # no shape check: (N, 1) against (N,) broadcasts to (N, N)
        """def mse_loss(pred, target):
    diff = pred - target
    return float(np.mean(diff**2)), 2 * diff / diff.size
""",
        # wrong sign of the gradient (target - pred)
        """def mse_loss(pred, target):
    if pred.shape != target.shape:
        raise ValueError(f"shapes {pred.shape} and {target.shape} differ")
    diff = target - pred
    return float(np.mean(diff**2)), 2 * diff / diff.size
""",
    ],
    "softmax_cross_entropy": [
        # textbook softmax without the max shift: overflows for logits of 1000
        """def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(n), labels]).mean()
    grad = probs.copy()
    grad[np.arange(n), labels] -= 1
    return float(loss), grad / n
""",
        # sums over the batch instead of averaging (loss and gradient)
        """def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    grad = np.exp(log_probs)
    grad[np.arange(n), labels] -= 1
    return float(-log_probs[np.arange(n), labels].sum()), grad
""",
        # mean loss, but the gradient is not divided by the batch size
        """def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    grad = np.exp(log_probs)
    grad[np.arange(n), labels] -= 1
    return float(-log_probs[np.arange(n), labels].mean()), grad
""",
        # wrong sign of the gradient (one_hot - softmax)
        """def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    one_hot = np.zeros_like(logits)
    one_hot[np.arange(n), labels] = 1
    return float(-log_probs[np.arange(n), labels].mean()), (one_hot - np.exp(log_probs)) / n
""",
        # indexes with [:, labels]: an (N, N) block instead of one entry per row
        """def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    grad = np.exp(log_probs)
    grad[:, labels] -= 1
    return float(-log_probs[:, labels].mean()), grad / n
""",
        # shifts the caller's logits in place
        """def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    logits -= logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    grad = np.exp(log_probs)
    grad[np.arange(n), labels] -= 1
    return float(-log_probs[np.arange(n), labels].mean()), grad / n
""",
    ],
    "dense_backward": [
        # missing transpose on W: (N, out) @ (in, out) only works when in == out
        """def dense_backward(x, W, grad_out):
    return grad_out @ W, x.T @ grad_out, grad_out.sum(axis=0)
""",
        # transposed weight gradient: (out, in) instead of (in, out)
        """def dense_backward(x, W, grad_out):
    return grad_out @ W.T, grad_out.T @ x, grad_out.sum(axis=0)
""",
        # forgets the bias gradient
        """def dense_backward(x, W, grad_out):
    return grad_out @ W.T, x.T @ grad_out, np.zeros(W.shape[1])
""",
        # averages the bias gradient over the batch (sum-vs-mean confusion)
        """def dense_backward(x, W, grad_out):
    return grad_out @ W.T, x.T @ grad_out, grad_out.mean(axis=0)
""",
        # divides the weight gradient by the batch size a second time
        """def dense_backward(x, W, grad_out):
    return grad_out @ W.T, x.T @ grad_out / x.shape[0], grad_out.sum(axis=0)
""",
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
        """def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index].copy()
        x[index] = original + eps
        f_plus = f(x)
        x[index] = original - eps
        f_minus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_minus) / eps
    return grad
""",
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
        # perturbs a copy: f cannot see the perturbation through another name
        """def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (f(plus) - f(minus)) / (2 * eps)
    return grad
""",
        # loops over the first axis only: perturbs whole rows of a matrix at once
        """def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for i in range(len(x)):
        original = x[i].copy()
        x[i] = original + eps
        f_plus = f(x)
        x[i] = original - eps
        f_minus = f(x)
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
""",
    ],
    "sgd_step": [
        # moves along the gradient instead of against it
        """def sgd_step(params, velocities, lr, momentum=0.0):
    for p, v in zip(params, velocities):
        v *= momentum
        v += p.grad
        p.data += lr * v
""",
        # ignores the momentum
        """def sgd_step(params, velocities, lr, momentum=0.0):
    for p, v in zip(params, velocities):
        p.data -= lr * p.grad
""",
        # rebinds the loop variable: the caller's velocities stay zero
        """def sgd_step(params, velocities, lr, momentum=0.0):
    for p, v in zip(params, velocities):
        v = momentum * v + p.grad
        p.data -= lr * v
""",
        # dampened momentum (an exponential average), not PyTorch's rule
        """def sgd_step(params, velocities, lr, momentum=0.0):
    for p, v in zip(params, velocities):
        v *= momentum
        v += (1 - momentum) * p.grad
        p.data -= lr * v
""",
        # uses the old velocity for the step, then updates it
        """def sgd_step(params, velocities, lr, momentum=0.0):
    for p, v in zip(params, velocities):
        p.data -= lr * v
        v *= momentum
        v += p.grad
""",
        # replaces p.data by a new array instead of updating it in place
        """def sgd_step(params, velocities, lr, momentum=0.0):
    for p, v in zip(params, velocities):
        v *= momentum
        v += p.grad
        p.data = p.data - lr * v
""",
    ],
    "train_classifier": [
        # never resets the gradients: backward keeps adding into .grad
        """def train_classifier(model, X, y, *, epochs, batch_size, lr, rng):
    loss_fn = SoftmaxCrossEntropy()
    optimizer = Adam(model.parameters(), lr=lr)
    history = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        total = 0.0
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            loss = loss_fn(model(X[batch]), y[batch])
            total += loss * len(batch)
            model.backward(loss_fn.backward())
            optimizer.step()
        history.append(total / len(X))
    return history
""",
        # never backpropagates through the model: the gradients stay zero
        """def train_classifier(model, X, y, *, epochs, batch_size, lr, rng):
    loss_fn = SoftmaxCrossEntropy()
    optimizer = Adam(model.parameters(), lr=lr)
    history = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        total = 0.0
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[batch]), y[batch])
            total += loss * len(batch)
            loss_fn.backward()
            optimizer.step()
        history.append(total / len(X))
    return history
""",
        # optimizer.step() indented out of the batch loop: one step per epoch, from the last batch
        """def train_classifier(model, X, y, *, epochs, batch_size, lr, rng):
    loss_fn = SoftmaxCrossEntropy()
    optimizer = Adam(model.parameters(), lr=lr)
    history = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        total = 0.0
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[batch]), y[batch])
            total += loss * len(batch)
            model.backward(loss_fn.backward())
        optimizer.step()
        history.append(total / len(X))
    return history
""",
        # never shuffles: the same mini-batches in the same order every epoch
        """def train_classifier(model, X, y, *, epochs, batch_size, lr, rng):
    loss_fn = SoftmaxCrossEntropy()
    optimizer = Adam(model.parameters(), lr=lr)
    history = []
    for _ in range(epochs):
        total = 0.0
        for start in range(0, len(X), batch_size):
            xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            total += loss * len(xb)
            model.backward(loss_fn.backward())
            optimizer.step()
        history.append(total / len(X))
    return history
""",
        # shuffles with the global NumPy generator: runs cannot be repeated
        """def train_classifier(model, X, y, *, epochs, batch_size, lr, rng):
    loss_fn = SoftmaxCrossEntropy()
    optimizer = Adam(model.parameters(), lr=lr)
    history = []
    for _ in range(epochs):
        order = np.random.permutation(len(X))
        total = 0.0
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[batch]), y[batch])
            total += loss * len(batch)
            model.backward(loss_fn.backward())
            optimizer.step()
        history.append(total / len(X))
    return history
""",
        # records the sum of the mini-batch losses instead of the mean over the examples
        """def train_classifier(model, X, y, *, epochs, batch_size, lr, rng):
    loss_fn = SoftmaxCrossEntropy()
    optimizer = Adam(model.parameters(), lr=lr)
    history = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        total = 0.0
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            total += loss_fn(model(X[batch]), y[batch])
            model.backward(loss_fn.backward())
            optimizer.step()
        history.append(total)
    return history
""",
    ],
}
