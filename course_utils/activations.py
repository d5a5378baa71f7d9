"""Activation analysis (lesson 04): read layers, summarise units, find dead and selective ones.

What the article calls 激活函数分析 done properly: the *outputs* of a layer for real inputs,
read through a functional sub-model (one pass for several layers), then summarised per unit.
For convolutional layers a "unit" is a channel; its activation is averaged over positions.
"""
from __future__ import annotations

import numpy as np

from . import _validate as v
from . import losses
from .environment import quiet_tensorflow

quiet_tensorflow()

import keras  # noqa: E402


def _check_model(model):
    if not isinstance(model, keras.Model):
        raise ValueError(f"model must be a keras.Model, got {type(model).__name__}")


def layer_outputs(model, layer_names, x, batch_size: int = 256) -> dict:
    """The outputs of one or several named layers for inputs ``x``, in a single forward pass.

    Returns {layer name: numpy array}. The layers must belong to ``model`` itself (for a nested
    model such as ``dense_ae.model``, pass its ``encoder`` or ``decoder``).
    """
    _check_model(model)
    names = [layer_names] if isinstance(layer_names, str) else list(layer_names)
    if not names:
        raise ValueError("layer_names must name at least one layer")
    known = [layer.name for layer in model.layers]
    missing = [n for n in names if n not in known]
    if missing:
        raise ValueError(f"{model.name} has no layer(s) {missing}; its layers are {known}")
    batch_size = v.positive_int("batch_size", batch_size)
    x = np.asarray(x, dtype=np.float32)
    expected = tuple(model.input_shape[1:])
    if x.ndim != len(expected) + 1 or tuple(x.shape[1:]) != expected:
        raise ValueError(f"x must have shape (N, {', '.join(map(str, expected))}), got {v.describe(x)}")
    probe = keras.Model(model.inputs, [model.get_layer(n).output for n in names])
    out = probe.predict(x, batch_size=batch_size, verbose=0)
    out = out if isinstance(out, (list, tuple)) else [out]
    return {n: np.asarray(a) for n, a in zip(names, out)}


def per_unit(acts) -> np.ndarray:
    """Activations as (N, units): dense outputs unchanged, conv outputs averaged over positions."""
    acts = np.asarray(acts)
    if acts.ndim < 2:
        raise ValueError(f"activations must be (N, units) or (N, ..., channels), got {v.describe(acts)}")
    return acts if acts.ndim == 2 else acts.reshape(len(acts), -1, acts.shape[-1]).mean(axis=1)


def unit_statistics(acts, zero_tol: float = 0.0) -> dict:
    """Per-unit mean, variance and fraction of (near-)zero activations over the inputs.

    For conv layers the zero fraction counts every position of the channel.
    """
    acts = np.asarray(acts, dtype=np.float64)
    if acts.ndim < 2:
        raise ValueError(f"activations must be (N, units) or (N, ..., channels), got {v.describe(acts)}")
    flat = acts.reshape(-1, acts.shape[-1])
    units = per_unit(acts)
    return {"mean": units.mean(0), "variance": units.var(0), "fraction_zero": (np.abs(flat) <= zero_tol).mean(0)}


def dead_units(acts, zero_tol: float = 0.0) -> np.ndarray:
    """Boolean mask of units that are (near-)zero for **every** input and position — dead ReLUs."""
    return unit_statistics(acts, zero_tol)["fraction_zero"] >= 1.0


def class_selectivity(acts, labels, eps: float = 1e-7) -> np.ndarray:
    """Class selectivity index per unit (Morcos et al., 2018): (mu_max - mu_rest) / (mu_max + mu_rest).

    mu_max is the unit's mean activation over the class that excites it most, mu_rest its mean over
    the other classes' means. 0: the unit responds equally to every class; 1: only to one class.
    Meant for non-negative (e.g. ReLU) activations.
    """
    units = per_unit(acts).astype(np.float64)
    labels = np.asarray(labels)
    if labels.shape != (len(units),):
        raise ValueError(f"labels must have shape ({len(units)},), got {v.describe(labels)}")
    if units.min() < -1e-6:
        raise ValueError("class_selectivity needs non-negative activations (e.g. after a ReLU)")
    classes = np.unique(labels)
    if len(classes) < 2:
        raise ValueError("class_selectivity needs at least two classes")
    means = np.stack([units[labels == c].mean(0) for c in classes])  # (classes, units)
    mu_max = means.max(0)
    mu_rest = (means.sum(0) - mu_max) / (len(classes) - 1)
    return (mu_max - mu_rest) / (mu_max + mu_rest + eps)


def class_means(acts, labels) -> np.ndarray:
    """Mean activation of each unit for each class: shape (classes, units) — for heatmaps."""
    units = per_unit(acts)
    labels = np.asarray(labels)
    if labels.shape != (len(units),):
        raise ValueError(f"labels must have shape ({len(units)},), got {v.describe(labels)}")
    return np.stack([units[labels == c].mean(0) for c in np.unique(labels)])


def activation_pca(acts, n_components: int = 2, seed: int = 0):
    """PCA of a layer's per-unit activations: (projected (N, n_components), fitted sklearn PCA)."""
    from sklearn.decomposition import PCA

    units = per_unit(acts)
    n_components = v.positive_int("n_components", n_components)
    if n_components > min(units.shape):
        raise ValueError(f"n_components must be <= {min(units.shape)}, got {n_components}")
    pca = PCA(n_components=n_components, random_state=seed)
    return pca.fit_transform(units), pca


def posterior(encoder, x, batch_size: int = 256):
    """(z_mean, z_log_var) of a VAE encoder for inputs x, as numpy arrays."""
    _check_model(encoder)
    out = encoder.predict(np.asarray(x, dtype=np.float32), batch_size=batch_size, verbose=0)
    if not isinstance(out, (list, tuple)) or len(out) != 2:
        raise ValueError("encoder must be a VAE encoder returning [z_mean, z_log_var]")
    return np.asarray(out[0]), np.asarray(out[1])


def kl_per_dimension(encoder, x) -> np.ndarray:
    """The average KL(q(z_k|x) || N(0, 1)) of each latent dimension k over the inputs (nats)."""
    mean, log_var = posterior(encoder, x)
    return np.asarray(losses.gaussian_kl_per_dim(mean, log_var))


def active_units(encoder, x, threshold: float = 0.01):
    """Active units (Burda et al., 2016): dimensions u with Cov_x(E_q[z_u | x]) > threshold.

    A unit whose posterior mean does not vary with the input carries no information about it.
    Returns (count, per-dimension variance of the posterior mean).
    """
    v.number_in("threshold", threshold, 0.0, float("inf"))
    mean, _ = posterior(encoder, x)
    activity = mean.var(axis=0)
    return int((activity > threshold).sum()), activity
