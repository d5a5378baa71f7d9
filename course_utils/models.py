"""Keras 3 functional builders for every model in the course (lesson 03 builds them by hand).

Every layer has an explicit name, so ``model.get_layer("enc_dense1")`` works and lessons can
read any intermediate activation through a sub-model (lesson 04). Builders return fresh,
untrained models; :mod:`course_utils.zoo` loads the pretrained weights into them.

=====================  ==========================================================  =========
builder                what it returns                                             lessons
=====================  ==========================================================  =========
build_classifier       small CNN, 28x28x1 image -> 10 logits                        03-08
build_dense_autoencoder  the article's 784-128-64-128-784 autoencoder, done right   01, 03-05
build_conv_vae         convolutional VAE: encoder -> (z_mean, z_log_var), decoder   02-07
build_dcgan            DCGAN generator z -> image and discriminator image -> logit  01-07
=====================  ==========================================================  =========
"""
from __future__ import annotations

from typing import NamedTuple

from .environment import quiet_tensorflow

quiet_tensorflow()  # import TensorFlow without its start-up log lines

import keras  # noqa: E402
from keras import layers  # noqa: E402

from . import _validate as v  # noqa: E402

MNIST_SHAPE = (28, 28, 1)


class AutoencoderParts(NamedTuple):
    """``model`` maps image -> reconstruction; ``encoder`` image -> code; ``decoder`` code -> image."""

    model: keras.Model
    encoder: keras.Model
    decoder: keras.Model


class VAEParts(NamedTuple):
    """``encoder`` maps image -> [z_mean, z_log_var]; ``decoder`` maps z -> image in [0, 1].

    ``model`` maps image -> [reconstruction of z_mean, z_mean, z_log_var] (no sampling), and
    holds every weight of both parts, so one weights file saves and loads the whole VAE.
    """

    model: keras.Model
    encoder: keras.Model
    decoder: keras.Model


class GANParts(NamedTuple):
    """``generator`` maps z -> image in [0, 1]; ``discriminator`` maps image -> real/fake logit.

    ``model`` maps [z, image] -> [generator(z), discriminator(image)] and holds both weight sets.
    """

    model: keras.Model
    generator: keras.Model
    discriminator: keras.Model


def _image_shape(image_shape) -> tuple:
    shape = tuple(image_shape)
    if len(shape) != 3 or not all(isinstance(s, int) and s > 0 for s in shape):
        raise ValueError(f"image_shape must be (height, width, channels) of positive ints, got {image_shape!r}")
    return shape


def build_classifier(image_shape=MNIST_SHAPE, n_classes: int = 10, dropout: float = 0.3) -> keras.Model:
    """A small CNN digit classifier that outputs **logits** (apply softmax for probabilities).

    Layers: clf_conv1 (32 3x3) - clf_pool1 - clf_conv2 (64 3x3) - clf_pool2 - clf_flatten -
    clf_dropout - clf_dense (64, ReLU) - clf_logits (n_classes).
    """
    image_shape = _image_shape(image_shape)
    n_classes = v.positive_int("n_classes", n_classes, minimum=2)
    v.number_in("dropout", dropout, 0.0, 0.9)
    x_in = keras.Input(image_shape, name="image")
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name="clf_conv1")(x_in)
    x = layers.MaxPooling2D(name="clf_pool1")(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu", name="clf_conv2")(x)
    x = layers.MaxPooling2D(name="clf_pool2")(x)
    x = layers.Flatten(name="clf_flatten")(x)
    x = layers.Dropout(dropout, name="clf_dropout")(x)
    x = layers.Dense(64, activation="relu", name="clf_dense")(x)
    logits = layers.Dense(n_classes, name="clf_logits")(x)
    return keras.Model(x_in, logits, name="digit_classifier")


def build_dense_autoencoder(image_shape=MNIST_SHAPE, hidden: int = 128, code_dim: int = 64) -> AutoencoderParts:
    """The article's dense autoencoder (784 -> 128 -> 64 -> 128 -> 784), done right.

    Differences from the article's snippet (lesson 03 explains each): the decoder is fed the
    encoder's code of real images (the article fed it noise), the 64-unit code is linear (a ReLU
    code can switch dimensions off for good), and the output is a sigmoid so pixels lie in [0, 1].

    Layers: enc_flatten - enc_dense1 (128, ReLU) - enc_dense2 (64, linear code) |
    dec_dense1 (128, ReLU) - dec_dense2 (784, sigmoid) - dec_reshape.
    """
    image_shape = _image_shape(image_shape)
    hidden = v.positive_int("hidden", hidden)
    code_dim = v.positive_int("code_dim", code_dim)
    n_pixels = image_shape[0] * image_shape[1] * image_shape[2]

    x_in = keras.Input(image_shape, name="image")
    h = layers.Flatten(name="enc_flatten")(x_in)
    h = layers.Dense(hidden, activation="relu", name="enc_dense1")(h)
    code = layers.Dense(code_dim, name="enc_dense2")(h)
    encoder = keras.Model(x_in, code, name="ae_encoder")

    z_in = keras.Input((code_dim,), name="code")
    y = layers.Dense(hidden, activation="relu", name="dec_dense1")(z_in)
    y = layers.Dense(n_pixels, activation="sigmoid", name="dec_dense2")(y)
    y = layers.Reshape(image_shape, name="dec_reshape")(y)
    decoder = keras.Model(z_in, y, name="ae_decoder")

    model = keras.Model(x_in, decoder(encoder(x_in)), name="dense_autoencoder")
    return AutoencoderParts(model, encoder, decoder)


class Sampling(layers.Layer):
    """The reparameterisation trick: z = mean + exp(log_var / 2) * eps, eps ~ N(0, I).

    Written as a layer so the randomness is seeded (``seed``) and the gradient flows to
    mean and log_var (lesson 02).
    """

    def __init__(self, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        eps = keras.random.normal(keras.ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + keras.ops.exp(0.5 * z_log_var) * eps


def build_conv_vae(latent_dim: int = 16, image_shape=MNIST_SHAPE, filters=(32, 64), hidden: int = 64) -> VAEParts:
    """A convolutional VAE with separate encoder and decoder models.

    Encoder: enc_conv1 (3x3, stride 2) - enc_conv2 (3x3, stride 2) - enc_flatten - enc_dense
    (ReLU) - z_mean and z_log_var (both linear, ``latent_dim`` units).
    Decoder: dec_dense (ReLU) - dec_reshape - dec_deconv1 - dec_deconv2 (transposed convs,
    stride 2) - dec_output (3x3 conv, sigmoid): Bernoulli means in [0, 1].
    The image height and width must be divisible by 4.
    """
    latent_dim = v.positive_int("latent_dim", latent_dim)
    image_shape = _image_shape(image_shape)
    hidden = v.positive_int("hidden", hidden)
    if image_shape[0] % 4 or image_shape[1] % 4:
        raise ValueError(f"image height and width must be divisible by 4, got {image_shape}")
    f1, f2 = (v.positive_int("filters", f) for f in filters)
    small = (image_shape[0] // 4, image_shape[1] // 4)

    x_in = keras.Input(image_shape, name="image")
    h = layers.Conv2D(f1, 3, strides=2, padding="same", activation="relu", name="enc_conv1")(x_in)
    h = layers.Conv2D(f2, 3, strides=2, padding="same", activation="relu", name="enc_conv2")(h)
    h = layers.Flatten(name="enc_flatten")(h)
    h = layers.Dense(hidden, activation="relu", name="enc_dense")(h)
    z_mean = layers.Dense(latent_dim, name="z_mean")(h)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)
    encoder = keras.Model(x_in, [z_mean, z_log_var], name="vae_encoder")

    z_in = keras.Input((latent_dim,), name="z")
    y = layers.Dense(small[0] * small[1] * f2, activation="relu", name="dec_dense")(z_in)
    y = layers.Reshape((small[0], small[1], f2), name="dec_reshape")(y)
    y = layers.Conv2DTranspose(f2, 3, strides=2, padding="same", activation="relu", name="dec_deconv1")(y)
    y = layers.Conv2DTranspose(f1, 3, strides=2, padding="same", activation="relu", name="dec_deconv2")(y)
    y = layers.Conv2D(image_shape[2], 3, padding="same", activation="sigmoid", name="dec_output")(y)
    decoder = keras.Model(z_in, y, name="vae_decoder")

    mean, log_var = encoder(x_in)
    model = keras.Model(x_in, [decoder(mean), mean, log_var], name=f"conv_vae_{latent_dim}d")
    return VAEParts(model, encoder, decoder)


def build_dcgan(latent_dim: int = 64, image_shape=MNIST_SHAPE, width: int = 32) -> GANParts:
    """A DCGAN (Radford et al., 2016) for 28x28 digits.

    Channel counts scale with ``width`` (w).
    Generator: gen_dense - gen_bn0 - gen_relu0 - gen_reshape (7x7x4w) - gen_deconv1 (2w, 4x4,
    stride 2) - gen_bn1 - gen_relu1 - gen_deconv2 (w, stride 2) - gen_bn2 - gen_relu2 -
    gen_output (3x3 conv, sigmoid): images in [0, 1] like the data.
    Discriminator: disc_conv1 (2w, 4x4, stride 2) - disc_lrelu1 - disc_conv2 (4w, stride 2) -
    disc_lrelu2 - disc_flatten - disc_dropout - disc_logit (1 unit, a logit: > 0 means "real").
    """
    latent_dim = v.positive_int("latent_dim", latent_dim)
    image_shape = _image_shape(image_shape)
    w = v.positive_int("width", width)
    if image_shape[:2] != (28, 28):
        raise ValueError(f"the DCGAN is built for 28x28 images, got image_shape {image_shape}")

    z_in = keras.Input((latent_dim,), name="z")
    g = layers.Dense(7 * 7 * 4 * w, use_bias=False, name="gen_dense")(z_in)
    g = layers.BatchNormalization(name="gen_bn0")(g)
    g = layers.ReLU(name="gen_relu0")(g)
    g = layers.Reshape((7, 7, 4 * w), name="gen_reshape")(g)
    g = layers.Conv2DTranspose(2 * w, 4, strides=2, padding="same", use_bias=False, name="gen_deconv1")(g)
    g = layers.BatchNormalization(name="gen_bn1")(g)
    g = layers.ReLU(name="gen_relu1")(g)
    g = layers.Conv2DTranspose(w, 4, strides=2, padding="same", use_bias=False, name="gen_deconv2")(g)
    g = layers.BatchNormalization(name="gen_bn2")(g)
    g = layers.ReLU(name="gen_relu2")(g)
    g = layers.Conv2D(image_shape[2], 3, padding="same", activation="sigmoid", name="gen_output")(g)
    generator = keras.Model(z_in, g, name="dcgan_generator")

    x_in = keras.Input(image_shape, name="image")
    d = layers.Conv2D(2 * w, 4, strides=2, padding="same", name="disc_conv1")(x_in)
    d = layers.LeakyReLU(0.2, name="disc_lrelu1")(d)
    d = layers.Conv2D(4 * w, 4, strides=2, padding="same", name="disc_conv2")(d)
    d = layers.LeakyReLU(0.2, name="disc_lrelu2")(d)
    d = layers.Flatten(name="disc_flatten")(d)
    d = layers.Dropout(0.3, name="disc_dropout")(d)
    logit = layers.Dense(1, name="disc_logit")(d)
    discriminator = keras.Model(x_in, logit, name="dcgan_discriminator")

    model = keras.Model([z_in, x_in], [generator(z_in), discriminator(x_in)], name="dcgan")
    return GANParts(model, generator, discriminator)


def describe(model: keras.Model) -> str:
    """A plain-text table of a model's layers: name, type, output shape, activation, parameters.

    Works where ``model.summary()`` prints nothing (the course turns Keras' interactive
    logging off to keep notebooks quiet). Nested models appear as one row each.
    """
    if not isinstance(model, keras.Model):
        raise ValueError(f"model must be a keras.Model, got {type(model).__name__}")
    rows = [("layer", "type", "output shape", "activation", "params")]
    for layer in model.layers:
        shape = getattr(layer, "output", None)
        shape = tuple(shape.shape) if shape is not None and hasattr(shape, "shape") else "-"
        act = getattr(getattr(layer, "activation", None), "__name__", "")
        rows.append((layer.name, type(layer).__name__, str(shape), act, f"{layer.count_params():,}"))
    rows.append(("total", "", "", "", f"{model.count_params():,}"))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) if i < 4 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.insert(len(lines) - 1, "-" * len(lines[0]))
    return f"{model.name}\n" + "\n".join(lines)
