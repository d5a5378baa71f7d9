import numpy as np
import pytest

from course_utils import losses, maths


def test_monte_carlo_kl_converges_to_the_closed_form():
    mean = np.array([[0.5, -1.0, 0.0], [2.0, 0.1, -0.3]])
    log_var = np.array([[0.3, -0.8, 0.0], [-1.5, 0.2, 0.4]])
    mc = maths.gaussian_kl_monte_carlo(mean, log_var, n_samples=200_000, seed=1)
    np.testing.assert_allclose(mc, np.asarray(losses.gaussian_kl(mean, log_var)), rtol=0.01)
    assert maths.gaussian_kl_monte_carlo(np.zeros((1, 2)), np.zeros((1, 2)), 1000)[0] == pytest.approx(0.0, abs=1e-12)


def test_optimal_discriminator_value_is_minus_log4_plus_2jsd():
    grid = np.linspace(-8, 9, 6001)
    p, q = maths.normal_pdf(grid, 0, 1), maths.normal_pdf(grid, 1.5, 0.7)
    d_star = np.asarray(losses.optimal_discriminator(p, q))
    value = maths.gan_value(d_star, p, q, grid)
    assert value == pytest.approx(-np.log(4) + 2 * maths.js_divergence(p, q, grid), abs=1e-6)
    # D* beats any other discriminator, and p_g = p_data gives exactly -log 4 and D* = 1/2
    assert value > maths.gan_value(np.full_like(grid, 0.5), p, q, grid)
    assert maths.gan_value(np.full_like(grid, 0.5), p, p, grid) == pytest.approx(-np.log(4), abs=1e-6)
    assert maths.js_divergence(p, p, grid) == pytest.approx(0.0, abs=1e-12)


def test_fitted_discriminator_approaches_d_star():
    rng = np.random.default_rng(0)
    d = maths.fit_discriminator_1d(rng.normal(0, 1, 20_000), rng.normal(1.5, 0.7, 20_000))
    grid = np.linspace(-2.5, 3.5, 200)
    d_star = np.asarray(losses.optimal_discriminator(maths.normal_pdf(grid), maths.normal_pdf(grid, 1.5, 0.7)))
    assert np.abs(d(grid) - d_star).max() < 0.05


@pytest.mark.parametrize("call, message", [
    (lambda: maths.gaussian_kl_monte_carlo(np.zeros((2, 3)), np.zeros((2, 2))), r"both have shape \(N, K\)"),
    (lambda: maths.gaussian_kl_monte_carlo(np.zeros((2, 3)), np.zeros((2, 3)), n_samples=1), "n_samples"),
    (lambda: maths.normal_pdf(0.0, 0.0, -1.0), "sigma must be > 0"),
    (lambda: maths.fit_discriminator_1d([1.0], [0.0, 1.0]), "at least 2 real"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
