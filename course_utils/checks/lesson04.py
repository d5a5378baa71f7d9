"""Checks for lesson 04 — activation analysis."""
from __future__ import annotations

import numpy as np

from .. import activations as act
from .. import losses
from . import Fail, as_array, call, compare, exercise


@exercise("4.1", "read several layers in one pass")
def check_read_layers(fn):
    from .. import data, zoo

    model = zoo.load_pretrained("classifier")
    x, _ = data.load_mnist("test")
    x = x[np.random.default_rng(401).choice(len(x), 10, replace=False)]
    names = ["clf_conv2", "clf_dense"]
    expected = act.layer_outputs(model, names, x)
    got = call(fn, model, names, x)
    if not isinstance(got, dict):
        raise Fail(f"read_layers returned {type(got).__name__}; return a dict {{layer name: activations}}",
                   "dict(zip(layer_names, outputs))")
    if set(got) != set(names):
        raise Fail(f"the dict's keys are {sorted(got)}, expected the layer names {names}")
    final = model.predict(x, verbose=0)
    for name in names:
        compare(as_array(got[name], f"the entry {name!r}"), expected[name], what=f"the activations of {name}",
                rtol=1e-4, atol=1e-5, mistakes=((final, "that is the model's final output, not the layer's"),),
                hint="keras.Model(model.inputs, [model.get_layer(n).output for n in layer_names])")
    return "one sub-model with one output per layer"


@exercise("4.2", "fraction of dead units")
def check_dead_fraction(fn):
    rng = np.random.default_rng(402)
    dense = np.maximum(rng.normal(size=(50, 20)), 0)
    dense[:, [2, 7, 11]] = 0.0  # dead
    dense[:3, 5] = 0.0  # sometimes zero, not dead
    conv = np.maximum(rng.normal(size=(10, 6, 6, 8)), 0)
    conv[..., [1, 4]] = 0.0
    conv[:, 0, 0, 6] = 0.0
    for acts in (dense, conv):
        expected = act.dead_units(acts).mean()
        flat = acts.reshape(-1, acts.shape[-1])
        got = as_array(call(fn, acts), "dead_fraction")
        compare(got, expected, what="the dead fraction", rtol=0, atol=1e-9, mistakes=(
            ((acts == 0).mean(), "that is the share of zero activations; a unit is dead when it is zero for *every* input"),
            ((flat == 0).any(0).mean(), "a unit that is zero for *some* inputs is not dead — it must be zero for all"),
            (act.dead_units(acts).sum(), "return a fraction of the units, not a count"),
            ((acts.reshape(len(acts), -1) == 0).all(0).mean(), "for conv layers a unit is a channel: pool over positions too"),
        ), hint="for each unit (last axis), check that every activation over inputs and positions is 0")
    return "dense and conv layers, units on the last axis"


@exercise("4.3", "class selectivity index")
def check_selectivity(fn):
    rng = np.random.default_rng(403)
    labels = np.repeat(np.arange(5), 12)
    acts = np.maximum(rng.normal(size=(60, 7)) + (labels[:, None] == np.arange(7) % 5) * 2.0, 0)
    means = np.stack([acts[labels == c].mean(0) for c in range(5)])
    mu_max = means.max(0)
    mu_rest = (means.sum(0) - mu_max) / 4
    got = as_array(call(fn, acts, labels), "selectivity")
    compare(got, act.class_selectivity(acts, labels), what="the selectivity", rtol=1e-4, atol=1e-6, mistakes=(
        ((mu_max - means.min(0)) / (mu_max + means.min(0)), "compare the top class with the *mean* of the other classes, not the weakest one"),
        ((mu_max - means.sum(0)) / (mu_max + means.sum(0)), "average the other classes' means; do not sum them"),
        ((mu_max - means.mean(0)) / (mu_max + means.mean(0)), "leave the top class out of the 'rest' average"),
        (mu_max - mu_rest, "normalise: divide by (mu_max + mu_rest)"),
    ), hint="(mu_max - mu_rest) / (mu_max + mu_rest), with class means per unit")
    return "(mu_max - mu_rest) / (mu_max + mu_rest) per unit"


@exercise("4.4", "KL per latent dimension")
def check_kl_per_dim(fn):
    rng = np.random.default_rng(404)
    for n, k in [(30, 4), (12, 16)]:
        mean = rng.normal(size=(n, k)).astype(np.float32)
        log_var = rng.normal(scale=0.6, size=(n, k)).astype(np.float32)
        terms = 0.5 * (mean.astype(float) ** 2 + np.exp(log_var.astype(float)) - 1 - log_var)
        got = as_array(call(fn, mean, log_var), "kl_per_dim")
        compare(got, np.asarray(losses.gaussian_kl_per_dim(mean, log_var)), what="the KL per dimension", rtol=1e-4, mistakes=(
            (terms.sum(0), "you summed over the examples; average them"),
            (terms.sum(1), "that is one KL per example; keep the dimensions apart and average over examples"),
            (terms.mean(), "keep one value per latent dimension, shape (K,)"),
        ), hint="0.5 * (mean^2 + exp(log_var) - 1 - log_var), averaged over axis 0")
    return "one KL (nats) per latent dimension"


@exercise("4.5", "count active units")
def check_active(fn):
    rng = np.random.default_rng(405)
    spread = np.array([2.0, 0.05, 0.5, 0.0, 0.2, 0.08, 1.0, 0.01])
    z_mean = rng.normal(size=(400, 8)) * spread + rng.normal(size=8)
    activity = z_mean.var(0)
    for threshold in (0.01, 0.1):
        got = as_array(call(fn, z_mean, threshold), "count_active")
        compare(got, float((activity > threshold).sum()), what="the count", rtol=0, atol=0.5, mistakes=(
            (float((z_mean.std(0) > threshold).sum()), "compare the *variance* of the means with the threshold, not the standard deviation"),
            (float((np.abs(z_mean.mean(0)) > threshold).sum()), "an active unit's mean *varies* across inputs; a constant offset does not count"),
            (float((z_mean.var(1) > threshold).sum()), "take the variance over the inputs (axis 0), one value per unit"),
        ), hint="np.sum(z_mean.var(axis=0) > threshold)")
    return "units whose posterior mean varies with the input"
