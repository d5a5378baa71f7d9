"""Latent-space helpers (lessons 01 and 06): encode to means, interpolate, sample the prior."""
from __future__ import annotations

import numpy as np

from . import _validate as v


def interpolate(z0, z1, steps: int = 8, kind: str = "linear") -> np.ndarray:
    """``steps`` points from ``z0`` to ``z1`` (both included), shape (steps, K).

    ``kind="linear"``: z(t) = (1 - t) z0 + t z1. ``kind="spherical"`` (slerp; Shoemake, 1985;
    used for Gaussian latents by White, 2016): moves along the great circle, so the norm stays
    near the typical norm of a Gaussian sample instead of dipping in the middle.
    """
    z0 = np.asarray(z0, dtype=np.float64).ravel()
    z1 = np.asarray(z1, dtype=np.float64).ravel()
    if z0.shape != z1.shape or z0.size == 0:
        raise ValueError(f"z0 and z1 must be vectors of the same length, got shapes {z0.shape} and {z1.shape}")
    steps = v.positive_int("steps", steps, minimum=2)
    v.one_of("kind", kind, ("linear", "spherical"))
    t = np.linspace(0.0, 1.0, steps)[:, None]
    if kind == "linear":
        return ((1 - t) * z0 + t * z1).astype(np.float32)
    cos = np.dot(z0, z1) / (np.linalg.norm(z0) * np.linalg.norm(z1) + 1e-12)
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    if omega < 1e-6:  # (nearly) parallel: slerp reduces to lerp
        return ((1 - t) * z0 + t * z1).astype(np.float32)
    out = (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
    return out.astype(np.float32)


def sample_prior(n: int, dim: int, seed: int = 0) -> np.ndarray:
    """``n`` draws from the standard normal prior N(0, I) in ``dim`` dimensions (float32)."""
    n, dim = v.positive_int("n", n), v.positive_int("dim", dim)
    return np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)


def encode(encoder, images, batch_size: int = 500) -> np.ndarray:
    """The code of each image: the encoder's output, or its mean for a VAE encoder (N, K)."""
    images = v.images(images, shape=tuple(encoder.input_shape[1:]))
    out = encoder.predict(images, batch_size=batch_size, verbose=0)
    return np.asarray(out[0] if isinstance(out, (list, tuple)) else out)


def project_2d(codes, method: str = "pca", max_points: int | None = None, seed: int = 0):
    """2-D view of codes by PCA or t-SNE (scikit-learn): returns (coords (n, 2), indices used).

    t-SNE is slow and quadratic in memory: ``max_points`` subsamples (deterministically) first.
    PCA keeps distances along its two axes; t-SNE keeps neighbourhoods but distorts distances
    and cluster sizes (lesson 06).
    """
    codes = np.asarray(codes, dtype=np.float64)
    if codes.ndim != 2 or codes.shape[1] < 2:
        raise ValueError(f"codes must be (N, K) with K >= 2, got {v.describe(codes)}")
    v.one_of("method", method, ("pca", "tsne"))
    idx = np.arange(len(codes))
    if max_points is not None and len(codes) > v.positive_int("max_points", max_points, minimum=10):
        idx = np.sort(np.random.default_rng(seed).choice(len(codes), max_points, replace=False))
    chosen = codes[idx]
    if method == "pca":
        from sklearn.decomposition import PCA

        return PCA(n_components=2, random_state=seed).fit_transform(chosen), idx
    from sklearn.manifold import TSNE

    perplexity = min(30.0, (len(chosen) - 1) / 3)
    return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed).fit_transform(chosen), idx


def traverse(decoder, z, values, dim: int | None = None, direction=None, batch_size: int = 256) -> np.ndarray:
    """Decode z with one latent dimension set to each of ``values`` (``dim``), or z + value * direction.

    Returns images (len(values), H, W, C).
    """
    z = np.asarray(z, dtype=np.float32).ravel()
    k = decoder.input_shape[-1]
    if z.size != k:
        raise ValueError(f"z must have {k} numbers, got {z.size}")
    values = np.asarray(values, dtype=np.float32).ravel()
    if (dim is None) == (direction is None):
        raise ValueError("give exactly one of dim (a latent index) or direction (a vector)")
    codes = np.repeat(z[None], len(values), axis=0)
    if dim is not None:
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not 0 <= dim < k:
            raise ValueError(f"dim must be a latent index in 0..{k - 1}, got {dim!r}")
        codes[:, dim] = values
    else:
        d = np.asarray(direction, dtype=np.float32).ravel()
        if d.size != k or not np.linalg.norm(d):
            raise ValueError(f"direction must be a non-zero vector of {k} numbers")
        codes = codes + values[:, None] * (d / np.linalg.norm(d))
    return decoder.predict(codes, batch_size=batch_size, verbose=0)


def manifold_grid(decoder, n: int = 15, quantile: float = 0.95) -> np.ndarray:
    """Decode a 2-D latent space on an n x n grid of prior quantiles: one (n*H, n*W) image.

    The grid points are Gaussian quantiles from 1 - quantile to quantile, so equal steps on the
    grid hold equal prior probability mass (as in Kingma & Welling, 2014, figure 4).
    """
    from scipy.stats import norm

    if decoder.input_shape[-1] != 2:
        raise ValueError(f"manifold_grid needs a 2-D latent space, this decoder takes {decoder.input_shape[-1]}")
    n = v.positive_int("n", n, minimum=2)
    v.number_in("quantile", quantile, 0.5, 0.999)
    ticks = norm.ppf(np.linspace(1 - quantile, quantile, n))
    zz = np.array([[x, y] for y in ticks[::-1] for x in ticks], dtype=np.float32)
    images = decoder.predict(zz, verbose=0)[..., 0]
    h, w = images.shape[1:3]
    return images.reshape(n, n, h, w).transpose(0, 2, 1, 3).reshape(n * h, n * w)
