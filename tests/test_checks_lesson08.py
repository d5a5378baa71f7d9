"""Every lesson-08 check: the reference passes, realistic wrong solutions fail with their message."""
import numpy as np
from scipy.stats import pearsonr, spearmanr

from _check_cases import build


def deletion(predict, image, attribution, fill, steps, descending=True, absolute=False, zero=False):
    a = np.abs(attribution) if absolute else attribution
    order = np.argsort(-a.ravel() if descending else a.ravel(), kind="stable")
    out = []
    for k in np.round(np.linspace(0, image.size, steps + 1)).astype(int):
        img = image.ravel().copy()
        img[order[:k]] = 0.0 if zero else fill
        out.append(img.reshape(image.shape))
    return predict(np.stack(out))


def baseline(deletion_auc, shape, n, seed, vary=True):
    return np.mean([deletion_auc(np.random.default_rng(seed + (i if vary else 0)).random(shape)) for i in range(n)])


CASES = {
    "8.1": (deletion, [
        (lambda p, im, a, f, s: deletion(p, im, a, f, s, descending=False), "*most* important pixels first"),
        (lambda p, im, a, f, s: deletion(p, im, a, f, s, zero=True), "not by 0"),
        (lambda p, im, a, f, s: deletion(p, im, a, f, s)[1:], "steps + 1"),
    ]),
    "8.2": (lambda f, s: np.sum((s[1:] + s[:-1]) / 2 * np.diff(f)), [
        (lambda f, s: s.mean(), "trapezoid rule"),
        (lambda f, s: s.sum(), "widths of the intervals"),
        (lambda f, s: np.sum(s[:-1] * np.diff(f)), "left Riemann sum"),
    ]),
    "8.3": (baseline, [
        (lambda d, shape, n, seed: baseline(d, shape, 1, seed), "not one ranking"),
        (lambda d, shape, n, seed: baseline(d, shape, n, seed, vary=False), "*different* random rankings"),
    ]),
    "8.4": (lambda a, b: spearmanr(a.ravel(), b.ravel()).statistic, [
        (lambda a, b: pearsonr(a.ravel(), b.ravel()).statistic, "Pearson's correlation"),
        (lambda a, b: spearmanr(a, b).statistic, "flatten the maps first"),
        (lambda a, b: spearmanr(np.abs(a).ravel(), np.abs(b).ravel()).statistic, "as given"),
    ]),
}

test_reference_passes, test_wrong_solution_fails_with_its_message, test_every_exercise_of_the_lesson_is_tested = \
    build(CASES, "8.")
