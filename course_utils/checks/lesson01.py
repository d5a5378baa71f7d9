"""Checks for lesson 01 — concepts: reconstruct, count parameters, judge samples, interpolate."""
from __future__ import annotations

import numpy as np

from .. import latent
from . import Fail, as_array, call, compare, exercise


@exercise("1.1", "reconstruct with the autoencoder")
def check_reconstruct(fn):
    from .. import data, zoo

    ae = zoo.load_pretrained("dense_ae")
    x, _ = data.load_mnist("test")
    x = x[np.random.default_rng(101).choice(len(x), 16, replace=False)]
    expected = ae.model.predict(x, verbose=0)
    got = as_array(call(fn, ae.encoder, ae.decoder, x), "reconstruct")
    if got.shape == (16, 64):
        raise Fail("you returned the 64-number codes", "pass the encoder's output through the decoder")
    compare(got, expected, what="the reconstruction", rtol=1e-3, atol=1e-4, mistakes=(
        (x, "you returned the input images unchanged"),
    ), hint="decoder(encoder(images)), or decoder.predict(encoder.predict(images, verbose=0), verbose=0)")
    return "the same images the pretrained autoencoder produces"


def _layer_params(kind, *args):
    import keras

    if kind == "dense":
        n_in, n_out = args
        layer = keras.layers.Dense(n_out)
        layer.build((None, n_in))
    else:
        k, c_in, c_out = args
        layer = keras.layers.Conv2D(c_out, k)
        layer.build((None, 28, 28, c_in))
    return layer.count_params()


@exercise("1.2", "parameters of a dense layer")
def check_dense_params(fn):
    for n_in, n_out in [(784, 128), (128, 64), (3, 7), (64, 784)]:
        got = as_array(call(fn, n_in, n_out), "dense_params")
        expected = _layer_params("dense", n_in, n_out)
        compare(got, expected, what=f"dense_params({n_in}, {n_out})", rtol=0, atol=0.5, mistakes=(
            (n_in * n_out, "you forgot the biases: one per output unit"),
            (n_in * n_out + n_in, "there is one bias per *output* unit, not per input"),
            ((n_in + 1) * (n_out + 1), "only the inputs get the extra bias row: (n_in + 1) * n_out"),
        ), hint="a weight for every (input, output) pair, plus one bias per output")
    return "agrees with keras.layers.Dense(...).count_params()"


@exercise("1.3", "parameters of a convolution")
def check_conv_params(fn):
    for k, c_in, c_out in [(3, 1, 32), (3, 32, 64), (4, 64, 128), (5, 3, 2)]:
        got = as_array(call(fn, k, c_in, c_out), "conv2d_params")
        expected = _layer_params("conv", k, c_in, c_out)
        compare(got, expected, what=f"conv2d_params({k}, {c_in}, {c_out})", rtol=0, atol=0.5, mistakes=(
            (k * k * c_out + c_out, "each filter spans all input channels: multiply by c_in"),
            (k * k * c_in * c_out, "you forgot the biases: one per filter"),
            (k * c_in * c_out + c_out, "a k x k kernel has k * k weights per channel"),
        ), hint="c_out filters, each k x k x c_in weights and one bias; the image size does not matter")
    return "agrees with keras.layers.Conv2D(...).count_params()"


@exercise("1.4", "share of confident samples")
def check_confident(fn):
    rng = np.random.default_rng(104)
    for n, threshold in [(50, 0.9), (200, 0.5)]:
        logits = rng.normal(scale=3.0, size=(n, 10))
        probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
        probs[0] = 0.0
        probs[0, 3] = threshold  # exactly at the threshold counts as confident
        probs[0, 4] = 1 - threshold
        top = probs.max(1)
        got = as_array(call(fn, probs, threshold), "confident_fraction")
        compare(got, np.mean(top >= threshold), what="the fraction", rtol=0, atol=1e-9, mistakes=(
            (np.mean(top), "that is the mean confidence; count the samples whose top probability reaches the threshold"),
            (np.mean(probs >= threshold), "you compared every class probability; use each row's largest one"),
            (np.sum(top >= threshold), "return a fraction of the samples, not a count"),
            (np.mean(top > threshold), "a probability exactly equal to the threshold counts (>=)"),
        ), hint="np.mean(probs.max(axis=1) >= threshold)")
    return "counts rows whose top probability is >= the threshold"


@exercise("1.5", "linear interpolation in latent space")
def check_lerp(fn):
    rng = np.random.default_rng(105)
    for steps, k in [(5, 2), (8, 16)]:
        z0, z1 = rng.normal(size=k), rng.normal(size=k)
        got = as_array(call(fn, z0, z1, steps), "lerp")
        t = np.linspace(0, 1, steps, endpoint=False)[:, None]
        compare(got, latent.interpolate(z0, z1, steps), what="the path", rtol=1e-5, atol=1e-5, mistakes=(
            ((1 - t) * z0 + t * z1, "the path must end exactly at z1: include both end points"),
            (latent.interpolate(z1, z0, steps), "the path runs backwards: start at z0"),
            (latent.interpolate(z0, z1, steps).T, "return one row per step: shape (steps, K)"),
        ), hint="t = np.linspace(0, 1, steps)[:, None]; (1 - t) * z0 + t * z1")
    return "steps rows from z0 to z1, both ends included"
