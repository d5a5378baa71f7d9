"""Every lesson-01 check: the reference passes, realistic wrong solutions fail with their message."""
import numpy as np
import pytest

from course_utils import latent
from _check_cases import build

CASES = {
    "1.1": (lambda enc, dec, x: dec.predict(enc.predict(x, verbose=0), verbose=0), [
        (lambda enc, dec, x: enc.predict(x, verbose=0), "you returned the 64-number codes"),
        (lambda enc, dec, x: x, "returned the input images unchanged"),
        (lambda enc, dec, x: dec(x), "your function raised"),
    ]),
    "1.2": (lambda i, o: i * o + o, [
        (lambda i, o: i * o, "forgot the biases"),
        (lambda i, o: i * o + i, "one bias per *output*"),
    ]),
    "1.3": (lambda k, ci, co: k * k * ci * co + co, [
        (lambda k, ci, co: k * k * co + co, "multiply by c_in"),
        (lambda k, ci, co: k * k * ci * co, "forgot the biases"),
        (lambda k, ci, co: k * ci * co + co, "k * k weights"),
    ]),
    "1.4": (lambda p, t: np.mean(p.max(1) >= t), [
        (lambda p, t: np.mean(p.max(1)), "mean confidence"),
        (lambda p, t: np.mean(p.max(1) > t), "exactly equal to the threshold counts"),
        (lambda p, t: np.sum(p.max(1) >= t), "not a count"),
    ]),
    "1.5": (lambda a, b, n: latent.interpolate(a, b, n), [
        (lambda a, b, n: np.linspace(a, b, n, endpoint=False), "include both end points"),
        (lambda a, b, n: np.linspace(b, a, n), "runs backwards"),
        (lambda a, b, n: np.linspace(a, b, n).T, "one row per step"),
    ]),
}


test_reference_passes, test_wrong_solution_fails_with_its_message, test_every_exercise_of_the_lesson_is_tested = \
    build(CASES, "1.")


def test_interpolate_and_prior():
    z0, z1 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    path = latent.interpolate(z0, z1, 5, kind="spherical")
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), 1.0, atol=1e-6)  # stays on the circle
    np.testing.assert_allclose(path[[0, -1]], [z0, z1], atol=1e-6)
    lin = latent.interpolate(z0, z1, 5)
    assert np.linalg.norm(lin[2]) == pytest.approx(np.sqrt(0.5))  # the linear path dips inside
    assert latent.sample_prior(3, 4, seed=1).shape == (3, 4)
    np.testing.assert_array_equal(latent.sample_prior(3, 4, seed=1), latent.sample_prior(3, 4, seed=1))
    with pytest.raises(ValueError, match="same length"):
        latent.interpolate([0, 1], [0, 1, 2])
    with pytest.raises(ValueError, match="kind must be one of"):
        latent.interpolate(z0, z1, kind="cubic")
    with pytest.raises(ValueError, match="steps must be an integer >= 2"):
        latent.interpolate(z0, z1, steps=1)


def test_encode_uses_the_vae_mean(zoo):
    from course_utils import data

    vae = zoo.load_pretrained("vae_2d")
    x, _ = data.load_mnist("test")
    z = latent.encode(vae.encoder, x[:10])
    np.testing.assert_allclose(z, vae.encoder.predict(x[:10], verbose=0)[0], atol=1e-6)
    with pytest.raises(ValueError, match=r"shape \(N, 28, 28, 1\)"):
        latent.encode(vae.encoder, np.zeros((2, 32, 32, 1), np.float32))
