"""Plausible wrong answers to the exercises of solutions/05_deep_networks.md; each must lose the
points of its test cell.

New one-line mistakes are edits of the master's solution (`replace`), so they follow the master when
it changes; rewrites are full sources. REFERENCE_CALLS holds answers that only call nnlib's own
version.
"""

from __future__ import annotations

from fixtures.learners import master_solutions, replace

MASTER = master_solutions("05_deep_networks")
XAVIER, HE, BN_FORWARD, BN_BACKWARD, RESIDUAL, ADAM = (
    MASTER[k]
    for k in (
        "xavier_uniform",
        "he_normal",
        "batchnorm_forward",
        "batchnorm_backward",
        "residual",
        "adam_step",
    )
)

WRONG_ANSWERS: dict[str, list[str]] = {
    "xavier_uniform": [
        # ignores the dtype argument
        replace(XAVIER, ".astype(dtype)", ".astype(np.float32)"),
        # a fresh unseeded generator: a seed no longer reproduces the weights
        replace(XAVIER, "np.random.default_rng(rng)", "np.random.default_rng()"),
        # uses the std formula sqrt(2 / (fan_in + fan_out)) as the bound
        """def xavier_uniform(fan_in, fan_out, rng=None, dtype=np.float32):
    a = np.sqrt(2.0 / (fan_in + fan_out))
    return np.random.default_rng(rng).uniform(-a, a, size=(fan_in, fan_out)).astype(dtype)
""",
        # forgets the square root: the variance formula used as the bound
        """def xavier_uniform(fan_in, fan_out, rng=None, dtype=np.float32):
    a = 6.0 / (fan_in + fan_out)
    return np.random.default_rng(rng).uniform(-a, a, size=(fan_in, fan_out)).astype(dtype)
""",
        # only fan_in in the bound (He uniform)
        """def xavier_uniform(fan_in, fan_out, rng=None, dtype=np.float32):
    a = np.sqrt(6.0 / fan_in)
    return np.random.default_rng(rng).uniform(-a, a, size=(fan_in, fan_out)).astype(dtype)
""",
        # the PyTorch (out, in) layout instead of nnlib's (in, out)
        """def xavier_uniform(fan_in, fan_out, rng=None, dtype=np.float32):
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return np.random.default_rng(rng).uniform(-a, a, size=(fan_out, fan_in)).astype(dtype)
""",
        # Xavier normal (right variance, wrong distribution): exceeds the bound
        """def xavier_uniform(fan_in, fan_out, rng=None, dtype=np.float32):
    std = np.sqrt(2.0 / (fan_in + fan_out))
    return np.random.default_rng(rng).normal(0.0, std, size=(fan_in, fan_out)).astype(dtype)
""",
        # ignores rng and draws from NumPy's global generator
        """def xavier_uniform(fan_in, fan_out, rng=None, dtype=np.float32):
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return np.random.uniform(-a, a, size=(fan_in, fan_out)).astype(dtype)
""",
    ],
    "he_normal": [
        # float64 whatever the dtype argument says
        replace(HE, ".astype(dtype)", ""),
        # swapped fans: fan_out in the std
        """def he_normal(fan_in, fan_out, rng=None, dtype=np.float32):
    std = np.sqrt(2.0 / fan_out)
    return np.random.default_rng(rng).normal(0.0, std, size=(fan_in, fan_out)).astype(dtype)
""",
        # passes the variance 2 / fan_in as the scale (the std)
        """def he_normal(fan_in, fan_out, rng=None, dtype=np.float32):
    return np.random.default_rng(rng).normal(
        0.0, 2.0 / fan_in, size=(fan_in, fan_out)
    ).astype(dtype)
""",
        # LeCun's sqrt(1 / fan_in): forgets the factor 2 for ReLU
        """def he_normal(fan_in, fan_out, rng=None, dtype=np.float32):
    std = np.sqrt(1.0 / fan_in)
    return np.random.default_rng(rng).normal(0.0, std, size=(fan_in, fan_out)).astype(dtype)
""",
        # uniform with the right std (He uniform), not a normal distribution
        """def he_normal(fan_in, fan_out, rng=None, dtype=np.float32):
    a = np.sqrt(6.0 / fan_in)
    return np.random.default_rng(rng).uniform(-a, a, size=(fan_in, fan_out)).astype(dtype)
""",
        # re-seeds a fresh generator from a fixed seed: every call gives the same weights
        """def he_normal(fan_in, fan_out, rng=None, dtype=np.float32):
    std = np.sqrt(2.0 / fan_in)
    return np.random.default_rng(0).normal(0.0, std, size=(fan_in, fan_out)).astype(dtype)
""",
    ],
    "batchnorm_forward": [
        # the running mean with the momentum on the wrong side, as a one-line edit
        replace(
            BN_FORWARD,
            "(1 - momentum) * running_mean + momentum * mean",
            "momentum * running_mean + (1 - momentum) * mean",
        ),
        # the shift beta forgotten
        replace(BN_FORWARD, "/ np.sqrt(var + eps) + beta", "/ np.sqrt(var + eps)"),
        # the message does not name the shape of x
        replace(BN_FORWARD, "got x of shape {x.shape}", "got {n} row"),
        # normalises with the unbiased variance
        """def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    if n < 2:
        raise ValueError(f"need 2 rows, got {x.shape}")
    mean, var = x.mean(axis=0), x.var(axis=0, ddof=1)
    y = gamma * (x - mean) / np.sqrt(var + eps) + beta
    return (
        y,
        (1 - momentum) * running_mean + momentum * mean,
        (1 - momentum) * running_var + momentum * var,
    )
""",
        # running variance from the biased variance
        """def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    if n < 2:
        raise ValueError(f"need 2 rows, got {x.shape}")
    mean, var = x.mean(axis=0), x.var(axis=0)
    y = gamma * (x - mean) / np.sqrt(var + eps) + beta
    return (
        y,
        (1 - momentum) * running_mean + momentum * mean,
        (1 - momentum) * running_var + momentum * var,
    )
""",
        # momentum weights the OLD statistics (Keras's convention, not PyTorch's)
        """def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    if n < 2:
        raise ValueError(f"need 2 rows, got {x.shape}")
    mean, var = x.mean(axis=0), x.var(axis=0)
    y = gamma * (x - mean) / np.sqrt(var + eps) + beta
    return (
        y,
        momentum * running_mean + (1 - momentum) * mean,
        momentum * running_var + (1 - momentum) * var * n / (n - 1),
    )
""",
        # eps added outside the square root
        """def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    if n < 2:
        raise ValueError(f"need 2 rows, got {x.shape}")
    mean, var = x.mean(axis=0), x.var(axis=0)
    y = gamma * (x - mean) / (np.sqrt(var) + eps) + beta
    return (
        y,
        (1 - momentum) * running_mean + momentum * mean,
        (1 - momentum) * running_var + momentum * var * n / (n - 1),
    )
""",
        # normalises each row instead of each feature
        """def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    if n < 2:
        raise ValueError(f"need 2 rows, got {x.shape}")
    y = (
        gamma * (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + eps)
        + beta
    )
    mean, var = x.mean(axis=0), x.var(axis=0)
    return (
        y,
        (1 - momentum) * running_mean + momentum * mean,
        (1 - momentum) * running_var + momentum * var * n / (n - 1),
    )
""",
        # updates the caller's running statistics in place
        """def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    if n < 2:
        raise ValueError(f"need 2 rows, got {x.shape}")
    mean, var = x.mean(axis=0), x.var(axis=0)
    running_mean *= 1 - momentum
    running_mean += momentum * mean
    running_var *= 1 - momentum
    running_var += momentum * var * n / (n - 1)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, running_mean, running_var
""",
        # no check for a batch of one row: returns NaN running variances
        """def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    mean, var = x.mean(axis=0), x.var(axis=0)
    y = gamma * (x - mean) / np.sqrt(var + eps) + beta
    with np.errstate(all="ignore"):
        unbiased = var * n / (n - 1)
    return (
        y,
        (1 - momentum) * running_mean + momentum * mean,
        (1 - momentum) * running_var + momentum * unbiased,
    )
""",
    ],
    "batchnorm_backward": [
        # eps forgotten in the backward pass (the forward used it)
        replace(BN_BACKWARD, "np.sqrt(x.var(axis=0) + eps)", "np.sqrt(x.var(axis=0))"),
        # sums over the features instead of the batch for dbeta
        replace(BN_BACKWARD, "dbeta = grad_out.sum(axis=0)", "dbeta = grad_out.sum(axis=1)"),
        # treats mean and variance as constants (the evaluation-mode gradient)
        """def batchnorm_backward(grad_out, x, gamma, eps=1e-5):
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) * inv_std
    return grad_out * gamma * inv_std, (grad_out * x_hat).sum(axis=0), grad_out.sum(axis=0)
""",
        # follows the mean but forgets that the variance depends on x
        """def batchnorm_backward(grad_out, x, gamma, eps=1e-5):
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) * inv_std
    dx = gamma * inv_std * (grad_out - grad_out.mean(axis=0))
    return dx, (grad_out * x_hat).sum(axis=0), grad_out.sum(axis=0)
""",
        # dgamma without x_hat (copies dbeta)
        """def batchnorm_backward(grad_out, x, gamma, eps=1e-5):
    n = x.shape[0]
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) * inv_std
    dbeta = grad_out.sum(axis=0)
    dx = gamma * inv_std / n * (n * grad_out - dbeta - x_hat * (grad_out * x_hat).sum(axis=0))
    return dx, dbeta, dbeta
""",
        # averages dgamma and dbeta over the batch instead of summing
        """def batchnorm_backward(grad_out, x, gamma, eps=1e-5):
    n = x.shape[0]
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) * inv_std
    dbeta = grad_out.mean(axis=0)
    dgamma = (grad_out * x_hat).mean(axis=0)
    dx = gamma * inv_std * (grad_out - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta
""",
        # forgets the factor gamma in dx
        """def batchnorm_backward(grad_out, x, gamma, eps=1e-5):
    n = x.shape[0]
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) * inv_std
    dbeta = grad_out.sum(axis=0)
    dgamma = (grad_out * x_hat).sum(axis=0)
    return inv_std / n * (n * grad_out - dbeta - x_hat * dgamma), dgamma, dbeta
""",
        # recomputes x_hat with the unbiased variance
        """def batchnorm_backward(grad_out, x, gamma, eps=1e-5):
    n = x.shape[0]
    inv_std = 1.0 / np.sqrt(x.var(axis=0, ddof=1) + eps)
    x_hat = (x - x.mean(axis=0)) * inv_std
    dbeta = grad_out.sum(axis=0)
    dgamma = (grad_out * x_hat).sum(axis=0)
    return gamma * inv_std / n * (n * grad_out - dbeta - x_hat * dgamma), dgamma, dbeta
""",
    ],
    "residual": [
        # the block's gradient without the identity path, as a one-line edit
        replace(
            RESIDUAL,
            "return grad_out + self.block.backward(grad_out)",
            "return self.block.backward(grad_out)",
        ),
        # forgets the skip in forward
        """class Residual(Module):
    def __init__(self, block):
        self.block = block

    def forward(self, x):
        return self.block(x)

    def backward(self, grad_out):
        return grad_out + self.block.backward(grad_out)
""",
        # forgets the identity path in backward
        """class Residual(Module):
    def __init__(self, block):
        self.block = block

    def forward(self, x):
        out = self.block(x)
        if out.shape != x.shape:
            raise ValueError(f"shapes {x.shape} and {out.shape} differ")
        return x + out

    def backward(self, grad_out):
        return self.block.backward(grad_out)
""",
        # passes the gradient around the block only: the block's weights never get gradients
        """class Residual(Module):
    def __init__(self, block):
        self.block = block

    def forward(self, x):
        out = self.block(x)
        if out.shape != x.shape:
            raise ValueError(f"shapes {x.shape} and {out.shape} differ")
        return x + out

    def backward(self, grad_out):
        return grad_out
""",
        # multiplies the two paths instead of adding them
        """class Residual(Module):
    def __init__(self, block):
        self.block = block

    def forward(self, x):
        out = self.block(x)
        if out.shape != x.shape:
            raise ValueError(f"shapes {x.shape} and {out.shape} differ")
        return x + out

    def backward(self, grad_out):
        return grad_out * self.block.backward(grad_out)
""",
        # no shape check: a block output of shape (N, 1) broadcasts silently
        """class Residual(Module):
    def __init__(self, block):
        self.block = block

    def forward(self, x):
        return x + self.block(x)

    def backward(self, grad_out):
        return grad_out + self.block.backward(grad_out)
""",
        # adds the block's output into the caller's input array
        """class Residual(Module):
    def __init__(self, block):
        self.block = block

    def forward(self, x):
        out = self.block(x)
        if out.shape != x.shape:
            raise ValueError(f"shapes {x.shape} and {out.shape} differ")
        x += out
        return x

    def backward(self, grad_out):
        return grad_out + self.block.backward(grad_out)
""",
    ],
    "adam_step": [
        # updates m in place but rebinds v: the caller's second moments stay zero
        replace(
            ADAM,
            "v_i *= b2\n        v_i += (1 - b2) * p.grad**2",
            "v_i = b2 * v_i + (1 - b2) * p.grad**2",
        ),
        # no bias correction: the first steps are sqrt(1 - b2) / (1 - b1) times too large
        """def adam_step(params, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    for p, m_i, v_i in zip(params, m, v):
        m_i *= b1
        m_i += (1 - b1) * p.grad
        v_i *= b2
        v_i += (1 - b2) * p.grad**2
        p.data -= lr * m_i / (np.sqrt(v_i) + eps)
""",
        # eps inside the square root: wrong for small gradients
        """def adam_step(params, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    for p, m_i, v_i in zip(params, m, v):
        m_i *= b1
        m_i += (1 - b1) * p.grad
        v_i *= b2
        v_i += (1 - b2) * p.grad**2
        p.data -= lr * (m_i / (1 - b1**t)) / np.sqrt(v_i / (1 - b2**t) + eps)
""",
        # swaps the weights of the moving average: m = (1 - b1) m + b1 g
        """def adam_step(params, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    for p, m_i, v_i in zip(params, m, v):
        m_i *= 1 - b1
        m_i += b1 * p.grad
        v_i *= 1 - b2
        v_i += b2 * p.grad**2
        p.data -= lr * (m_i / (1 - b1**t)) / (np.sqrt(v_i / (1 - b2**t)) + eps)
""",
        # rebinds m_i and v_i: the caller's moments stay zero, every step looks like the first
        """def adam_step(params, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    for p, m_i, v_i in zip(params, m, v):
        m_i = b1 * m_i + (1 - b1) * p.grad
        v_i = b2 * v_i + (1 - b2) * p.grad**2
        p.data -= lr * (m_i / (1 - b1**t)) / (np.sqrt(v_i / (1 - b2**t)) + eps)
""",
        # bias correction with b^(t+1): treats the first step as the second
        """def adam_step(params, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    for p, m_i, v_i in zip(params, m, v):
        m_i *= b1
        m_i += (1 - b1) * p.grad
        v_i *= b2
        v_i += (1 - b2) * p.grad**2
        p.data -= lr * (m_i / (1 - b1 ** (t + 1))) / (np.sqrt(v_i / (1 - b2 ** (t + 1))) + eps)
""",
        # second moment of |g| instead of g^2
        """def adam_step(params, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    for p, m_i, v_i in zip(params, m, v):
        m_i *= b1
        m_i += (1 - b1) * p.grad
        v_i *= b2
        v_i += (1 - b2) * np.abs(p.grad)
        p.data -= lr * (m_i / (1 - b1**t)) / (np.sqrt(v_i / (1 - b2**t)) + eps)
""",
    ],
}

# Answers that only call the course library's own version of the exercise (the grader scores them
# 0).
REFERENCE_CALLS: dict[str, list[str]] = {
    "xavier_uniform": ["from nnlib.init import xavier_uniform\n"],
    "he_normal": [
        "import nnlib.init\n\ndef he_normal(fan_in, fan_out, rng=None, dtype=np.float32):\n"
        "    return nnlib.init.he_normal(fan_in, fan_out, rng=rng, dtype=dtype)\n"
    ],
    "residual": ["Residual = nnlib.residual.Residual\n"],
}
