"""Activation analysis on the shipped models, and active units on a VAE with known unused units."""
import numpy as np
import pytest

from course_utils import activations as act
from course_utils import data


@pytest.fixture(scope="module")
def test_digits():
    return data.load_mnist("test")


def test_layer_outputs_reads_several_layers_in_one_pass(classifier, test_digits):
    x, _ = test_digits
    out = act.layer_outputs(classifier, ["clf_conv1", "clf_dense", "clf_logits"], x[:20])
    assert out["clf_conv1"].shape == (20, 28, 28, 32) and out["clf_dense"].shape == (20, 64)
    np.testing.assert_allclose(out["clf_logits"], classifier.predict(x[:20], verbose=0), atol=1e-5)
    assert (out["clf_dense"] >= 0).all()  # ReLU


def test_unit_statistics_and_dead_units():
    acts = np.array([[0.0, 1.0, 2.0], [0.0, 3.0, 0.0], [0.0, 2.0, 0.0]])
    stats = act.unit_statistics(acts)
    np.testing.assert_allclose(stats["mean"], [0, 2, 2 / 3])
    np.testing.assert_allclose(stats["fraction_zero"], [1, 0, 2 / 3])
    np.testing.assert_array_equal(act.dead_units(acts), [True, False, False])
    conv = np.zeros((2, 4, 4, 3))
    conv[0, 1, 1, 2] = 8.0
    np.testing.assert_allclose(act.per_unit(conv), [[0, 0, 0.5], [0, 0, 0]])
    np.testing.assert_array_equal(act.dead_units(conv), [True, True, False])


def test_class_selectivity_closed_forms():
    labels = np.repeat(np.arange(4), 5)
    only_class_2 = (labels == 2).astype(float)
    uniform = np.ones(20)
    acts = np.stack([only_class_2, uniform], axis=1)
    np.testing.assert_allclose(act.class_selectivity(acts, labels), [1.0, 0.0], atol=1e-6)
    assert act.class_means(acts, labels).shape == (4, 2)
    with pytest.raises(ValueError, match="non-negative"):
        act.class_selectivity(-acts, labels)


def test_classifier_has_selective_units(classifier, test_digits):
    x, y = test_digits
    dense = act.layer_outputs(classifier, "clf_dense", x)["clf_dense"]
    selectivity = act.class_selectivity(dense[:, ~act.dead_units(dense)], y)
    assert selectivity.max() > 0.5 and 0 <= selectivity.min()


def test_kl_per_dimension_and_active_units_on_the_16d_vae(zoo, test_digits):
    x, _ = test_digits
    vae = zoo.load_pretrained("vae_16d")
    kl = act.kl_per_dimension(vae.encoder, x)
    np.testing.assert_allclose(kl, zoo.read_manifest()["models"]["vae_16d"]["metrics"]["kl_per_dim"], atol=1e-3)
    count, activity = act.active_units(vae.encoder, x)
    assert count == int((activity > 0.01).sum()) and 0 < count < 16
    # inactive units carry (almost) no KL, and activity and KL rank the units alike
    assert set(np.flatnonzero(activity <= 0.01)) <= set(np.flatnonzero(kl < 0.1))
    from scipy.stats import spearmanr

    assert spearmanr(activity, kl).statistic > 0.8


def test_active_units_on_a_linear_vae_with_known_rank():
    """Data with 3 real directions in 12-D: a linear VAE with 6 latent units uses exactly 3."""
    import keras
    import tensorflow as tf

    from course_utils import losses

    rng = np.random.default_rng(0)
    mixing = rng.normal(size=(3, 12))
    x = (rng.standard_normal((1024, 3)) @ mixing + 0.05 * rng.standard_normal((1024, 12))).astype(np.float32)
    keras.utils.set_random_seed(0)
    inp = keras.Input((12,))
    encoder = keras.Model(inp, [keras.layers.Dense(6)(inp), keras.layers.Dense(6)(inp)])
    z_in = keras.Input((6,))
    decoder = keras.Model(z_in, keras.layers.Dense(12)(z_in))
    variables = encoder.trainable_variables + decoder.trainable_variables
    opt = keras.optimizers.Adam(0.01)
    noise = tf.random.Generator.from_seed(0)

    @tf.function
    def step(xb):
        with tf.GradientTape() as tape:
            mean, log_var = encoder(xb)
            z = losses.reparameterize(mean, log_var, noise.normal(tf.shape(mean)))
            nll = tf.reduce_sum(tf.square(xb - decoder(z)), axis=1) / (2 * 0.1 ** 2)  # Gaussian, sigma 0.1 > noise
            loss = tf.reduce_mean(nll + losses.gaussian_kl(mean, log_var))
        opt.apply_gradients(zip(tape.gradient(loss, variables), variables))

    for _ in range(3000):
        step(x)
    count, activity = act.active_units(encoder, x)
    assert count == 3, activity
    assert np.sort(act.kl_per_dimension(encoder, x))[:3].max() < 0.1


@pytest.mark.parametrize("call, message", [
    (lambda c: act.layer_outputs(c, ["nope"], np.zeros((1, 28, 28, 1))), r"has no layer\(s\) \['nope'\]"),
    (lambda c: act.layer_outputs(c, [], np.zeros((1, 28, 28, 1))), "at least one layer"),
    (lambda c: act.layer_outputs(c, "clf_dense", np.zeros((28, 28, 1))), r"x must have shape \(N, 28, 28, 1\)"),
    (lambda c: act.class_selectivity(np.ones((4, 2)), np.zeros(3)), r"labels must have shape \(4,\)"),
    (lambda c: act.posterior(c, np.zeros((1, 28, 28, 1))), "must be a VAE encoder"),
    (lambda c: act.activation_pca(np.ones((3, 2)), n_components=5), "n_components must be <= 2"),
])
def test_bad_input(classifier, call, message):
    with pytest.raises(ValueError, match=message):
        call(classifier)


def test_activation_pca_orders_directions_by_variance():
    rng = np.random.default_rng(0)
    acts = rng.normal(size=(500, 3)) * np.array([5.0, 1.0, 0.1])
    projected, pca = act.activation_pca(acts, n_components=2)
    assert projected.shape == (500, 2)
    assert pca.explained_variance_ratio_[0] > 0.9
    assert abs(pca.components_[0][0]) > 0.99  # the high-variance unit
