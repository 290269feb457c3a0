"""``python -m ml.adgan.train``: train or fine-tune ADGAN.

Losses and defaults follow the paper's released training script: L1 (x1) + VGG perceptual L1
(x1) + contextual style loss (x0.1) + two PatchGAN discriminators (pose-image ``netD_PB`` and
image-image ``netD_PP``, LSGAN, x5); Adam (lr 1e-3, betas 0.5/0.999), the learning rate decaying
linearly to zero over the second half of the steps. Checkpoints are written in the official
layout (``latest_net_netG.pth``, ``latest_net_netD_PB.pth``, ``latest_net_netD_PP.pth``) plus
``latest_train_state.pth`` (optimisers, step) for ``--resume``; losses go to ``loss_log.jsonl``.

Examples::

    ML_VGG19_WEIGHTS=/data/vgg19-dcbb9e9d.pth python -m ml.adgan.train \\
        --deepfashion /data/deepfashion --out var/adgan --steps 200000 --batch-size 6
    python -m ml.adgan.train --photos shop-photos/ --init latest_net_netG.pth --lr 2e-4 --out var/ft
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import ConcatDataset, DataLoader, Dataset, RandomSampler
from tqdm import tqdm

from ml.cli import configure_from_environment, run_command
from ml.errors import MLError

from .checkpoint import (
    _read,
    check_layout,
    load_generator,
    load_vgg19_features,
    save_generator,
    unwrap_state_dict,
)
from .data import DEFAULT_PAIR_PATTERN, AnalysedPhotoPairs, DeepFashionPairs
from .discriminator import build_discriminators
from .losses import GeneratorLosses, lsgan_loss
from .networks import ADGen, build_generator

G_FILE = "latest_net_netG.pth"
D_PB_FILE = "latest_net_netD_PB.pth"
D_PP_FILE = "latest_net_netD_PP.pth"
STATE_FILE = "latest_train_state.pth"
LOG_FILE = "loss_log.jsonl"


def init_weights(model: nn.Module) -> None:
    """The official ``normal`` init: conv and linear weights ~ N(0, 0.02), biases untouched."""
    for module in model.modules():
        if isinstance(module, nn.Conv2d | nn.Linear):
            nn.init.normal_(module.weight, 0.0, 0.02)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ml.adgan.train", description=__doc__.splitlines()[0])
    data = parser.add_argument_group("data (at least one)")
    data.add_argument("--deepfashion", type=Path, help="DeepFashion root in the official layout")
    data.add_argument("--photos", type=Path, help="a folder of on-model photos to analyse and train on")
    data.add_argument("--pair-pattern", default=DEFAULT_PAIR_PATTERN, help="regex with a 'key' group")
    data.add_argument("--analysis-cache", type=Path, help="where analyses are cached (default OUT/analyses)")
    parser.add_argument("--out", type=Path, required=True, help="checkpoint and log folder")
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=6)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--beta1", type=float, default=0.5)
    parser.add_argument("--lambda-l1", type=float, default=1.0)
    parser.add_argument("--lambda-perceptual", type=float, default=1.0)
    parser.add_argument("--lambda-cx", type=float, default=0.1)
    parser.add_argument("--lambda-gan", type=float, default=5.0)
    parser.add_argument("--save-every", type=int, default=1000)
    parser.add_argument("--vgg19", type=Path, help="torchvision's vgg19-dcbb9e9d.pth (or $ML_VGG19_WEIGHTS)")
    parser.add_argument("--init", type=Path, help="start the generator from this checkpoint")
    parser.add_argument("--resume", action="store_true", help="continue from the checkpoints in --out")
    parser.add_argument("--device", help="cuda or cpu (default: cuda when available)")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-progress", action="store_true")
    return parser


def _load_into(model: nn.Module, path: Path, what: str) -> None:
    state = unwrap_state_dict(_read(path, what), path, what)
    check_layout(model, state, path, what)
    model.load_state_dict(state, strict=True)


class Trainer:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.out: Path = args.out
        self.out.mkdir(parents=True, exist_ok=True)
        resuming = args.resume and (self.out / G_FILE).is_file()
        self.generator: ADGen
        if resuming:
            self.generator = load_generator(self.out / G_FILE)
        elif args.init:
            self.generator = load_generator(args.init)
        else:
            self.generator = build_generator()
            init_weights(self.generator)
            load_vgg19_features(self.generator.enc_style.vgg, args.vgg19)
        self.netD_PB, self.netD_PP = build_discriminators()
        if resuming:
            _load_into(self.netD_PB, self.out / D_PB_FILE, "ADGAN discriminator")
            _load_into(self.netD_PP, self.out / D_PP_FILE, "ADGAN discriminator")
        self.losses = GeneratorLosses(args.lambda_l1, args.lambda_perceptual, args.lambda_cx)
        load_vgg19_features(self.losses.vgg.features, args.vgg19)
        for module in (self.generator, self.netD_PB, self.netD_PP, self.losses):
            module.to(self.device)
        self.generator.train()
        self.generator.enc_style.vgg.eval()
        betas = (args.beta1, 0.999)
        trainable = [p for p in self.generator.parameters() if p.requires_grad]
        self.opt_G = torch.optim.Adam(trainable, lr=args.lr, betas=betas)
        self.opt_PB = torch.optim.Adam(self.netD_PB.parameters(), lr=args.lr, betas=betas)
        self.opt_PP = torch.optim.Adam(self.netD_PP.parameters(), lr=args.lr, betas=betas)
        self.step = 0
        if resuming and (self.out / STATE_FILE).is_file():
            state = torch.load(self.out / STATE_FILE, map_location="cpu", weights_only=True)
            self.opt_G.load_state_dict(state["opt_G"])
            self.opt_PB.load_state_dict(state["opt_PB"])
            self.opt_PP.load_state_dict(state["opt_PP"])
            self.step = int(state["step"])

    def learning_rate(self) -> float:
        """Constant for the first half of the steps, then linear decay towards zero."""
        half = self.args.steps / 2
        if self.step < half:
            return self.args.lr
        return self.args.lr * max(0.0, (self.args.steps - self.step) / (half + 1))

    def train_step(self, batch: dict[str, torch.Tensor]) -> dict[str, float]:
        lambda_gan = self.args.lambda_gan
        p1, sp1, p2, bp2 = (batch[k].to(self.device) for k in ("P1", "SP1", "P2", "BP2"))
        for optimizer in (self.opt_G, self.opt_PB, self.opt_PP):
            for group in optimizer.param_groups:
                group["lr"] = self.learning_rate()

        fake = self.generator(bp2, p1, sp1)

        # generator: reconstruction + style + fooling both discriminators
        for net in (self.netD_PB, self.netD_PP):
            net.requires_grad_(False)
        parts = self.losses(fake, p2)
        gan_pb = lsgan_loss(self.netD_PB(torch.cat([fake, bp2], 1)), True)
        gan_pp = lsgan_loss(self.netD_PP(torch.cat([fake, p1], 1)), True)
        parts["gan"] = (gan_pb + gan_pp) * lambda_gan / 2
        loss_g = sum(parts.values())
        self.opt_G.zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt_G.step()
        for net in (self.netD_PB, self.netD_PP):
            net.requires_grad_(True)

        # discriminators: real pairs vs the (detached) generation
        fake = fake.detach()
        losses_d = {}
        for name, net, optimizer, condition in (
            ("d_pp", self.netD_PP, self.opt_PP, p1),
            ("d_pb", self.netD_PB, self.opt_PB, bp2),
        ):
            real_score = net(torch.cat([p2, condition], 1))
            fake_score = net(torch.cat([fake, condition], 1))
            loss_d = (lsgan_loss(real_score, True) + lsgan_loss(fake_score, False)) * lambda_gan * 0.5
            optimizer.zero_grad(set_to_none=True)
            loss_d.backward()
            optimizer.step()
            losses_d[name] = float(loss_d.detach())

        out = {name: float(value.detach()) for name, value in parts.items()}
        out["g_total"] = float(loss_g.detach())
        out.update(losses_d)
        return out

    def save(self) -> None:
        save_generator(self.generator, self.out / G_FILE)
        save_generator(self.netD_PB, self.out / D_PB_FILE)
        save_generator(self.netD_PP, self.out / D_PP_FILE)
        state = {
            "opt_G": self.opt_G.state_dict(),
            "opt_PB": self.opt_PB.state_dict(),
            "opt_PP": self.opt_PP.state_dict(),
            "step": torch.tensor(self.step),
        }
        tmp = self.out / f"{STATE_FILE}.tmp"
        torch.save(state, tmp)
        tmp.replace(self.out / STATE_FILE)

    def fit(self, dataset: Dataset) -> None:
        args = self.args
        generator = torch.Generator().manual_seed(args.seed + self.step)
        sampler = RandomSampler(dataset, replacement=True, num_samples=10**9, generator=generator)
        loader = DataLoader(dataset, batch_size=args.batch_size, sampler=sampler, num_workers=args.workers)
        batches = iter(loader)
        remaining = max(0, args.steps - self.step)
        with (
            open(self.out / LOG_FILE, "a") as log,
            tqdm(total=remaining, desc="adgan", unit="step", disable=args.no_progress) as bar,
        ):
            while self.step < args.steps:
                started = time.perf_counter()
                lr = self.learning_rate()
                losses = self.train_step(next(batches))
                self.step += 1
                record = {"step": self.step, "lr": lr, **losses}
                record["seconds"] = round(time.perf_counter() - started, 3)
                log.write(json.dumps(record) + "\n")
                log.flush()
                bar.set_postfix(g=f"{losses['g_total']:.3f}", l1=f"{losses['l1']:.3f}")
                bar.update(1)
                if self.step % args.save_every == 0 or self.step == args.steps:
                    self.save()


def build_dataset(args: argparse.Namespace) -> Dataset:
    parts: list[Dataset] = []
    if args.deepfashion:
        parts.append(DeepFashionPairs(args.deepfashion))
    if args.photos:
        cache = args.analysis_cache or args.out / "analyses"
        parts.append(AnalysedPhotoPairs(args.photos, cache, args.pair_pattern))
    if not parts:
        raise MLError("Give the training data: --deepfashion ROOT and/or --photos FOLDER.")
    return parts[0] if len(parts) == 1 else ConcatDataset(parts)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    torch.manual_seed(args.seed)
    return configure_from_environment() or run_command(lambda: _train(args))


def _train(args: argparse.Namespace) -> int:
    dataset = build_dataset(args)
    trainer = Trainer(args)
    trainer.fit(dataset)
    print(f"saved {args.out / G_FILE} after {trainer.step} steps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
