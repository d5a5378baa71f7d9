"""Numerical companions to lesson 02: Monte-Carlo KL, a 1-D GAN with its optimal discriminator.

The closed-form formulas themselves live in :mod:`course_utils.losses`; this module holds what
the lesson uses to *verify* them numerically.
"""
from __future__ import annotations

import numpy as np

from . import _validate as v


def gaussian_kl_monte_carlo(mean, log_var, n_samples: int = 100_000, seed: int = 0) -> np.ndarray:
    """Estimate KL(N(mean, diag(exp(log_var))) || N(0, I)) per row by sampling z ~ q.

    KL = E_q[log q(z) - log p(z)], averaged over ``n_samples`` draws; the standard error shrinks
    like 1/sqrt(n_samples). Returns shape (N,).
    """
    mean = np.asarray(mean, dtype=np.float64)
    log_var = np.asarray(log_var, dtype=np.float64)
    if mean.ndim != 2 or mean.shape != log_var.shape:
        raise ValueError(f"mean and log_var must both have shape (N, K), got {mean.shape} and {log_var.shape}")
    n_samples = v.positive_int("n_samples", n_samples, minimum=2)
    rng = np.random.default_rng(seed)
    std = np.exp(0.5 * log_var)
    out = np.empty(len(mean))
    for i in range(len(mean)):  # rows are few; the samples are vectorised
        eps = rng.standard_normal((n_samples, mean.shape[1]))
        z = mean[i] + std[i] * eps
        log_q = -0.5 * (eps ** 2 + log_var[i] + np.log(2 * np.pi)).sum(1)
        log_p = -0.5 * (z ** 2 + np.log(2 * np.pi)).sum(1)
        out[i] = np.mean(log_q - log_p)
    return out


def normal_pdf(x, mu: float = 0.0, sigma: float = 1.0) -> np.ndarray:
    if sigma <= 0:
        raise ValueError(f"sigma must be > 0, got {sigma}")
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))


def fit_discriminator_1d(real, fake, seed: int = 0):
    """Train a 1-D discriminator on samples: logistic regression on the features (x, x^2).

    For two Gaussians the log density ratio log(p_data / p_g) is quadratic in x, so this model
    family contains the optimal discriminator D*(x) = p_data / (p_data + p_g); with enough samples
    the fit approaches it. Returns a function x -> D(x).
    """
    from sklearn.linear_model import LogisticRegression

    real = np.asarray(real, dtype=np.float64).ravel()
    fake = np.asarray(fake, dtype=np.float64).ravel()
    if real.size < 2 or fake.size < 2:
        raise ValueError(f"need at least 2 real and 2 fake samples, got {real.size} and {fake.size}")
    x = np.concatenate([real, fake])
    y = np.concatenate([np.ones(real.size), np.zeros(fake.size)])
    model = LogisticRegression(C=1e4, max_iter=1000, random_state=seed).fit(np.stack([x, x ** 2], 1), y)
    return lambda t: model.predict_proba(np.stack([np.ravel(t), np.ravel(t) ** 2], 1))[:, 1].reshape(np.shape(t))


def gan_value(d, p_data, p_g, grid) -> float:
    """V(D, G) = E_{p_data}[log D(x)] + E_{p_g}[log(1 - D(x))], integrated on a 1-D grid."""
    grid = np.asarray(grid, dtype=np.float64)
    d = np.clip(np.asarray(d, dtype=np.float64), 1e-12, 1 - 1e-12)
    integrand = np.asarray(p_data) * np.log(d) + np.asarray(p_g) * np.log(1 - d)
    return float(np.trapezoid(integrand, grid))


def js_divergence(p, q, grid) -> float:
    """Jensen-Shannon divergence (nats) of two densities given on the same 1-D grid."""
    p, q = np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)
    m = 0.5 * (p + q)

    def kl(a, b):
        mask = a > 1e-300
        return np.trapezoid(np.where(mask, a * np.log(np.where(mask, a, 1) / np.where(mask, b, 1)), 0.0), grid)

    return float(0.5 * kl(p, m) + 0.5 * kl(q, m))
