"""A training smoke run on a tiny synthetic DeepFashion-layout set, on the CPU."""

import json

import numpy as np
import pytest
import torch
from PIL import Image

from ml.adgan import load_generator
from ml.adgan.checkpoint import load_vgg19_features
from ml.adgan.data import FLIP_PERMUTATION, AnalysedPhotoPairs, DeepFashionPairs
from ml.adgan.networks import vgg19_features
from ml.adgan.train import D_PB_FILE, D_PP_FILE, G_FILE, LOG_FILE, STATE_FILE, main
from ml.errors import InvalidModelFile
from ml.types import KP

# one flat colour per parsing class: background, pants, hair, skirt, face, upper clothes, arms, legs
COLOURS = np.array(
    [
        [230, 230, 230],
        [30, 30, 120],
        [50, 30, 20],
        [200, 50, 50],
        [220, 180, 150],
        [40, 160, 60],
        [210, 170, 140],
        [20] * 3,
    ],
    dtype=np.uint8,
)
NAMES = ("fashionWOMENDressesid0000001201_1front.jpg", "fashionWOMENDressesid0000001201_2side.jpg")


@pytest.fixture(scope="module")
def vgg_file(tmp_path_factory):
    """A random stand-in for torchvision's vgg19-dcbb9e9d.pth (same keys, incl. the classifier)."""
    torch.manual_seed(5)
    features = vgg19_features()
    state = {f"features.{k}": v for k, v in features.state_dict().items()}
    state["classifier.0.weight"] = torch.zeros(2, 2)
    path = tmp_path_factory.mktemp("vgg") / "vgg19-dcbb9e9d.pth"
    torch.save(state, path)
    return path


@pytest.fixture(scope="module")
def deepfashion(tmp_path_factory, make_sample):
    """Two photos of one person in the official layout, poses given by the annotation CSV."""
    root = tmp_path_factory.mktemp("deepfashion")
    images = root / "fashion_resize" / "train"
    images.mkdir(parents=True)
    rows = []
    for seed, name in enumerate(NAMES):
        sample = make_sample(seed)
        Image.fromarray(COLOURS[sample["parsing"]]).save(images / name, quality=95)
        semantic = root / "semantic_merge3" / DeepFashionPairs.semantic_path(name)
        semantic.parent.mkdir(parents=True, exist_ok=True)
        np.save(semantic, sample["parsing"])
        ys = [int(40 + 10 * j + seed) for j in range(18)]
        xs = [int(60 + 3 * j) if j != 3 else -1 for j in range(18)]
        rows.append(f"{name}:{json.dumps(ys)}:{json.dumps(xs)}")
    (root / "fashion-resize-annotation-train.csv").write_text(
        "name:keypoints_y:keypoints_x\n" + "\n".join(rows)
    )
    (root / "fashion-resize-pairs-train.csv").write_text(f"from,to\n{NAMES[0]},{NAMES[1]}\n")
    return root


def test_semantic_path_follows_the_official_naming():
    assert str(DeepFashionPairs.semantic_path("fashionMENDenimid0000008001_1front.jpg")) == (
        "MEN/Denim/id_00000080/01_1_front.npy"
    )
    assert str(DeepFashionPairs.semantic_path(NAMES[1])) == "WOMEN/Dresses/id_00000012/01_2_side.npy"


def test_deepfashion_items_are_what_the_official_loader_gives(deepfashion):
    item = DeepFashionPairs(deepfashion)[0]
    assert {k: tuple(v.shape) for k, v in item.items()} == {
        "P1": (3, 256, 176),
        "SP1": (8, 256, 176),
        "BP1": (18, 256, 176),
        "P2": (3, 256, 176),
        "BP2": (18, 256, 176),
    }
    # one pixel of 1.0 per visible joint at (y, x) of the annotation; joint 3 is missing
    assert item["BP2"].sum().item() == 17.0
    assert item["BP2"][0, 41, 60].item() == 1.0
    assert item["BP2"][3].sum().item() == 0.0
    assert item["SP1"].sum(0).eq(1).all()
    assert item["P1"].min() >= -1.0 and item["P1"].max() <= 1.0


def test_flip_swaps_left_and_right_joints():
    assert FLIP_PERMUTATION[KP["left_wrist"]] == KP["right_wrist"]
    assert FLIP_PERMUTATION[KP["right_ear"]] == KP["left_ear"]
    assert FLIP_PERMUTATION[KP["nose"]] == KP["nose"]


def test_missing_vgg_weights_is_a_clear_error(ml_config):
    ml_config(vgg19_weights="")
    with pytest.raises(InvalidModelFile, match=r"set ML_VGG19_WEIGHTS=/path/to/vgg19-dcbb9e9d\.pth"):
        load_vgg19_features(vgg19_features())


@pytest.mark.slow
def test_training_smoke_run_lowers_the_loss_and_writes_official_checkpoints(deepfashion, vgg_file, tmp_path):
    # given the tiny set, random VGG weights from a local file and a fresh generator
    out = tmp_path / "run"
    args = ["--deepfashion", str(deepfashion), "--out", str(out), "--batch-size", "1"]
    args += ["--vgg19", str(vgg_file), "--no-progress", "--save-every", "100"]
    # when it trains for two steps, then resumes for one more
    assert main([*args, "--steps", "2"]) == 0
    assert main([*args, "--steps", "3", "--resume"]) == 0
    # then the log has one line per step and the generator's loss went down
    records = [json.loads(line) for line in (out / LOG_FILE).read_text().splitlines()]
    assert [r["step"] for r in records] == [1, 2, 3]
    assert records[-1]["g_total"] < records[0]["g_total"]
    assert {"l1", "perceptual", "cx", "gan", "d_pb", "d_pp", "g_total"} <= set(records[0])
    # and the official-layout checkpoints exist; the generator loads strictly
    for name in (G_FILE, D_PB_FILE, D_PP_FILE, STATE_FILE):
        assert (out / name).is_file()
    generator = load_generator(out / G_FILE)
    assert torch.load(out / STATE_FILE, weights_only=True)["step"].item() == 3
    # and the style encoder's VGG holds the weights of the local file
    vgg_state = torch.load(vgg_file, weights_only=True)
    assert torch.equal(generator.enc_style.vgg[0].weight, vgg_state["features.0.weight"])


def test_training_without_data_is_a_clear_error(tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 2
    assert "Give the training data" in capsys.readouterr().err


def test_photo_folder_pairs_views_of_one_product_and_mirrors_the_rest(tmp_path, monkeypatch, make_person):
    # given photos named as views of one product, and one unrelated photo
    names = ["sku7_front", "sku7_back", "onmodel_01"]
    for name in names:
        (tmp_path / f"{name}.jpg").write_bytes(b"")
    analyses = {name: make_person(400, 300, 40 + 60 * i, seed=i) for i, name in enumerate(names)}
    monkeypatch.setattr(
        AnalysedPhotoPairs, "_analyse", staticmethod(lambda photo, cache: analyses[photo.stem])
    )
    # when the folder becomes a training set
    dataset = AnalysedPhotoPairs(tmp_path, tmp_path / "cache")
    # then the two views pair both ways and the other photo pairs with its mirror image
    by_name = sorted(p.stem for p in tmp_path.glob("*.jpg"))
    pairs = {(by_name[a], by_name[b], flip) for a, b, flip in dataset.pairs}
    assert pairs == {
        ("sku7_back", "sku7_front", False),
        ("sku7_front", "sku7_back", False),
        ("onmodel_01", "onmodel_01", True),
    }
    mirrored = dataset[next(i for i, p in enumerate(dataset.pairs) if p[2])]
    assert torch.equal(mirrored["P2"], mirrored["P1"].flip(-1))
    # and the mirrored pose swaps the wrists
    left, right = KP["left_wrist"], KP["right_wrist"]
    assert torch.equal(mirrored["BP2"][left], mirrored["BP1"][right].flip(-1))
