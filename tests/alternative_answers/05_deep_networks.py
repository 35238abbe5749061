"""Correct answers to the exercises of solutions/05_deep_networks.md written differently from the
master.

Each must earn the full points of its test cell: the tests grade behaviour, not one implementation.
"""

from __future__ import annotations

ALTERNATIVE_ANSWERS: dict[str, list[str]] = {
    "xavier_uniform": [
        # a Generator is used as is, anything else seeds one; uniform in [0, 1) rescaled to [-a, a)
        """def xavier_uniform(fan_in, fan_out, rng=None, dtype=np.float32):
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    limit = (6 / (fan_in + fan_out)) ** 0.5
    return np.asarray(limit * (2.0 * gen.random((fan_in, fan_out)) - 1.0), dtype=dtype)
""",
        # drawn directly in float32 when float32 is asked for, then scaled in that dtype
        """def xavier_uniform(fan_in, fan_out, rng=None, dtype=np.float32):
    a = np.sqrt(6.0 / (fan_in + fan_out))
    gen = np.random.default_rng(rng)
    if np.dtype(dtype) == np.float32:
        u = gen.random(size=(fan_in, fan_out), dtype=np.float32)
    else:
        u = gen.random(size=(fan_in, fan_out)).astype(dtype)
    return (u * 2 - 1) * np.asarray(a, dtype=dtype)
""",
        # keyword arguments low/high and a float64 result cast with astype
        """def xavier_uniform(fan_in, fan_out, rng=None, dtype=np.float32):
    bound = np.sqrt(6.0) / np.sqrt(fan_in + fan_out)
    W = np.random.default_rng(rng).uniform(low=-bound, high=bound, size=(fan_in, fan_out))
    return W.astype(dtype, copy=False)
""",
    ],
    "he_normal": [
        # a standard normal scaled by the std
        """def he_normal(fan_in, fan_out, rng=None, dtype=np.float32):
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    return (gen.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in)).astype(dtype)
""",
        # float32 draws straight from the generator when float32 is asked for
        """def he_normal(fan_in, fan_out, rng=None, dtype=np.float32):
    gen = np.random.default_rng(rng)
    std = (2.0 / fan_in) ** 0.5
    if np.dtype(dtype) == np.float32:
        return gen.standard_normal((fan_in, fan_out), dtype=np.float32) * np.float32(std)
    return np.asarray(gen.normal(loc=0.0, scale=std, size=(fan_in, fan_out)), dtype=dtype)
""",
    ],
    "batchnorm_forward": [
        # explicit sums; np.var with ddof=1 for the running variance
        """def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    if len(x) < 2:
        raise ValueError(f"need a batch of at least two rows to normalise, x has shape {x.shape}")
    n = x.shape[0]
    mu = x.sum(axis=0) / n
    centred = x - mu
    var = (centred ** 2).sum(axis=0) / n
    x_hat = centred / np.sqrt(var + eps)
    new_mean = momentum * mu + (1 - momentum) * running_mean
    new_var = momentum * np.var(x, axis=0, ddof=1) + (1 - momentum) * running_var
    return gamma * x_hat + beta, new_mean, new_var
""",
        # the inverse standard deviation folded into the scale; running stats from copies updated in
        # place
        """def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    if n <= 1:
        raise ValueError("batchnorm_forward: x of shape " + str(x.shape) + " has fewer than 2 rows")
    mean = np.mean(x, axis=0)
    var = np.mean((x - mean) ** 2, axis=0)
    scale = gamma / np.sqrt(var + eps)
    y = (x - mean) * scale + beta
    new_mean = running_mean.copy()
    new_mean *= 1 - momentum
    new_mean += momentum * mean
    new_var = running_var.copy()
    new_var *= 1 - momentum
    new_var += momentum * var * (n / (n - 1))
    return y, new_mean, new_var
""",
    ],
    "batchnorm_backward": [
        # the staged computational graph (through the variance, then the mean)
        """def batchnorm_backward(grad_out, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    xc = x - mu
    var = (xc ** 2).mean(axis=0)
    std = np.sqrt(var + eps)
    x_hat = xc / std
    dbeta = grad_out.sum(axis=0)
    dgamma = np.sum(grad_out * x_hat, axis=0)
    dx_hat = grad_out * gamma
    dvar = np.sum(dx_hat * xc, axis=0) * -0.5 * std ** -3
    dmu = -np.sum(dx_hat, axis=0) / std + dvar * np.mean(-2.0 * xc, axis=0)
    dx = dx_hat / std + dvar * 2.0 * xc / n + dmu / n
    return dx, dgamma, dbeta
""",
        # means instead of sums inside the bracket; einsum for dgamma
        """def batchnorm_backward(grad_out, x, gamma, eps=1e-5):
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
    dgamma = np.einsum("nd,nd->d", grad_out, x_hat)
    dbeta = np.einsum("nd->d", grad_out)
    dx = (
        gamma
        / np.sqrt(x.var(axis=0) + eps)
        * (grad_out - grad_out.mean(axis=0) - x_hat * (grad_out * x_hat).mean(axis=0))
    )
    return dx, dgamma, dbeta
""",
    ],
    "residual": [
        # calls the block's forward explicitly, np.add; backward adds in the other order
        """class Residual(Module):
    def __init__(self, block):
        super().__init__()
        self.block = block

    def forward(self, x):
        fx = self.block.forward(x)
        if fx.shape != x.shape:
            raise ValueError(
                "block(x) has shape " + str(fx.shape) + " but x has shape " + str(x.shape)
            )
        return np.add(x, fx)

    def backward(self, grad_out):
        grad_block = self.block.backward(grad_out)
        return grad_block + grad_out
""",
        # caches the input and output shapes; a copy of the incoming gradient, the block's gradient
        # added into it
        """class Residual(Module):
    def __init__(self, block: Module) -> None:
        self.block = block
        self.shapes = None

    def forward(self, x):
        out = self.block(x)
        self.shapes = (np.shape(x), np.shape(out))
        if np.shape(out) != np.shape(x):
            raise ValueError(f"shapes differ: x {np.shape(x)} and block(x) {np.shape(out)}")
        y = out + x
        return y

    def backward(self, grad_out):
        dx = np.array(grad_out, copy=True)
        dx += self.block.backward(grad_out)
        return dx
""",
    ],
    "adam_step": [
        # moments in place, p.data replaced by a new array (its values are what is graded)
        """def adam_step(params, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    for p, m_i, v_i in zip(params, m, v):
        m_i[...] = b1 * m_i + (1 - b1) * p.grad
        v_i[...] = b2 * v_i + (1 - b2) * p.grad**2
        p.data = p.data - lr * (m_i / (1 - b1**t)) / (np.sqrt(v_i / (1 - b2**t)) + eps)
""",
        # [...] assignments into the caller's arrays; g * g for the square
        """def adam_step(params, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    beta1, beta2 = betas
    for i, p in enumerate(params):
        g = p.grad
        m[i][...] = beta1 * m[i] + (1 - beta1) * g
        v[i][...] = beta2 * v[i] + (1 - beta2) * g * g
        m_hat = m[i] / (1 - beta1 ** t)
        v_hat = v[i] / (1 - beta2 ** t)
        p.data[...] = p.data - lr * m_hat / (np.sqrt(v_hat) + eps)
""",
        # the bias corrections folded into the step size, eps rescaled so the update is identical
        """def adam_step(params, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    c1, c2 = 1 - b1 ** t, np.sqrt(1 - b2 ** t)
    step = lr * c2 / c1
    for p, m_i, v_i in zip(params, m, v):
        np.multiply(m_i, b1, out=m_i)
        m_i += (1 - b1) * p.grad
        np.multiply(v_i, b2, out=v_i)
        v_i += (1 - b2) * np.square(p.grad)
        p.data -= step * m_i / (np.sqrt(v_i) + eps * c2)
""",
    ],
}
