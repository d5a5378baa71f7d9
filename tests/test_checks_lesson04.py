"""Every lesson-04 check: the reference passes, realistic wrong solutions fail with their message."""
import keras
import numpy as np

from course_utils import activations as act
from course_utils import losses
from _check_cases import build


def read_layers(model, names, x):
    probe = keras.Model(model.inputs, [model.get_layer(n).output for n in names])
    return dict(zip(names, probe.predict(x, verbose=0)))


def selectivity_min(acts, labels):
    means = np.stack([acts[labels == c].mean(0) for c in np.unique(labels)])
    return (means.max(0) - means.min(0)) / (means.max(0) + means.min(0))


def selectivity_with_top(acts, labels):
    means = np.stack([acts[labels == c].mean(0) for c in np.unique(labels)])
    return (means.max(0) - means.mean(0)) / (means.max(0) + means.mean(0))


CASES = {
    "4.1": (read_layers, [
        (lambda m, names, x: [m.predict(x, verbose=0)] * len(names), "return a dict"),
        (lambda m, names, x: {n: m.predict(x, verbose=0) for n in names}, "final output"),
        (lambda m, names, x: {"a": 1}, "expected the layer names"),
    ]),
    "4.2": (lambda a: act.dead_units(a).mean(), [
        (lambda a: (a == 0).mean(), "share of zero activations"),
        (lambda a: (a.reshape(-1, a.shape[-1]) == 0).any(0).mean(), "zero for *some* inputs"),
        (lambda a: act.dead_units(a).sum(), "not a count"),
        (lambda a: (a.reshape(len(a), -1) == 0).all(0).mean(), "a unit is a channel"),
    ]),
    "4.3": (act.class_selectivity, [
        (selectivity_min, "not the weakest one"),
        (selectivity_with_top, "leave the top class out"),
    ]),
    "4.4": (lambda m, lv: np.asarray(losses.gaussian_kl_per_dim(m, lv)), [
        (lambda m, lv: 0.5 * (m ** 2 + np.exp(lv) - 1 - lv).sum(0), "summed over the examples"),
        (lambda m, lv: 0.5 * (m ** 2 + np.exp(lv) - 1 - lv).sum(1), "one KL per example"),
        (lambda m, lv: (m ** 2 + np.exp(lv) - 1 - lv).mean(0), "off by a constant factor"),
    ]),
    "4.5": (lambda z, t: int((z.var(0) > t).sum()), [
        (lambda z, t: int((z.std(0) > t).sum()), "not the standard deviation"),
        (lambda z, t: int((z.var(1) > t).sum()), "over the inputs (axis 0)"),
        (lambda z, t: int((np.abs(z.mean(0)) > t).sum()), "constant offset does not count"),
    ]),
}


test_reference_passes, test_wrong_solution_fails_with_its_message, test_every_exercise_of_the_lesson_is_tested = \
    build(CASES, "4.")
