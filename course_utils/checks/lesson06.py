"""Checks for lesson 06 — visualising latent spaces."""
from __future__ import annotations

import numpy as np

from .. import latent, plotting
from . import Fail, as_array, call, compare, exercise


@exercise("6.1", "traverse one latent dimension")
def check_traversal(fn):
    from .. import zoo

    decoder = zoo.load_pretrained("vae_2d").decoder
    z = np.array([0.3, -0.8], np.float32)
    values = np.linspace(-2, 2, 5).astype(np.float32)
    for dim in (0, 1):
        expected = latent.traverse(decoder, z, values, dim=dim)
        added = decoder.predict(np.stack([z + np.eye(2, dtype=np.float32)[dim] * t for t in values]), verbose=0)
        got = as_array(call(fn, decoder, z.copy(), dim, values), "traversal")
        if got.shape == (5, 2):
            raise Fail("you returned the codes; decode them into images", "decoder.predict(codes, verbose=0)")
        compare(got, expected, what=f"the traversal of dimension {dim}", rtol=1e-4, atol=1e-5, mistakes=(
            (added, "set the dimension *to* each value; you added the value to it"),
        ), hint="codes = np.repeat(z[None], len(values), 0); codes[:, dim] = values; decoder.predict(codes)")
    return "one image per value, the other dimensions held fixed"


@exercise("6.2", "spherical interpolation")
def check_slerp(fn):
    rng = np.random.default_rng(602)
    for k, steps in [(2, 5), (64, 9)]:
        z0, z1 = rng.normal(size=k) * 1.5, rng.normal(size=k)
        got = as_array(call(fn, z0, z1, steps), "slerp")
        t = np.linspace(0, 1, steps)[:, None]
        compare(got, latent.interpolate(z0, z1, steps, kind="spherical"), what="the path", rtol=1e-4, atol=1e-5, mistakes=(
            (latent.interpolate(z0, z1, steps), "that is a straight (linear) path; move along the great circle"),
            ((1 - t) * z0 + t * z1, "that is a straight (linear) path; move along the great circle"),
        ), hint="omega = arccos(z0 . z1 / (|z0| |z1|)); z(t) = (sin((1-t) omega) z0 + sin(t omega) z1) / sin(omega)")
    return "the great-circle path, both ends included"


def _pca_reference(codes):
    centred = codes - codes.mean(0)
    _, _, vh = np.linalg.svd(centred, full_matrices=False)
    return centred @ vh[:2].T, vh


@exercise("6.3", "PCA projection")
def check_pca(fn):
    rng = np.random.default_rng(603)
    codes = rng.normal(size=(200, 6)) * np.array([4.0, 2.5, 1.0, 0.5, 0.3, 0.1]) + 5.0
    codes = codes @ np.linalg.qr(rng.normal(size=(6, 6)))[0]
    expected, vh = _pca_reference(codes)
    got = as_array(call(fn, codes), "pca_2d")
    if got.shape == (2, 6):
        raise Fail("you returned the principal directions; project the centred codes onto them", "centred @ components.T")
    if got.shape == expected.shape:  # principal axes have no sign: align each column before comparing
        signs = np.sign((got * expected).sum(0))
        signs[signs == 0] = 1
        got = got * signs
    smallest = (codes - codes.mean(0)) @ vh[-2:].T
    compare(got, expected, what="the projection", rtol=1e-3, atol=1e-4, mistakes=(
        (codes @ vh[:2].T * np.sign(((codes @ vh[:2].T) * expected).sum(0)), "centre the codes first (subtract the mean)"),
        (smallest * np.sign((smallest * expected).sum(0) + 1e-12), "use the two directions of *largest* variance"),
    ), hint="np.linalg.svd(codes - codes.mean(0)) gives the directions in the rows of vh, largest first")
    return "the centred codes on the two directions of largest variance"


@exercise("6.4", "centre a heatmap on zero")
def check_signed_scale(fn):
    rng = np.random.default_rng(604)
    for a in (rng.normal(size=(6, 6)), np.abs(rng.normal(size=(5, 5))), -np.abs(rng.normal(size=(4, 4))) * 3):
        got = as_array(call(fn, a.copy()), "signed_scale")
        compare(got, plotting.signed_scale(a), what="the scaled map", rtol=1e-6, atol=1e-9, mistakes=(
            ((a - a.min()) / (a.max() - a.min()), "min-max scaling moves zero: divide by the largest |value| instead"),
            (a / a.max(), "divide by the largest *absolute* value, so negative maps stay in [-1, 1]"),
        ), hint="a / np.abs(a).max(): zero stays zero, the strongest effect becomes +1 or -1")
    zeros = as_array(call(fn, np.zeros((3, 3))), "signed_scale(zeros)")
    if not np.all(np.isfinite(zeros)) or np.any(zeros != 0):
        raise Fail("an all-zero map must stay all zeros (no division by zero)", "return zeros when the largest |value| is 0")
    return "zero stays zero, the strongest effect becomes +-1"
