"""Interpretable directions in a latent space (lesson 07), found three ways.

* **Supervised** (InterFaceGAN; Shen et al., 2020): fit a linear model from latent codes to an
  attribute; its normal vector is the direction that changes the attribute. *Conditional*
  manipulation projects out a second attribute's direction so that it stays fixed.
* **PCA of early activations** (GANSpace; Härkönen et al., 2020): sample z, take PCA of an early
  layer's activations, and map the principal axes back to latent space by linear regression.
* **Closed-form factorisation** (SeFa; Shen & Zhou, 2021): the directions that the first layer's
  weights A stretch most — the eigenvectors of A^T A, sorted by eigenvalue.
"""
from __future__ import annotations

import numpy as np

from . import _validate as v


def _unit(vec) -> np.ndarray:
    vec = np.asarray(vec, dtype=np.float64).ravel()
    norm = np.linalg.norm(vec)
    if norm == 0:
        raise ValueError("the direction has zero length")
    return vec / norm


def attribute_direction(codes, attribute, kind: str = "linear", seed: int = 0) -> np.ndarray:
    """Unit vector in code space along which ``attribute`` increases (InterFaceGAN-style).

    ``kind="linear"``: least-squares regression of a continuous attribute on the codes;
    ``kind="logistic"``: the normal of a logistic-regression boundary for a binary attribute.
    """
    codes = np.asarray(codes, dtype=np.float64)
    attribute = np.asarray(attribute)
    if codes.ndim != 2 or attribute.shape != (len(codes),):
        raise ValueError(f"codes must be (N, K) and attribute (N,), got {codes.shape} and {attribute.shape}")
    v.one_of("kind", kind, ("linear", "logistic"))
    if kind == "linear":
        from sklearn.linear_model import LinearRegression

        return _unit(LinearRegression().fit(codes, attribute.astype(np.float64)).coef_)
    from sklearn.linear_model import LogisticRegression

    if set(np.unique(attribute)) - {0, 1}:
        raise ValueError("a logistic direction needs a binary (0/1) attribute")
    return _unit(LogisticRegression(max_iter=2000, random_state=seed).fit(codes, attribute).coef_[0])


def conditional_direction(primary, condition) -> np.ndarray:
    """``primary`` with its component along ``condition`` removed, renormalised (Shen et al., 2020).

    Moving along the result changes the primary attribute while keeping the (linear prediction
    of the) conditioned attribute fixed; the two directions are orthogonal.
    """
    n1, n2 = _unit(primary), _unit(condition)
    if n1.shape != n2.shape:
        raise ValueError(f"the directions must have the same length, got {n1.shape} and {n2.shape}")
    if abs(n1 @ n2) > 1 - 1e-9:
        raise ValueError("the directions are parallel: nothing is left after projecting one out")
    return _unit(n1 - (n1 @ n2) * n2)


def edit(z, direction, alphas) -> np.ndarray:
    """Codes z + alpha * direction for every alpha: shape (len(alphas), N, K) (or (len(alphas), K))."""
    z = np.asarray(z, dtype=np.float32)
    d = _unit(direction).astype(np.float32)
    if z.shape[-1] != d.size:
        raise ValueError(f"z has {z.shape[-1]} dimensions, the direction {d.size}")
    a = np.asarray(alphas, dtype=np.float32).reshape((-1,) + (1,) * z.ndim)
    return z[None] + a * d


def edit_measurements(generator, starts, direction, alphas, measures: dict) -> dict:
    """Edit every start code along ``direction`` by every alpha, decode them all in one batched call,
    and measure the images: ``{name: array (N starts, len(alphas))}`` for ``measures = {name: fn}``,
    where each ``fn`` maps a batch of images to one number per image (e.g. ``attributes.ink``)."""
    starts = np.asarray(starts, dtype=np.float32)
    if starts.ndim != 2 or not measures:
        raise ValueError(f"starts must be (N, K) codes and measures a non-empty {{name: function}} dict, "
                         f"got starts of shape {starts.shape} and {len(measures)} measures")
    codes = edit(starts, direction, alphas)  # (A, N, K)
    n_alphas, n_starts = codes.shape[:2]
    images = generator.predict(codes.reshape(n_alphas * n_starts, -1), batch_size=256, verbose=0)
    return {name: np.asarray(fn(images), dtype=np.float64).reshape(n_alphas, n_starts).T for name, fn in measures.items()}


def monotonicity(alphas, values) -> np.ndarray:
    """Spearman rank correlation of the edit strength with a measurement, one per start (row of ``values``)."""
    from .attribution import spearman_rows

    values = np.asarray(values, dtype=np.float64)
    alphas = np.asarray(alphas, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] != alphas.size:
        raise ValueError(f"values must be (N starts, {alphas.size} alphas), got {values.shape}")
    return spearman_rows(np.broadcast_to(alphas, values.shape), values)


def sefa(kernel, n_directions: int | None = None):
    """SeFa (Shen & Zhou, 2021): eigenvectors of A^T A for the first layer y = A z.

    ``kernel`` is a Keras Dense kernel, shape (latent, out) — i.e. A^T. Returns (directions
    (n, latent) as rows, eigenvalues (n,)), sorted from the largest eigenvalue down.
    """
    k = np.asarray(kernel, dtype=np.float64)
    if k.ndim != 2:
        raise ValueError(f"kernel must be a 2-D weight matrix (latent, out), got {v.describe(k)}")
    gram = k @ k.T  # = A^T A, (latent, latent)
    eigenvalues, eigenvectors = np.linalg.eigh(gram)
    order = np.argsort(eigenvalues)[::-1]
    n = len(order) if n_directions is None else v.positive_int("n_directions", n_directions)
    return eigenvectors[:, order[:n]].T, eigenvalues[order[:n]]


def ganspace(generator, layer_name: str, n_samples: int = 5000, n_components: int = 10, seed: int = 0):
    """GANSpace (Härkönen et al., 2020) for a generator with a latent input z ~ N(0, I).

    Samples z, reads the activations of ``layer_name``, finds their principal components, and
    regresses z on the PCA coordinates; the regression's columns are the latent directions.
    Returns (directions (n_components, latent) as unit rows, explained variance ratios).
    """
    from sklearn.decomposition import PCA

    from .activations import layer_outputs

    n_samples = v.positive_int("n_samples", n_samples, minimum=10)
    n_components = v.positive_int("n_components", n_components)
    latent = generator.input_shape[-1]
    z = np.random.default_rng(seed).standard_normal((n_samples, latent)).astype(np.float32)
    acts = layer_outputs(generator, layer_name, z)[layer_name].reshape(n_samples, -1)
    if n_components > min(acts.shape[1], latent):
        raise ValueError(f"n_components must be <= {min(acts.shape[1], latent)}, got {n_components}")
    pca = PCA(n_components=n_components, random_state=seed)
    coords = pca.fit_transform(acts)
    basis, *_ = np.linalg.lstsq(coords, z, rcond=None)  # z ~ coords @ basis
    directions = basis / np.linalg.norm(basis, axis=1, keepdims=True)
    return directions, pca.explained_variance_ratio_
