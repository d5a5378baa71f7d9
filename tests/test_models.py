import numpy as np
import pytest

from course_utils import models


def _names(model):
    return {layer.name for layer in model.layers}


def test_classifier_layers_and_output():
    model = models.build_classifier()
    assert {"clf_conv1", "clf_conv2", "clf_dense", "clf_logits"} <= _names(model)
    assert model.output_shape == (None, 10)
    out = model(np.zeros((3, 28, 28, 1), np.float32))
    assert out.shape == (3, 10)


def test_dense_autoencoder_is_the_article_architecture():
    ae = models.build_dense_autoencoder()
    assert [ae.encoder.get_layer(n).units for n in ("enc_dense1", "enc_dense2")] == [128, 64]
    assert [ae.decoder.get_layer(n).units for n in ("dec_dense1", "dec_dense2")] == [128, 784]
    assert ae.encoder.output_shape == (None, 64)
    assert ae.decoder.get_layer("dec_dense2").activation.__name__ == "sigmoid"
    recon = np.asarray(ae.model(np.random.default_rng(0).random((2, 28, 28, 1), dtype=np.float32)))
    assert recon.shape == (2, 28, 28, 1) and 0 <= recon.min() and recon.max() <= 1
    # the full model shares the encoder's and decoder's weights (one file saves all)
    assert len(ae.model.weights) == len(ae.encoder.weights) + len(ae.decoder.weights)


@pytest.mark.parametrize("latent_dim, image_shape", [(2, (28, 28, 1)), (16, (28, 28, 1)), (10, (32, 32, 1))])
def test_conv_vae_parts(latent_dim, image_shape):
    vae = models.build_conv_vae(latent_dim, image_shape=image_shape)
    x = np.random.default_rng(0).random((4, *image_shape), dtype=np.float32)
    z_mean, z_log_var = vae.encoder(x)
    assert z_mean.shape == (4, latent_dim) and z_log_var.shape == (4, latent_dim)
    image = vae.decoder(np.zeros((4, latent_dim), np.float32))
    assert image.shape == (4, *image_shape)
    recon, mean, log_var = vae.model(x)
    np.testing.assert_allclose(np.asarray(recon), np.asarray(vae.decoder(z_mean)), atol=1e-6)
    for name in ("enc_conv1", "enc_conv2", "enc_dense", "z_mean", "z_log_var"):
        vae.encoder.get_layer(name)
    for name in ("dec_dense", "dec_deconv1", "dec_deconv2", "dec_output"):
        vae.decoder.get_layer(name)


def test_sampling_layer_reparameterises():
    layer = models.Sampling(seed=0)
    mean = np.full((20000, 1), 2.0, np.float32)
    log_var = np.full((20000, 1), np.log(0.25), np.float32)
    z = np.asarray(layer([mean, log_var]))
    assert abs(z.mean() - 2.0) < 0.02 and abs(z.std() - 0.5) < 0.02


def test_dcgan_parts():
    gan = models.build_dcgan(latent_dim=64)
    images = np.asarray(gan.generator(np.zeros((2, 64), np.float32)))
    assert images.shape == (2, 28, 28, 1) and 0 <= images.min() and images.max() <= 1
    assert gan.discriminator(images).shape == (2, 1)
    assert {"gen_dense", "gen_deconv1", "gen_deconv2", "gen_output"} <= _names(gan.generator)
    assert {"disc_conv1", "disc_conv2", "disc_logit"} <= _names(gan.discriminator)


@pytest.mark.parametrize("call, message", [
    (lambda: models.build_conv_vae(0), "latent_dim must be an integer >= 1"),
    (lambda: models.build_conv_vae(2, image_shape=(30, 30, 1)), "divisible by 4"),
    (lambda: models.build_conv_vae(2, image_shape=(28, 28)), "image_shape must be"),
    (lambda: models.build_classifier(n_classes=1), "n_classes"),
    (lambda: models.build_dcgan(image_shape=(32, 32, 1)), "28x28"),
    (lambda: models.build_dense_autoencoder(code_dim=2.5), "code_dim"),
])
def test_builders_reject_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()
