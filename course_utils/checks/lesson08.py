"""Checks for lesson 08 — evaluating explanations."""
from __future__ import annotations

import numpy as np

from .. import faithfulness as F
from . import Fail, as_array, call, compare, exercise


def _linear_model():
    w = np.random.default_rng(801).normal(size=(8, 8))
    return w, (lambda batch: np.asarray(batch, dtype=np.float64).reshape(len(batch), -1) @ w.ravel())


def _deletion(predict, image, attribution, fill_value, steps, descending=True):
    d = image.size
    order = np.argsort(-attribution.ravel() if descending else attribution.ravel(), kind="stable")
    counts = np.round(np.linspace(0, d, steps + 1)).astype(int)
    images = []
    for k in counts:
        img = image.ravel().copy()
        img[order[:k]] = fill_value
        images.append(img.reshape(image.shape))
    return predict(np.stack(images))


@exercise("8.1", "a deletion curve")
def check_deletion(fn):
    w, predict = _linear_model()
    rng = np.random.default_rng(802)
    image = rng.random((8, 8))
    attribution = w * image
    for fill, steps in ((0.0, 8), (0.5, 16)):
        expected = _deletion(predict, image, attribution, fill, steps)
        got = as_array(call(fn, predict, image.copy(), attribution.copy(), fill, steps), "deletion_scores")
        if got.shape == (steps,):
            raise Fail(f"return steps + 1 = {steps + 1} scores: the first is the untouched image")
        compare(got, expected, what="the deletion curve", rtol=1e-6, atol=1e-9, mistakes=(
            (_deletion(predict, image, attribution, fill, steps, descending=False), "delete the *most* important pixels first (sort the attribution in decreasing order)"),
            (_deletion(predict, image, attribution, 0.0, steps), "replace deleted pixels by fill_value, not by 0"),
            (_deletion(predict, image, np.abs(attribution), fill, steps), "rank by the signed attribution, not its absolute value"),
        ), hint="order = np.argsort(-attribution.ravel()); after k = round(i * D / steps) deletions, score the image")
    return "scores after 0, D/steps, ..., D of the top-ranked pixels are replaced"


@exercise("8.2", "area under a curve")
def check_auc(fn):
    rng = np.random.default_rng(803)
    fractions = np.linspace(0, 1, 11)
    scores = np.sort(rng.random(11))[::-1]
    got = as_array(call(fn, fractions, scores), "auc")
    compare(got, F.area_under_curve(fractions, scores), what="the AUC", rtol=1e-9, atol=1e-12, mistakes=(
        (scores.mean(), "the mean of the scores weighs the two end points fully; use the trapezoid rule"),
        (scores.sum(), "multiply by the widths of the intervals (the fractions' differences)"),
        ((scores[:-1] * np.diff(fractions)).sum(), "that is a left Riemann sum; average neighbouring scores (trapezoid)"),
    ), hint="np.sum((scores[1:] + scores[:-1]) / 2 * np.diff(fractions))")
    return "the trapezoid rule over the fractions"


@exercise("8.3", "a random-ranking baseline")
def check_random_baseline(fn):
    w, predict = _linear_model()
    image = np.random.default_rng(804).random((8, 8))
    fractions = np.linspace(0, 1, 9)

    def deletion_auc(attribution):
        return float(F.area_under_curve(fractions, _deletion(predict, image, np.asarray(attribution), 0.0, 8)))

    draws = [deletion_auc(np.random.default_rng(7 + i).random(image.shape)) for i in range(20)]
    got = as_array(call(fn, deletion_auc, image.shape, 20, 7), "random_baseline")
    compare(got, np.mean(draws), what="the baseline AUC", rtol=1e-9, atol=1e-12, mistakes=(
        (draws[0], "average over n_draws *different* random rankings (seed + i for draw i), not one ranking"),
    ), hint="np.mean([deletion_auc(np.random.default_rng(seed + i).random(shape)) for i in range(n_draws)])")
    return "the mean deletion AUC of n_draws random rankings"


@exercise("8.4", "rank correlation of two maps")
def check_rank_corr(fn):
    from scipy.stats import pearsonr, spearmanr

    rng = np.random.default_rng(805)
    a = rng.normal(size=(6, 6)) ** 3
    b = a + rng.normal(scale=2.0, size=(6, 6))
    got = as_array(call(fn, a.copy(), b.copy()), "rank_correlation")
    if got.shape == (6, 6) or got.shape == (12, 12):
        raise Fail("flatten the maps first: spearmanr on 2-D arrays correlates their columns", "spearmanr(a.ravel(), b.ravel())")
    compare(got, spearmanr(a.ravel(), b.ravel()).statistic, what="the correlation", rtol=1e-6, atol=1e-9, mistakes=(
        (pearsonr(a.ravel(), b.ravel()).statistic, "that is Pearson's correlation of the values; Spearman correlates their *ranks*"),
        (spearmanr(np.abs(a).ravel(), np.abs(b).ravel()).statistic, "correlate the maps as given (the lesson takes |.| before calling you)"),
    ), hint="scipy.stats.spearmanr(a.ravel(), b.ravel()).statistic")
    return "Spearman's rho of the flattened maps"
