"""Every lesson-03 check: the reference passes, realistic wrong solutions fail with their message."""
import keras
import numpy as np
import tensorflow as tf
from keras import layers

from course_utils import losses
from _check_cases import build


def encoder(code_dim, code_activation=None, flatten=True, names=("enc_dense1", "enc_dense2")):
    x = keras.Input((28, 28, 1) if flatten else (784,))
    h = layers.Flatten()(x) if flatten else x
    h = layers.Dense(128, activation="relu", name=names[0])(h)
    return keras.Model(x, layers.Dense(code_dim, activation=code_activation, name=names[1])(h))


def decoder(code_dim, out_activation="sigmoid", reshape=True):
    z = keras.Input((code_dim,))
    y = layers.Dense(128, activation="relu", name="dec_dense1")(z)
    y = layers.Dense(784, activation=out_activation, name="dec_dense2")(y)
    return keras.Model(z, layers.Reshape((28, 28, 1))(y) if reshape else y)


def vae_step(mode="right"):
    def step(enc, dec, opt, x, eps):
        variables = enc.trainable_variables + dec.trainable_variables
        if mode == "decoder_only":
            variables = dec.trainable_variables
        with tf.GradientTape() as tape:
            mean, log_var = enc(x)
            z = mean if mode == "no_noise" else losses.reparameterize(mean, log_var, eps)
            rec = losses.binary_cross_entropy(x, dec(z))
            kl = losses.gaussian_kl(mean, log_var)
            loss = tf.reduce_mean(rec) if mode == "no_kl" else tf.reduce_mean(rec + kl)
        opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
        if mode == "twice":
            with tf.GradientTape() as tape:
                mean, log_var = enc(x)
                again = losses.vae_loss(x, dec(losses.reparameterize(mean, log_var, eps)), mean, log_var)
            opt.apply_gradients(zip(tape.gradient(again, variables), variables))
        return loss
    return step


def gan_step(mode="right"):
    def step(gen, disc, g_opt, d_opt, real, z):
        with tf.GradientTape() as tape:
            real_logits, fake_logits = disc(real), disc(gen(z))
            if mode == "swapped":
                d_loss = losses.discriminator_loss(fake_logits, real_logits)
            else:
                d_loss = losses.discriminator_loss(real_logits, fake_logits)
        d_opt.apply_gradients(zip(tape.gradient(d_loss, disc.trainable_variables), disc.trainable_variables))
        variables = gen.trainable_variables + (disc.trainable_variables if mode == "both" else [])
        with tf.GradientTape() as tape:
            fake_logits = disc(gen(z))
            g_loss = -tf.reduce_mean(tf.nn.softplus(fake_logits)) if mode == "saturating" else losses.generator_loss(fake_logits)
        g_opt.apply_gradients(zip(tape.gradient(g_loss, variables), variables))
        return d_loss, g_loss
    return step


def sub_model(model, name, x):
    return keras.Model(model.inputs, model.get_layer(name).output).predict(x, verbose=0)


CASES = {
    "3.1": (encoder, [
        (lambda d: encoder(d, code_activation="relu"), "should be linear"),
        (lambda d: encoder(d, flatten=False), "expected images (28, 28, 1)"),
        (lambda d: encoder(d, names=("dense1", "dense2")), "has no layer named 'enc_dense1'"),
        (lambda d: None, "returned NoneType, not a keras.Model"),
    ]),
    "3.2": (decoder, [
        (lambda d: decoder(d, out_activation=None), "in [0, 1]"),
        (lambda d: decoder(d, reshape=False), "reshape them to images"),
    ]),
    "3.3": (vae_step(), [
        (vae_step("no_noise"), "fed the mean, not a sample"),
        (vae_step("no_kl"), "forgot the KL"),
        (vae_step("decoder_only"), "encoder's weights did not change"),
        (vae_step("twice"), "weights moved differently"),
    ]),
    "3.4": (gan_step(), [
        (gan_step("swapped"), "labels swapped"),
        (gan_step("saturating"), "saturating minimax loss"),
        (gan_step("both"), "generator.trainable_variables only"),
        (lambda *a: 0.5, "return the pair"),
    ]),
    "3.5": (sub_model, [
        (lambda m, name, x: m.predict(x, verbose=0), "final output"),
        (lambda m, name, x: np.asarray(m.get_layer(name).kernel), "weights (its kernel)"),
        (lambda m, name, x: m.get_layer(name).activation(x), "activations of"),
    ]),
}


test_reference_passes, test_wrong_solution_fails_with_its_message, test_every_exercise_of_the_lesson_is_tested = \
    build(CASES, "3.")
