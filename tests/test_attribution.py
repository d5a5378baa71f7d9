"""Attribution toolkit on the shipped models: the acceptance properties of lesson 05."""
import numpy as np
import pytest

from course_utils import attribution as A
from course_utils import data, models


@pytest.fixture(scope="module")
def digits():
    x, y = data.load_mnist("test")
    return x, y


@pytest.fixture(scope="module")
def vae16(zoo):
    return zoo.load_pretrained("vae_16d")


def test_ig_completeness_on_a_classifier_logit(classifier, digits):
    x, y = digits
    target = A.class_logit(classifier, 3)
    coarse = A.integrated_gradients(target, x[y == 3][:16], steps=64)
    fine = A.integrated_gradients(target, x[y == 3][:16], steps=256)
    assert coarse.batch_relative_error <= 0.01
    assert fine.batch_relative_error * 3 <= coarse.batch_relative_error
    assert coarse.attributions.shape == (16, 28, 28, 1)


def test_ig_completeness_on_a_decoder_patch(vae16, digits):
    x, _ = digits
    z = vae16.encoder.predict(x[:32], verbose=0)[0]
    target = A.decoder_patch(vae16.decoder, rows=(10, 18), cols=(10, 18))
    coarse = A.integrated_gradients(target, z, steps=64)
    fine = A.integrated_gradients(target, z, steps=256)
    assert coarse.batch_relative_error <= 0.01
    assert fine.batch_relative_error * 3 <= coarse.batch_relative_error


def test_ig_pieces_and_rules():
    alphas, weights = A.ig_alphas(4, "trapezoid")
    np.testing.assert_allclose(alphas, [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(weights, [0.125, 0.25, 0.25, 0.25, 0.125])
    np.testing.assert_allclose(A.ig_alphas(4, "riemann_midpoint")[0], [0.125, 0.375, 0.625, 0.875])
    x = np.ones((2, 3), np.float32)
    path = A.interpolate_path(x, 0.0, [0.0, 0.5, 1.0])
    assert path.shape == (2, 3, 3)
    np.testing.assert_allclose(path[:, 1], 0.5)
    # a quadratic target: IG is exact for the trapezoid rule on a linear gradient
    target = A.Target(lambda t: (t ** 2)[:, 0] + 3.0 * t[:, 1], (2,), "quadratic")
    r = A.integrated_gradients(target, np.array([[2.0, 1.0]], np.float32), steps=8)
    np.testing.assert_allclose(r.attributions, [[4.0, 3.0]], rtol=1e-5)
    assert abs(r.completeness_error[0]) < 1e-5


def test_smoothgrad_without_noise_is_the_gradient(classifier, digits):
    x, _ = digits
    target = A.class_logit(classifier, 7)
    np.testing.assert_allclose(A.smoothgrad(target, x[:6], n_samples=5, noise_level=0.0), A.gradients(target, x[:6]), atol=1e-6)
    noisy = A.smoothgrad(target, x[:6], n_samples=16, noise_level=0.2)
    assert not np.allclose(noisy, A.gradients(target, x[:6]), atol=1e-3)
    assert (A.smoothgrad(target, x[:2], n_samples=8, kind="squared") >= 0).all()
    assert (A.smoothgrad(target, x[:2], n_samples=8, kind="vargrad") >= 0).all()
    np.testing.assert_array_equal(A.smoothgrad(target, x[:2], n_samples=8, seed=3), A.smoothgrad(target, x[:2], n_samples=8, seed=3))


def test_gradient_times_input_is_one_step_ig_from_zero(classifier, digits):
    x, _ = digits
    target = A.class_logit(classifier, 2)
    one_step = A.integrated_gradients(target, x[:5], steps=1, rule="riemann_right").attributions
    np.testing.assert_allclose(A.gradient_x_input(target, x[:5]), one_step, atol=1e-6)


def test_gradients_match_finite_differences(vae16, digits):
    x, _ = digits
    target = A.latent_unit(vae16.encoder, 3)
    x0 = x[:1]
    g = A.gradients(target, x0)[0]
    i = np.unravel_index(np.argmax(np.abs(g)), g.shape)
    step = np.zeros_like(x0)
    step[(0,) + i] = 1e-3  # small: a ReLU network is only piecewise linear
    numeric = (target(x0 + step) - target(x0 - step))[0] / 2e-3
    assert numeric == pytest.approx(g[i], rel=0.05)


def test_decoder_jacobian_matches_gradients_of_single_pixels(vae16):
    z = np.random.default_rng(0).standard_normal((3, 16)).astype(np.float32)
    jac = A.decoder_jacobian(vae16.decoder, z)
    assert jac.shape == (3, 16, 28, 28, 1)
    pixel = A.decoder_patch(vae16.decoder, rows=(14, 15), cols=(12, 13))
    np.testing.assert_allclose(jac[:, :, 14, 12, 0], A.gradients(pixel, z), atol=1e-5)


def test_activation_maximisation_beats_the_data(classifier, digits):
    x, _ = digits
    target = A.class_logit(classifier, 3)
    start = np.full((4, 28, 28, 1), 0.1, np.float32)
    result = A.maximise(target, start, steps=80, step_size=0.02, value_range=(0, 1))
    assert result.history.shape == (81, 4)
    assert result.history[-1].min() > target(x).max()
    # no regulariser, small steps: the objective never falls by more than numerical noise
    assert np.diff(result.objective, axis=0).min() > -1e-3
    assert 0.0 <= result.x.min() and result.x.max() <= 1.0
    regularised = A.maximise(target, start, steps=20, step_size=0.02, l2=0.5, tv=0.05, jitter=1, value_range=(0, 1))
    assert np.isfinite(regularised.objective).all()
    assert (regularised.objective[-1] < regularised.history[-1]).all()  # the penalties are subtracted


def test_activation_maximisation_in_latent_space(zoo):
    gan = zoo.load_pretrained("dcgan")
    target = A.generator_target(gan.generator, gan.discriminator)
    z0 = np.random.default_rng(1).standard_normal((3, 64)).astype(np.float32)
    result = A.maximise(target, z0, steps=30, step_size=0.05)
    assert (result.history[-1] > result.history[0]).all()


def test_randomisation_decorrelates_vanilla_gradients(classifier, digits):
    x, y = digits
    pick = np.concatenate([np.flatnonzero(y == c)[:2] for c in range(10)])
    layers = ["clf_logits", "clf_dense", "clf_conv2", "clf_conv1"]
    scores = A.randomisation_test(classifier, lambda m: A.class_logit(m, 3), A.gradients, x[pick], layers)
    assert list(scores) == layers
    assert scores["clf_conv1"] <= 0.35
    # the original model compared with itself is perfectly correlated: the measure can tell
    same = A.spearman_rows(A.gradients(A.class_logit(classifier, 3), x[pick]), A.gradients(A.class_logit(classifier, 3), x[pick]))
    np.testing.assert_allclose(same, 1.0)


def test_targets_cover_generative_models(zoo, vae16, digits):
    from course_utils import losses

    x, _ = digits
    gan = zoo.load_pretrained("dcgan")
    score = np.asarray(A.discriminator_score(gan.discriminator)(x[:3]))
    np.testing.assert_allclose(score, gan.discriminator.predict(x[:3], verbose=0)[:, 0], rtol=1e-4, atol=1e-4)
    z_mean = vae16.encoder.predict(x[:3], verbose=0)[0]
    x_hat = vae16.decoder.predict(z_mean, verbose=0)
    rec = np.asarray(A.reconstruction_loss(vae16.encoder, vae16.decoder)(x[:3]))
    np.testing.assert_allclose(rec, np.asarray(losses.binary_cross_entropy(x[:3], x_hat)), rtol=1e-4)
    assert (rec > 0).all()
    patch = A.reconstruction_patch(vae16.encoder, vae16.decoder)
    np.testing.assert_allclose(np.asarray(patch(x[:3])), x_hat[:, 10:18, 10:18, 0].sum(axis=(1, 2)), rtol=1e-4, atol=1e-4)
    # the gradient agrees with a finite difference along a random direction
    grads = A.gradients(patch, x[:2])
    assert grads.shape == (2, 28, 28, 1)
    v = np.random.default_rng(0).normal(size=x[:2].shape).astype(np.float32)
    eps = 3e-4  # small: the VAE is piecewise linear (ReLU), larger steps cross kinks
    finite = (np.asarray(patch(x[:2] + eps * v), np.float64) - np.asarray(patch(x[:2] - eps * v), np.float64)) / (2 * eps)
    np.testing.assert_allclose((grads * v).sum(axis=(1, 2, 3)), finite, rtol=0.05, atol=0.2)


@pytest.mark.parametrize("call, message", [
    (lambda c: A.class_logit(c, 10), r"index must be a class in 0..9"),
    (lambda c: A.gradients(A.class_logit(c, 1), np.zeros((28, 28, 1))), r"must have shape \(N, 28, 28, 1\)"),
    (lambda c: A.gradients("logit", np.zeros((1, 28, 28, 1))), "target must be a course_utils.attribution.Target"),
    (lambda c: A.smoothgrad(A.class_logit(c, 1), np.zeros((1, 28, 28, 1)), kind="cubic"), "kind must be one of"),
    (lambda c: A.integrated_gradients(A.class_logit(c, 1), np.zeros((1, 28, 28, 1)), rule="simpson"), "rule must be one of"),
    (lambda c: A.integrated_gradients(A.class_logit(c, 1), np.zeros((2, 28, 28, 1)), baseline=np.zeros((3, 28, 28, 1))), "baseline must have the shape"),
    (lambda c: A.decoder_patch(c), "must output images"),
    (lambda c: A.decoder_patch(models.build_conv_vae(2).decoder, rows=(20, 30)), "inside the 28x28 image"),
    (lambda c: A.maximise(A.class_logit(c, 1), np.zeros((1, 28, 28, 1)), steps=0), "steps must be an integer"),
    (lambda c: A.randomise_layers(c, ["nope"]), "has no layer 'nope'"),
])
def test_bad_input(classifier, call, message):
    with pytest.raises(ValueError, match=message):
        call(classifier)


def test_own_class_maps_match_per_image_calls(classifier, digits):
    x, y = digits
    imgs, labels = x[:6], y[:6]
    maps = A.own_class_maps(A.gradients, classifier, imgs, labels)
    for i in range(6):
        np.testing.assert_allclose(maps[i], A.gradients(A.class_logit(classifier, int(labels[i])), imgs[i:i + 1])[0], atol=1e-6)
    ig = A.own_class_maps(A.integrated_gradients, classifier, imgs[:2], labels[:2], steps=8)
    assert ig.shape == (2, 28, 28, 1) and np.abs(ig).sum() > 0
    with pytest.raises(ValueError, match=r"labels must have shape \(6,\)"):
        A.own_class_maps(A.gradients, classifier, imgs, labels[:3])


def test_randomisation_on_stroke_pixels_only(classifier, digits):
    # grad x input looks model-independent over all pixels (shared zeros on the black background),
    # but on the strokes alone its maps clearly change once the model is randomised (lesson 08)
    x, y = digits
    pick = np.concatenate([np.flatnonzero(y == c)[:1] for c in range(10)])
    layers = ["clf_logits", "clf_dense", "clf_conv2", "clf_conv1"]
    target = lambda m: A.class_logit(m, 3)  # noqa: E731
    every = A.randomisation_test(classifier, target, A.gradient_x_input, x[pick], layers)
    ink = A.randomisation_test(classifier, target, A.gradient_x_input, x[pick], layers, mask=x[pick] > 0.1)
    assert every["clf_conv1"] > 0.9
    assert ink["clf_conv1"] < 0.5


def test_spearman_mask_selects_entries_and_rejects_bad_masks():
    a = np.array([[0.0, 0.0, 1.0, 2.0, 3.0]])
    b = np.array([[0.0, 0.0, 3.0, 2.0, 1.0]])
    mask = np.array([[False, False, True, True, True]])
    np.testing.assert_allclose(A.spearman_rows(a, b, mask), [-1.0])
    assert A.spearman_rows(a, b)[0] > -1.0  # the shared zeros pull the unmasked correlation up
    np.testing.assert_allclose(A.spearman_rows(a, b, np.array([[True, True, False, False, False]])), [0.0])  # < 3 entries
    with pytest.raises(ValueError, match="mask must be a boolean array"):
        A.spearman_rows(a, b, mask.astype(int))
    with pytest.raises(ValueError, match="same shape"):
        A.spearman_rows(a, b[:, :4])
