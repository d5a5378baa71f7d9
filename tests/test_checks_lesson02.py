"""Every lesson-02 check: the reference passes, realistic wrong solutions fail with their message."""
import numpy as np

from course_utils import losses
from _check_cases import build

EPS = 1e-7


def _sp(t):
    return np.logaddexp(0.0, t)


def _ref(fn):
    return lambda *a: np.asarray(fn(*a))


def bce_no_clip(x, x_hat):
    return -(x * np.log(x_hat) + (1 - x) * np.log(1 - x_hat)).sum(axis=(1, 2, 3))


CASES = {
    "2.1": (_ref(losses.mse), [
        (lambda a, b: np.sum((b - a) ** 2), "summed the squared errors"),
        (lambda a, b: np.sqrt(np.mean((b - a) ** 2)), "root mean squared error"),
        (lambda a, b: np.mean((b - a) ** 2, axis=-1), "one MSE per example"),
    ]),
    "2.2": (_ref(losses.categorical_cross_entropy), [
        (lambda y, p: (y * np.log(p)).sum(1).mean(), "wrong sign"),
        (lambda y, p: -(y * np.log(p)).sum(), "summed over the examples"),
        (lambda y, p: -(y * np.log(np.exp(p) / np.exp(p).sum(1, keepdims=True))).sum(1).mean(), "do not apply softmax again"),
    ]),
    "2.3": (_ref(losses.binary_cross_entropy), [
        (bce_no_clip, "NaN or infinity"),
        (lambda x, p: -(x * np.log(np.clip(p, EPS, 1))).sum(axis=(1, 2, 3)), "forgot the (1 - x)"),
        (lambda x, p: np.asarray(losses.binary_cross_entropy(x, p)) / x[0].size, "averaged over pixels"),
    ]),
    "2.4": (_ref(losses.gaussian_kl), [
        (lambda m, lv: 0.5 * np.sum(1 + lv - m ** 2 - np.exp(lv), axis=1), "wrong sign"),
        (lambda m, lv: -0.5 * np.mean(1 + lv - m ** 2 - np.exp(lv), axis=1), "averaged over latent dimensions"),
        (lambda m, lv: -0.5 * np.sum(1 + lv - m ** 2 - lv, axis=1), "you used log_var itself"),
        (lambda m, lv: -np.sum(1 + lv - m ** 2 - np.exp(lv), axis=1), "off by a constant factor"),
        (lambda m, lv: -0.5 * np.sum(lv - m ** 2 - np.exp(lv), axis=1), "must be 0"),
    ]),
    "2.5": (_ref(losses.reparameterize), [
        (lambda m, lv, e: m + np.exp(lv) * e, "exp(log_var) is the variance"),
        (lambda m, lv, e: m, "you returned the mean"),
        (lambda m, lv, e: m + lv * e, "log_var is a log-variance"),
    ]),
    "2.6": (_ref(losses.vae_loss), [
        (lambda x, xh, m, lv: np.mean(np.asarray(losses.binary_cross_entropy(x, xh)) - np.asarray(losses.gaussian_kl(m, lv))), "added, not subtracted"),
        (lambda x, xh, m, lv: np.mean(np.asarray(losses.binary_cross_entropy(x, xh))), "forgot the KL"),
        (lambda x, xh, m, lv: np.mean(np.asarray(losses.binary_cross_entropy(x, xh)) / 36 + np.asarray(losses.gaussian_kl(m, lv))), "averaging makes the KL"),
    ]),
    "2.7": (_ref(losses.discriminator_loss), [
        (lambda r, f: _sp(r).mean() + _sp(-f).mean(), "labels are swapped"),
        (lambda r, f: _sp(-r).mean(), "forgot the fake images"),
        (lambda r, f: -(np.log(r).mean() + np.log(1 - f).mean()), "NaN or infinity"),
    ]),
    "2.8": (_ref(losses.generator_loss), [
        (lambda f: -_sp(f).mean(), "saturating minimax loss"),
        (lambda f: _sp(f).mean(), "the discriminator's loss on fakes"),
        (lambda f: -_sp(-f).mean(), "sign is flipped"),
    ]),
}


test_reference_passes, test_wrong_solution_fails_with_its_message, test_every_exercise_of_the_lesson_is_tested = \
    build(CASES, "2.")


def test_references_agree_with_keras():
    import keras

    rng = np.random.default_rng(0)
    a, b = rng.random((4, 28, 28, 1)).astype(np.float32), rng.uniform(0.01, 0.99, (4, 28, 28, 1)).astype(np.float32)
    np.testing.assert_allclose(losses.mse(a, b), keras.losses.MeanSquaredError()(a, b), rtol=1e-5)
    bce_keras = keras.ops.sum(keras.losses.binary_crossentropy(a, b), axis=(1, 2))
    np.testing.assert_allclose(losses.binary_cross_entropy(a, b), bce_keras, rtol=1e-4)
    logits = rng.normal(size=(6, 10)).astype(np.float32)
    probs = np.asarray(keras.ops.softmax(logits))
    onehot = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 6)]
    np.testing.assert_allclose(losses.categorical_cross_entropy(onehot, probs),
                               keras.losses.CategoricalCrossentropy()(onehot, probs), rtol=1e-5)
    bce_logits = keras.losses.BinaryCrossentropy(from_logits=True)
    real, fake = rng.normal(size=(8, 1)).astype(np.float32), rng.normal(size=(8, 1)).astype(np.float32)
    np.testing.assert_allclose(losses.discriminator_loss(real, fake),
                               bce_logits(np.ones_like(real), real) + bce_logits(np.zeros_like(fake), fake), rtol=1e-5)
    np.testing.assert_allclose(losses.generator_loss(fake), bce_logits(np.ones_like(fake), fake), rtol=1e-5)


def test_closed_form_kl_matches_monte_carlo():
    rng = np.random.default_rng(1)
    mean, log_var = np.array([[0.5, -1.0]]), np.array([[0.3, -0.8]])
    std = np.exp(0.5 * log_var)
    z = mean + std * rng.standard_normal((400_000, 2))
    log_q = (-0.5 * ((z - mean) / std) ** 2 - np.log(std) - 0.5 * np.log(2 * np.pi)).sum(1)
    log_p = (-0.5 * z ** 2 - 0.5 * np.log(2 * np.pi)).sum(1)
    np.testing.assert_allclose(np.mean(log_q - log_p), float(np.asarray(losses.gaussian_kl(mean, log_var))[0]), rtol=0.01)
