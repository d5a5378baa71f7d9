"""Checks for lesson 03 — building and training: encoder, decoder, VAE step, GAN step, activations."""
from __future__ import annotations

import numpy as np

from ..environment import quiet_tensorflow

quiet_tensorflow()

import keras  # noqa: E402

from .. import losses  # noqa: E402
from . import Fail, as_array, call, compare, exercise  # noqa: E402


def _model(value, what):
    if not isinstance(value, keras.Model):
        raise Fail(f"{what} returned {type(value).__name__}, not a keras.Model",
                   "end with `return keras.Model(inputs, outputs, name=...)`")
    return value


def _layer(model, name, what):
    try:
        return model.get_layer(name)
    except ValueError:
        names = [layer.name for layer in model.layers]
        raise Fail(f"{what} has no layer named {name!r} (its layers: {names})",
                   f"give the layer a name: layers.Dense(..., name={name!r})") from None


def _activation_name(layer) -> str:
    act = getattr(layer, "activation", None)
    return getattr(act, "__name__", str(act))


@exercise("3.1", "build the dense encoder")
def check_encoder(fn):
    for code_dim in (64, 8):
        enc = _model(call(fn, code_dim), f"build_encoder({code_dim})")
        if tuple(enc.input_shape[1:]) != (28, 28, 1):
            raise Fail(f"the encoder takes inputs of shape {tuple(enc.input_shape[1:])}, expected images (28, 28, 1)",
                       "start from keras.Input((28, 28, 1)) and flatten inside the model")
        if tuple(enc.output_shape[1:]) != (code_dim,):
            raise Fail(f"build_encoder({code_dim}) outputs shape {tuple(enc.output_shape[1:])}, expected ({code_dim},)",
                       "the last layer has code_dim units")
        d1, d2 = _layer(enc, "enc_dense1", "the encoder"), _layer(enc, "enc_dense2", "the encoder")
        if getattr(d1, "units", None) != 128 or _activation_name(d1) != "relu":
            raise Fail("enc_dense1 should be Dense(128, activation='relu')", "the article's first layer")
        if getattr(d2, "units", None) != code_dim:
            raise Fail(f"enc_dense2 should have code_dim = {code_dim} units, it has {getattr(d2, 'units', None)}")
        if _activation_name(d2) != "linear":
            raise Fail("the code layer enc_dense2 should be linear, not " + _activation_name(d2),
                       "a ReLU code can switch dimensions off for good; leave activation=None")
        expected = 784 * 128 + 128 + 128 * code_dim + code_dim
        if enc.count_params() != expected:
            raise Fail(f"the encoder has {enc.count_params()} parameters, expected {expected}",
                       "Flatten, Dense(128, relu), Dense(code_dim) — nothing more")
    return "Input(28, 28, 1) - Flatten - enc_dense1 (128, ReLU) - enc_dense2 (linear code)"


@exercise("3.2", "build the dense decoder")
def check_decoder(fn):
    for code_dim in (64, 8):
        dec = _model(call(fn, code_dim), f"build_decoder({code_dim})")
        if tuple(dec.input_shape[1:]) != (code_dim,):
            raise Fail(f"the decoder takes inputs of shape {tuple(dec.input_shape[1:])}, expected ({code_dim},)",
                       "start from keras.Input((code_dim,))")
        if tuple(dec.output_shape[1:]) == (784,):
            raise Fail("the decoder outputs flat vectors of 784; reshape them to images (28, 28, 1)",
                       "end with layers.Reshape((28, 28, 1), name='dec_reshape')")
        if tuple(dec.output_shape[1:]) != (28, 28, 1):
            raise Fail(f"the decoder outputs shape {tuple(dec.output_shape[1:])}, expected (28, 28, 1)")
        d1, d2 = _layer(dec, "dec_dense1", "the decoder"), _layer(dec, "dec_dense2", "the decoder")
        if getattr(d1, "units", None) != 128 or _activation_name(d1) != "relu":
            raise Fail("dec_dense1 should be Dense(128, activation='relu')")
        if getattr(d2, "units", None) != 784:
            raise Fail(f"dec_dense2 should have 784 units (one per pixel), it has {getattr(d2, 'units', None)}")
        out = np.asarray(dec(np.random.default_rng(302).normal(scale=3.0, size=(16, code_dim)).astype(np.float32)))
        if out.min() < 0 or out.max() > 1 or _activation_name(d2) != "sigmoid":
            raise Fail("the decoder's outputs must be pixel intensities in [0, 1]",
                       "use activation='sigmoid' on dec_dense2")
    return "Input(code) - dec_dense1 (128, ReLU) - dec_dense2 (784, sigmoid) - reshape to (28, 28, 1)"


def _weights(model):
    return [np.asarray(w) for w in model.get_weights()]


def _changed(before, after):
    return any(not np.allclose(a, b, atol=0) for a, b in zip(before, after))


def _same(a, b, atol=1e-5):
    return all(np.allclose(x, y, atol=atol, rtol=1e-4) for x, y in zip(a, b))


def _reference_vae_step(encoder, decoder, opt, x, eps):
    import tensorflow as tf

    variables = encoder.trainable_variables + decoder.trainable_variables
    with tf.GradientTape() as tape:
        mean, log_var = encoder(x, training=True)
        z = losses.reparameterize(mean, log_var, eps)
        loss = losses.vae_loss(x, decoder(z, training=True), mean, log_var)
    opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return float(loss)


@exercise("3.3", "one VAE training step")
def check_vae_step(fn):
    from .. import data

    from .. import zoo

    # two copies of the pretrained 2-D VAE: its KL is large enough that forgetting it shows
    vae_a, vae_b = zoo.load_pretrained("vae_2d"), zoo.load_pretrained("vae_2d")
    x, _ = data.load_mnist("test")
    x = x[np.random.default_rng(303).choice(len(x), 8, replace=False)]
    eps = np.random.default_rng(304).standard_normal((8, 2)).astype(np.float32)
    enc_before, dec_before = _weights(vae_a.encoder), _weights(vae_a.decoder)
    mean, log_var = (np.asarray(t) for t in vae_a.encoder(x))
    recon_at_mean = np.asarray(vae_a.decoder(mean))
    recon_sampled = np.asarray(vae_a.decoder(np.asarray(losses.reparameterize(mean, log_var, eps))))
    kl = np.asarray(losses.gaussian_kl(mean, log_var))

    got = as_array(call(fn, vae_a.encoder, vae_a.decoder, keras.optimizers.SGD(0.01), x, eps), "vae_train_step")
    expected = _reference_vae_step(vae_b.encoder, vae_b.decoder, keras.optimizers.SGD(0.01), x, eps)
    compare(got, expected, what="the returned loss", rtol=1e-4, atol=1e-3, mistakes=(
        (np.mean(np.asarray(losses.binary_cross_entropy(x, recon_at_mean)) + kl),
         "the decoder was fed the mean, not a sample: z = mean + exp(0.5 * log_var) * eps"),
        (np.mean(np.asarray(losses.binary_cross_entropy(x, recon_sampled))), "you forgot the KL term"),
        (np.mean(np.asarray(losses.binary_cross_entropy(x, recon_sampled)) - kl), "the KL is added, not subtracted"),
    ), hint="loss = losses.vae_loss(x, decoder(z), mean, log_var) computed inside the GradientTape")
    if not _changed(enc_before, _weights(vae_a.encoder)):
        raise Fail("the encoder's weights did not change",
                   "apply the gradients to encoder.trainable_variables + decoder.trainable_variables")
    if not _changed(dec_before, _weights(vae_a.decoder)):
        raise Fail("the decoder's weights did not change", "apply the gradients to the decoder's variables too")
    if not (_same(_weights(vae_a.encoder), _weights(vae_b.encoder)) and _same(_weights(vae_a.decoder), _weights(vae_b.decoder))):
        raise Fail("the loss is right but the weights moved differently from one optimizer step on it",
                   "take exactly one optimizer.apply_gradients step with the gradients of the loss you return")
    return "the right loss, and one optimizer step on encoder and decoder"


def _tiny_gan():
    z = keras.Input((4,))
    g = keras.layers.Dense(16, activation="relu")(z)
    g = keras.layers.Dense(784, activation="sigmoid")(g)
    generator = keras.Model(z, keras.layers.Reshape((28, 28, 1))(g))
    x = keras.Input((28, 28, 1))
    d = keras.layers.Flatten()(x)
    d = keras.layers.Dense(16, activation="leaky_relu")(d)
    discriminator = keras.Model(x, keras.layers.Dense(1)(d))
    return generator, discriminator


def _reference_gan_step(gen, disc, g_opt, d_opt, real, z):
    import tensorflow as tf

    with tf.GradientTape() as tape:
        d_loss = losses.discriminator_loss(disc(real, training=True), disc(gen(z, training=True), training=True))
    d_opt.apply_gradients(zip(tape.gradient(d_loss, disc.trainable_variables), disc.trainable_variables))
    with tf.GradientTape() as tape:
        fake_logits = disc(gen(z, training=True), training=True)
        g_loss = losses.generator_loss(fake_logits)
    g_opt.apply_gradients(zip(tape.gradient(g_loss, gen.trainable_variables), gen.trainable_variables))
    return float(d_loss), float(g_loss), np.asarray(fake_logits).ravel()


@exercise("3.4", "one GAN training step")
def check_gan_step(fn):
    from .. import data

    keras.utils.set_random_seed(304)
    ga, da = _tiny_gan()
    gb, db = _tiny_gan()
    gb.set_weights(ga.get_weights())
    db.set_weights(da.get_weights())
    real, _ = data.load_mnist("test")
    real = real[:16]
    z = np.random.default_rng(305).standard_normal((16, 4)).astype(np.float32)
    fake_logits_before = np.asarray(da(ga(z))).ravel()
    real_logits_before = np.asarray(da(real)).ravel()
    swapped = float(np.mean(np.logaddexp(0, real_logits_before)) + np.mean(np.logaddexp(0, -fake_logits_before)))
    result = call(fn, ga, da, keras.optimizers.SGD(0.05), keras.optimizers.SGD(0.05), real, z)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Fail(f"gan_train_step returned {type(result).__name__}; return the pair (d_loss, g_loss)")
    d_got, g_got = (as_array(r, "a loss") for r in result)
    d_ref, g_ref, fake_logits_g_step = _reference_gan_step(gb, db, keras.optimizers.SGD(0.05), keras.optimizers.SGD(0.05), real, z)
    compare(d_got, d_ref, what="d_loss", rtol=1e-4, atol=1e-5, mistakes=(
        (swapped, "d_loss has real and fake labels swapped: real images should get D(x) -> 1"),
    ), hint="d_loss = losses.discriminator_loss(discriminator(real), discriminator(generator(z)))")
    sat = -float(np.mean(np.logaddexp(0, fake_logits_g_step)))
    if np.isclose(float(g_got), sat, rtol=1e-3) and not np.isclose(float(g_got), g_ref, rtol=1e-3):
        raise Fail("g_loss is the saturating minimax loss log(1 - D(G(z)))",
                   "use the non-saturating losses.generator_loss(discriminator(generator(z)))")
    compare(g_got, g_ref, what="g_loss", rtol=1e-4, atol=1e-5,
            hint="first update D, then compute g_loss with the *updated* discriminator and update G")
    if not _same(_weights(da), _weights(db)):
        raise Fail("the discriminator's weights are not what one discriminator step gives",
                   "in the generator step apply gradients to generator.trainable_variables only")
    if not _same(_weights(ga), _weights(gb)):
        raise Fail("the generator's weights are not what one generator step gives",
                   "apply the generator's gradients once, to generator.trainable_variables")
    return "a discriminator step, then a non-saturating generator step"


@exercise("3.5", "read a layer's activations")
def check_activations(fn):
    from .. import data, zoo

    x, _ = data.load_mnist("test")
    x = x[np.random.default_rng(306).choice(len(x), 12, replace=False)]
    cases = [(zoo.load_pretrained("classifier"), "clf_dense"), (zoo.load_pretrained("dense_ae").encoder, "enc_dense1")]
    for model, name in cases:
        expected = keras.Model(model.inputs, model.get_layer(name).output).predict(x, verbose=0)
        got = as_array(call(fn, model, name, x), "layer_activations")
        final = model.predict(x, verbose=0)
        compare(got, expected, what=f"the activations of {name}", rtol=1e-4, atol=1e-5, mistakes=(
            (final, "that is the model's final output; stop at the named layer with a sub-model"),
            (np.asarray(model.get_layer(name).kernel), "those are the layer's weights (its kernel), not its activations"),
        ), hint="keras.Model(model.inputs, model.get_layer(layer_name).output).predict(x, verbose=0)")
    return "a sub-model from the input to the named layer"
