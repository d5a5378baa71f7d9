"""The pretrained zoo: checksums, clear errors, the quality bars, deterministic retraining."""
import json
import shutil

import numpy as np
import pytest


def test_manifest_lists_every_model_with_its_provenance(zoo):
    manifest = zoo.read_manifest()
    assert list(manifest["models"]) == list(zoo.MODEL_NAMES)
    for name, entry in manifest["models"].items():
        for key in ("file", "sha256", "architecture", "training", "seed", "train_seconds", "command", "metrics"):
            assert key in entry, f"{name} lacks {key}"
        assert entry["command"] == f"python -m course_utils.zoo train {name}"
        assert entry["training"] == zoo.SPECS[name].config
        assert entry["architecture"] == zoo.SPECS[name].kwargs
        assert len(entry["sha256"]) == 64


def test_all_weights_verify_and_fit_the_budget(zoo):
    total = sum(zoo.verify(name).stat().st_size for name in zoo.MODEL_NAMES)
    assert total <= 15 * 2**20, f"shipped weights are {total / 2**20:.1f} MiB, the budget is 15"
    train_seconds = sum(e["train_seconds"] for e in zoo.read_manifest()["models"].values())
    assert train_seconds <= 20 * 60, f"retraining the zoo took {train_seconds:.0f} s, the budget is 20 min"


@pytest.fixture()
def weights_copy(zoo, tmp_path):
    target = tmp_path / "weights"
    shutil.copytree(zoo.WEIGHTS_DIR, target)
    return target


def test_tampered_file_is_refused_with_a_rebuild_hint(zoo, weights_copy):
    path = weights_copy / "classifier.weights.h5"
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    path.write_bytes(bytes(blob))
    with pytest.raises(zoo.WeightsError, match=r"does not match its checksum.*python -m course_utils.zoo train classifier"):
        zoo.load_pretrained("classifier", weights_dir=weights_copy)


def test_missing_file_and_missing_entry_are_explained(zoo, weights_copy):
    (weights_copy / "vae_2d.weights.h5").unlink()
    with pytest.raises(zoo.WeightsError, match="missing.*train vae_2d"):
        zoo.load_pretrained("vae_2d", weights_dir=weights_copy)
    manifest = json.loads((weights_copy / "manifest.json").read_text())
    del manifest["models"]["dcgan"]
    (weights_copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(zoo.WeightsError, match="not listed"):
        zoo.load_pretrained("dcgan", weights_dir=weights_copy)


def test_unknown_model_name(zoo):
    with pytest.raises(ValueError, match=r"unknown model 'vae_3d'.*vae_2d"):
        zoo.load_pretrained("vae_3d")


def test_loaded_types(zoo):
    from course_utils import models

    assert isinstance(zoo.load_pretrained("dense_ae"), models.AutoencoderParts)
    assert isinstance(zoo.load_pretrained("vae_2d"), models.VAEParts)
    assert isinstance(zoo.load_pretrained("dcgan"), models.GANParts)


# ----------------------------------------------------------------------------- quality bars
def test_classifier_accuracy(zoo, classifier, mnist_test):
    x, y = mnist_test
    accuracy = (zoo.predict_proba(classifier, x).argmax(1) == y).mean()
    assert accuracy >= 0.97
    assert accuracy == pytest.approx(zoo.read_manifest()["models"]["classifier"]["metrics"]["test_accuracy"])


def test_vae_16d_reconstructions_keep_the_digit(zoo, classifier, mnist_test):
    x, y = mnist_test
    vae = zoo.load_pretrained("vae_16d")
    recon = np.asarray(vae.decoder.predict(vae.encoder.predict(x, verbose=0)[0], verbose=0))
    kept = (zoo.predict_proba(classifier, recon).argmax(1) == y).mean()
    assert kept >= 0.90


def test_dcgan_samples_are_confident_and_varied(zoo, classifier):
    gan = zoo.load_pretrained("dcgan")
    quality = zoo.gan_sample_quality(zoo.sample_gan(gan.generator, 1000, seed=0), classifier)
    assert quality["confident_fraction"] >= 0.60
    assert quality["min_class_fraction"] >= 0.03, quality["class_fractions"]
    assert quality["max_class_fraction"] <= 0.20, quality["class_fractions"]


def test_dense_ae_beats_the_mean_image(zoo, mnist_test):
    x, _ = mnist_test
    ae = zoo.load_pretrained("dense_ae")
    mse = float(np.mean((np.asarray(ae.model.predict(x, verbose=0)) - x) ** 2))
    baseline = float(np.mean((x - x.mean(axis=0)) ** 2))
    assert mse < 0.25 * baseline


@pytest.mark.parametrize("name", ["dense_ae", "vae_2d", "vae_16d", "shapes_vae", "shapes_beta_vae", "dcgan"])
def test_manifest_metrics_are_what_the_shipped_weights_measure(zoo, classifier, name):
    recorded = zoo.read_manifest()["models"][name]["metrics"]
    measured = zoo.evaluate(name, zoo.load_pretrained(name), classifier)
    assert set(measured) == set(recorded)
    for key, value in measured.items():
        np.testing.assert_allclose(value, recorded[key], rtol=1e-4, atol=1e-4, err_msg=f"{name}.{key}")


def test_beta_vae_pays_more_kl_for_less_reconstruction(zoo):
    models = zoo.read_manifest()["models"]
    plain, beta = models["shapes_vae"]["metrics"], models["shapes_beta_vae"]["metrics"]
    assert beta["test_kl"] < plain["test_kl"]
    assert beta["test_recon_bce"] > plain["test_recon_bce"]


# ----------------------------------------------------------------------------- retraining
def test_retraining_is_deterministic(zoo):
    first = zoo.train("classifier", epochs=1, n_train=256, verbose=False).get_weights()
    second = zoo.train("classifier", epochs=1, n_train=256, verbose=False).get_weights()
    untrained = zoo.build("classifier").get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    assert not all(np.array_equal(a, b) for a, b in zip(first, untrained))


def test_train_and_save_writes_weights_and_manifest(zoo, weights_copy, capsys, monkeypatch):
    monkeypatch.setitem(zoo.SPECS, "vae_2d", zoo.SPECS["vae_2d"].__class__(
        **{**zoo.SPECS["vae_2d"].__dict__, "config": {**zoo.SPECS["vae_2d"].config, "epochs": 1}}))
    entry = zoo.train_and_save("vae_2d", weights_dir=weights_copy)
    out = capsys.readouterr().out
    assert "[vae_2d] epoch   1/1" in out and "saved vae_2d.weights.h5" in out
    assert entry["sha256"] == zoo.sha256_file(weights_copy / "vae_2d.weights.h5")
    assert json.loads((weights_copy / "manifest.json").read_text())["models"]["vae_2d"]["training"]["epochs"] == 1
    zoo.load_pretrained("vae_2d", weights_dir=weights_copy)  # the new file verifies and loads


def test_training_arguments_are_checked(zoo):
    with pytest.raises(ValueError, match="epochs must be an integer"):
        zoo.train("classifier", epochs=0)
    with pytest.raises(ValueError, match="n_train must be an integer >= 64"):
        zoo.train("classifier", n_train=10)
    with pytest.raises(ValueError, match=r"unknown training settings \['emma'\] for dcgan"):
        zoo.train("dcgan", config={"emma": 0.0})


def test_config_override_changes_training(zoo):
    history_a, history_b = [], []
    zoo.train("dense_ae", epochs=1, n_train=256, verbose=False, history=history_a)
    zoo.train("dense_ae", epochs=1, n_train=256, verbose=False, history=history_b, config={"learning_rate": 1e-2})
    assert len(history_a) == len(history_b) == 1 and history_a[0]["bce"] != history_b[0]["bce"]


def test_cli(zoo, capsys):
    assert zoo.main(["verify"]) == 0
    assert zoo.main(["list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in zoo.MODEL_NAMES)
    with pytest.raises(SystemExit):
        zoo.main(["train", "nope"])
    assert "unknown model 'nope'" in capsys.readouterr().err
