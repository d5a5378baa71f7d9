"""Checks for lesson 05 — gradient analysis."""
from __future__ import annotations

import numpy as np

from .. import attribution as A
from . import as_array, call, compare, exercise


def _digits(seed, n):
    from .. import data

    x, y = data.load_mnist("test")
    pick = np.random.default_rng(seed).choice(len(x), n, replace=False)
    return x[pick], y[pick]


@exercise("5.1", "saliency map")
def check_saliency(fn):
    import tensorflow as tf

    from .. import zoo

    model = zoo.load_pretrained("classifier")
    x, _ = _digits(501, 6)
    for c in (3, 8):
        expected = A.saliency(A.class_logit(model, c), x)
        signed = A.gradients(A.class_logit(model, c), x)
        xt = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            prob = tf.nn.softmax(model(xt))[:, c]
        prob_grad = np.abs(np.asarray(tape.gradient(prob, xt)))
        got = as_array(call(fn, model, c, x), "saliency")
        compare(got, expected, what="the saliency map", rtol=1e-3, atol=1e-5, mistakes=(
            (signed, "take the absolute value of the gradient"),
            (prob_grad, "differentiate the logit (the model's output), not the softmax probability"),
            (np.abs(signed * x), "that is |gradient x input|; the saliency map is the gradient alone"),
        ), hint="with tf.GradientTape() as tape: tape.watch(x); out = model(x)[:, class_index]; then abs(tape.gradient(out, x))")
    return "|d logit / d pixel| for every image in the batch"


def _smooth_fn():
    w = np.random.default_rng(502).normal(size=(5,))
    return w, (lambda xb: np.cos(np.asarray(xb)) * w)


@exercise("5.2", "SmoothGrad")
def check_smoothgrad(fn):
    w, grad_fn = _smooth_fn()
    rng = np.random.default_rng(503)
    x = rng.normal(size=(4, 5))
    noise = rng.normal(scale=0.3, size=(16, 4, 5))
    expected = np.mean([grad_fn(x + n) for n in noise], axis=0)
    got = as_array(call(fn, grad_fn, x, noise), "smoothgrad")
    compare(got, expected, what="the SmoothGrad map", rtol=1e-6, atol=1e-8, mistakes=(
        (grad_fn(x), "you returned the plain gradient: evaluate it at the noisy copies x + noise[i]"),
        (np.sum([grad_fn(x + n) for n in noise], axis=0), "average over the noise samples; do not sum"),
        (grad_fn(x) + noise.mean(0), "add the noise to the *input*, then take the gradient"),
        (grad_fn(x + noise[0]), "use every noise sample, not just the first"),
    ), hint="np.mean([grad_fn(x + n) for n in noise], axis=0) — or stack all copies into one batch")
    return "the gradient averaged over noisy copies of the input"


@exercise("5.3", "IG step 1: interpolate")
def check_interpolate(fn):
    rng = np.random.default_rng(504)
    image = rng.random((6, 6, 1)).astype(np.float32)
    baseline = np.full_like(image, 0.25)
    alphas = np.linspace(0, 1, 9).astype(np.float32)
    a = alphas[:, None, None, None]
    got = as_array(call(fn, baseline, image, alphas), "interpolate")
    compare(got, baseline[None] + a * (image - baseline)[None], what="the path", rtol=1e-5, atol=1e-6, mistakes=(
        (image[None] + a * (baseline - image)[None], "the path runs backwards: alpha = 0 is the baseline, alpha = 1 the image"),
        (a * image[None], "you forgot the baseline: baseline + alpha * (image - baseline)"),
    ), hint="alphas[:, None, None, None] broadcasts one alpha per path point over the image's axes")
    return "shape (alphas, H, W, C), from the baseline to the image"


@exercise("5.4", "IG step 3: integrate")
def check_integrate(fn):
    rng = np.random.default_rng(505)
    image = rng.random((5, 5, 1))
    baseline = np.zeros_like(image) + 0.1
    grads = rng.normal(size=(17, 5, 5, 1))
    trapezoid = ((grads[:-1] + grads[1:]) / 2).mean(axis=0)
    got = as_array(call(fn, grads, image, baseline), "integrate")
    compare(got, (image - baseline) * trapezoid, what="the attributions", rtol=1e-6, atol=1e-9, mistakes=(
        ((image - baseline) * grads[:-1].mean(0), "that is a left Riemann sum; use the trapezoid rule (average neighbouring gradients)"),
        ((image - baseline) * grads.mean(0), "average *neighbouring pairs* of gradients (trapezoid), not all points equally"),
        (trapezoid, "multiply the averaged gradient by (image - baseline)"),
        ((image - baseline) * ((grads[:-1] + grads[1:]) / 2).sum(0), "average over the steps; do not sum"),
    ), hint="(image - baseline) * mean over k of (grads[k] + grads[k + 1]) / 2")
    return "(x - x') times the trapezoid average of the path gradients"


@exercise("5.5", "IG completeness")
def check_completeness(fn):
    rng = np.random.default_rng(506)
    attributions = rng.normal(size=(7, 7, 1))
    f_image, f_baseline = 4.2, -1.3
    expected = attributions.sum() - (f_image - f_baseline)
    got = as_array(call(fn, attributions, f_image, f_baseline), "completeness_gap")
    compare(got, expected, what="the gap", rtol=1e-9, atol=1e-9, mistakes=(
        (np.abs(attributions).sum() - (f_image - f_baseline), "sum the signed attributions: negative ones cancel positive ones"),
        (attributions.sum() - (f_baseline - f_image), "F(image) - F(baseline), in that order"),
        (attributions.sum() - f_image, "subtract the target's *change*, F(image) - F(baseline)"),
    ), hint="sum(attributions) - (f_image - f_baseline); 0 means IG accounts for the whole change")
    return "sum(attributions) - (F(x) - F(x'))"


@exercise("5.6", "decoder Jacobian")
def check_jacobian(fn):
    from .. import zoo

    decoder = zoo.load_pretrained("vae_2d").decoder
    z = np.random.default_rng(507).normal(size=(2,)).astype(np.float32)
    expected = A.decoder_jacobian(decoder, z[None])[0]  # (K, H, W, C)
    got = as_array(call(fn, decoder, z), "latent_jacobian")
    compare(got, expected, what="the Jacobian", rtol=1e-3, atol=1e-5, mistakes=(
        (np.moveaxis(expected, 0, -1), "put the latent axis first: shape (K, H, W, C)"),
        (expected.reshape(2, -1).sum(1), "that is the gradient of the *sum* of pixels; keep one map per pixel (tape.jacobian)"),
    ), hint="with tf.GradientTape() as tape: tape.watch(z); img = decoder(z[None])[0]; then tape.jacobian(img, z), latent axis moved first")
    return "one map per latent unit: which pixels it moves"


@exercise("5.7", "gradient ascent loop")
def check_ascent(fn):
    target = np.linspace(-0.5, 1.5, 6)  # some optima lie outside [0, 1]: clipping matters

    def grad_fn(x):
        return -2.0 * (np.asarray(x) - target)  # gradient of -(x - target)^2

    x0 = np.full(6, 0.5)

    def run(sign=1.0, clip=True, steps=25, lr=0.1):
        x = x0.copy()
        for _ in range(steps):
            x = x + sign * lr * grad_fn(x)
            if clip:
                x = np.clip(x, 0.0, 1.0)
        return x

    got = as_array(call(fn, grad_fn, x0.copy(), 25, 0.1), "gradient_ascent")
    compare(got, run(), what="the final x", rtol=1e-6, atol=1e-8, mistakes=(
        (run(sign=-1.0), "that is gradient *descent*: add the gradient to climb"),
        (run(clip=False), "clip x to [0, 1] after every step (pixel intensities)"),
        (run(steps=1), "repeat the update `steps` times"),
    ), hint="for _ in range(steps): x = np.clip(x + step_size * grad_fn(x), 0, 1)")
    return "steps of x <- clip(x + step * grad, 0, 1)"
