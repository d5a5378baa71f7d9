"""Every lesson-06 check: the reference passes, realistic wrong solutions fail with their message."""
import numpy as np

from course_utils import latent
from _check_cases import build


def traversal(decoder, z, dim, values, add=False):
    codes = np.repeat(np.asarray(z, np.float32)[None], len(values), axis=0)
    if add:
        codes[:, dim] += values
    else:
        codes[:, dim] = values
    return decoder.predict(codes, verbose=0)


def pca(codes, centre=True, smallest=False, directions_only=False):
    c = codes - codes.mean(0) if centre else codes
    _, _, vh = np.linalg.svd(codes - codes.mean(0), full_matrices=False)
    axes = vh[-2:] if smallest else vh[:2]
    return axes if directions_only else c @ axes.T


def safe_scale(a):
    m = np.abs(a).max()
    return a / m if m > 0 else np.zeros_like(a)


CASES = {
    "6.1": (traversal, [
        (lambda d, z, dim, v: traversal(d, z, dim, v, add=True), "you added the value"),
        (lambda d, z, dim, v: np.repeat(z[None], len(v), 0), "you returned the codes"),
    ]),
    "6.2": (lambda a, b, n: latent.interpolate(a, b, n, kind="spherical"), [
        (lambda a, b, n: latent.interpolate(a, b, n), "straight (linear) path"),
        (lambda a, b, n: latent.interpolate(a, b, n + 1, kind="spherical")[:-1], "differs"),
    ]),
    "6.3": (pca, [
        (lambda c: pca(c, centre=False), "centre the codes first"),
        (lambda c: pca(c, smallest=True), "*largest* variance"),
        (lambda c: pca(c, directions_only=True), "you returned the principal directions"),
    ]),
    "6.4": (safe_scale, [
        (lambda a: (a - a.min()) / (a.max() - a.min()), "min-max scaling moves zero"),
        (lambda a: a / a.max(), "largest *absolute* value"),
        (lambda a: a / np.abs(a).max(), "all-zero map must stay all zeros"),
    ]),
}


test_reference_passes, test_wrong_solution_fails_with_its_message, test_every_exercise_of_the_lesson_is_tested = \
    build(CASES, "6.")
