"""Disentanglement metrics on closed-form codes, the zoo's shapes pair, and latent directions."""
import numpy as np
import pytest

from course_utils import data, directions
from course_utils import disentanglement as dis

CATEGORICAL = (0,)  # the shapes' first factor (shape) is categorical


@pytest.fixture(scope="module")
def factors():
    return data.sample_shape_factors(2000, seed=3).astype(np.float64)


def aligned(factors):
    return (factors - factors.mean(0)) / factors.std(0) + np.random.default_rng(0).normal(scale=1e-3, size=factors.shape)


def test_aligned_code_scores_about_one(factors):
    m = dis.all_metrics(aligned(factors), factors, CATEGORICAL)
    for name in ("MIG", "SAP", "disentanglement", "completeness", "informativeness"):
        assert m[name] > 0.85, (name, m)


def test_constant_code_scores_zero(factors):
    m = dis.all_metrics(np.zeros((len(factors), 5)), factors, CATEGORICAL)
    for name in ("MIG", "SAP", "disentanglement", "completeness"):
        assert m[name] == pytest.approx(0.0, abs=1e-9), (name, m)
    assert m["informativeness"] < 0.05


def test_rotated_and_duplicated_codes(factors):
    code = aligned(factors)
    q, _ = np.linalg.qr(np.random.default_rng(1).normal(size=(5, 5)))
    rotated = dis.all_metrics(code @ q, factors, CATEGORICAL)
    duplicated = dis.all_metrics(np.concatenate([code, code], axis=1), factors, CATEGORICAL)
    straight = dis.all_metrics(code, factors, CATEGORICAL)
    assert rotated["MIG"] < 0.5 * straight["MIG"] and rotated["SAP"] < 0.5 * straight["SAP"]
    assert rotated["informativeness"] > 0.7  # the information is all there, just mixed
    # duplicating every code: no gap between the best two codes, completeness drops, disentanglement stays
    assert duplicated["MIG"] < 0.05 and duplicated["SAP"] < 0.05
    assert duplicated["completeness"] < straight["completeness"] - 0.2
    assert duplicated["disentanglement"] > 0.8


def test_mig_from_mi_closed_form():
    mi = np.array([[2.0, 0.1], [0.5, 0.1], [0.0, 1.0]])
    value, gaps = dis.mig_from_mi(mi, np.array([2.0, 1.0]))
    np.testing.assert_allclose(gaps, [0.75, 0.9])
    assert value == pytest.approx(0.825)
    with pytest.raises(ValueError, match=r"mi must be \(K >= 2, F\)"):
        dis.mig_from_mi(np.ones((1, 2)), np.ones(2))


def test_beta_vae_is_more_disentangled_than_the_plain_vae(zoo):
    shapes = data.make_shapes(3000, seed=zoo.SHAPES_TEST_SEED)
    scores = {}
    for name in ("shapes_vae", "shapes_beta_vae"):
        codes = zoo.load_pretrained(name).encoder.predict(shapes.images, verbose=0)[0]
        scores[name] = dis.mig(codes, shapes.factors, CATEGORICAL)
    assert scores["shapes_beta_vae"] > scores["shapes_vae"], scores


def test_metric_input_validation():
    with pytest.raises(ValueError, match="same N"):
        dis.mig(np.zeros((20, 2)), np.zeros((19, 2)))
    with pytest.raises(ValueError, match="at least 10 examples"):
        dis.sap(np.zeros((5, 2)), np.zeros((5, 2)))


# ------------------------------------------------------------------------------ directions
def test_conditional_direction_is_orthogonal():
    rng = np.random.default_rng(0)
    n1, n2 = rng.normal(size=16), rng.normal(size=16)
    c = directions.conditional_direction(n1, n2)
    assert abs(c @ (n2 / np.linalg.norm(n2))) < 1e-6 and np.linalg.norm(c) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="parallel"):
        directions.conditional_direction(n1, 2 * n1)


def test_attribute_direction_recovers_a_planted_direction():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(500, 8))
    true = np.zeros(8)
    true[3] = 1.0
    attribute = z @ true + 0.05 * rng.normal(size=500)
    assert abs(directions.attribute_direction(z, attribute) @ true) > 0.99
    assert directions.attribute_direction(z, (attribute > 0).astype(int), kind="logistic") @ true > 0.95
    assert directions.edit(z[:2], true, [-1, 0, 1]).shape == (3, 2, 8)


def test_editing_along_a_fitted_direction_changes_the_attribute_monotonically(zoo):
    """InterFaceGAN on the VAE: sample the prior, decode, measure slant, fit a direction, then edit
    fresh prior samples along it — the decoded slant must rise with the edit for (nearly) every seed."""
    from scipy.stats import spearmanr

    from course_utils import attributes, latent

    decoder = zoo.load_pretrained("vae_16d").decoder
    z = latent.sample_prior(3000, 16, seed=0)
    direction = directions.attribute_direction(z, attributes.slant(decoder.predict(z, verbose=0)))
    alphas = np.linspace(-2, 2, 9)
    starts = latent.sample_prior(30, 16, seed=1)
    slant = directions.edit_measurements(decoder, starts, direction, alphas, {"slant": attributes.slant})["slant"]
    rhos = directions.monotonicity(alphas, slant)
    assert np.mean(rhos) >= 0.9, np.round(rhos, 2)
    # the batched measurement is the per-start loop, and the correlation is scipy's Spearman
    one = attributes.slant(decoder.predict(directions.edit(starts[4], direction, alphas), verbose=0))
    np.testing.assert_allclose(slant[4], one, rtol=1e-4, atol=1e-4)
    assert rhos[4] == pytest.approx(spearmanr(alphas, one).statistic, abs=1e-6)
    with pytest.raises(ValueError, match=r"values must be \(N starts, 9 alphas\)"):
        directions.monotonicity(alphas, slant[:, :5])
    with pytest.raises(ValueError, match="starts must be"):
        directions.edit_measurements(decoder, starts[0], direction, alphas, {"slant": attributes.slant})


def test_sefa_top_direction_is_the_top_singular_vector(zoo):
    gan = zoo.load_pretrained("dcgan")
    kernel = np.asarray(gan.generator.get_layer("gen_dense").kernel)  # (64, 6272) = A^T
    dirs, eigenvalues = directions.sefa(kernel, n_directions=5)
    _, _, vh = np.linalg.svd(kernel.T, full_matrices=False)
    assert abs(dirs[0] @ vh[0]) >= 0.9999
    assert np.all(np.diff(eigenvalues) <= 0)


def test_ganspace_agrees_with_sefa_for_a_linear_first_layer(zoo):
    gan = zoo.load_pretrained("dcgan")
    sefa_dirs, _ = directions.sefa(np.asarray(gan.generator.get_layer("gen_dense").kernel), n_directions=3)
    gs_dirs, ratios = directions.ganspace(gan.generator, "gen_dense", n_samples=20000, n_components=3)
    assert np.all(np.diff(ratios) <= 0)
    assert abs(gs_dirs[0] @ sefa_dirs[0]) > 0.98
