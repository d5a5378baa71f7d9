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
