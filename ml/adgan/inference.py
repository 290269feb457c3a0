"""Factorised, batched ADGAN inference for catalogue rendering.

A full forward encodes the source photo's eight components (eight VGG-fused encoder passes,
most of the cost), the target pose, then decodes. For a catalogue none of that is per card:

* a product photo's component codes (8 x 64 floats) are encoded once and cached;
* a shopper's pose content code and own component codes are encoded once per shopper;
* a card only mixes cached codes (:mod:`ml.adgan.components`) and runs the decoder, in batches,
  with its two upsampling convolutions computed at the low resolution (``fast=True``) and the
  first convolution of its first block, which sees only the pose, cached per shopper.

On a GPU the device is chosen automatically, batches are 64 and the convolutions run under
autocast (bf16 where supported, else fp16); on a CPU everything stays float32.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

import numpy as np
import torch

from ml.types import CANVAS_HEIGHT, CANVAS_WIDTH, NUM_PARSING_CLASSES

from .networks import ADGen

GPU_BATCH = 64
CPU_BATCH = 1  # measured: on a CPU larger decode batches are slower per image


def select_device(device: str | torch.device | None = None) -> torch.device:
    if device is not None:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def image_tensor(images: np.ndarray) -> torch.Tensor:
    """(N, 256, 176, 3) uint8 RGB -> (N, 3, 256, 176) float32 in [-1, 1]."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[None]
    _check_shape(images.shape[1:3], "image")
    return torch.from_numpy(np.array(images, copy=True)).permute(0, 3, 1, 2).float().div(127.5).sub(1.0)


def parsing_tensor(parsings: np.ndarray) -> torch.Tensor:
    """(N, 256, 176) class ids -> (N, 8, 256, 176) float32 one-hot (as the official loader builds it)."""
    parsings = np.asarray(parsings)
    if parsings.ndim == 2:
        parsings = parsings[None]
    _check_shape(parsings.shape[1:3], "parsing")
    labels = torch.from_numpy(parsings.astype(np.int64))
    classes = torch.arange(NUM_PARSING_CLASSES).view(1, -1, 1, 1)
    return (labels[:, None] == classes).float()


def pose_tensor(pose_maps: np.ndarray) -> torch.Tensor:
    pose_maps = np.asarray(pose_maps, dtype=np.float32)
    if pose_maps.ndim == 3:
        pose_maps = pose_maps[None]
    _check_shape(pose_maps.shape[2:4], "pose map")
    return torch.from_numpy(np.ascontiguousarray(pose_maps))


def to_uint8(images: torch.Tensor) -> np.ndarray:
    """(N, 3, H, W) in [-1, 1] -> (N, H, W, 3) uint8."""
    out = images.float().clamp(-1, 1).add(1).mul(127.5).round().to(torch.uint8)
    return out.permute(0, 2, 3, 1).cpu().numpy()


def _check_shape(size: tuple[int, ...], what: str) -> None:
    if tuple(size) != (CANVAS_HEIGHT, CANVAS_WIDTH):
        raise ValueError(f"ADGAN needs a {CANVAS_HEIGHT}x{CANVAS_WIDTH} {what}, got {tuple(size)}")


def _chunks(count: int, size: int) -> Iterator[slice]:
    for start in range(0, count, size):
        yield slice(start, min(start + size, count))


class ContentCodes:
    """Shoppers' pose content codes (N, 256, 64, 44) plus the decoder's style-free first step."""

    def __init__(self, content: torch.Tensor, prepared: torch.Tensor) -> None:
        self.content = content
        self.prepared = prepared

    @property
    def shape(self) -> torch.Size:
        return self.content.shape

    @property
    def device(self) -> torch.device:
        return self.content.device

    def __len__(self) -> int:
        return len(self.content)

    def __getitem__(self, index: slice | int) -> ContentCodes:
        if isinstance(index, int):
            index = slice(index, index + 1)
        return ContentCodes(self.content[index], self.prepared[index])

    def index_select(self, index: torch.Tensor) -> ContentCodes:
        return ContentCodes(self.content.index_select(0, index), self.prepared.index_select(0, index))


class AdganInference:
    """Batched encode/decode around one generator, on one device."""

    def __init__(
        self,
        generator: ADGen,
        device: str | torch.device | None = None,
        batch_size: int | None = None,
        amp: bool | None = None,
    ) -> None:
        self.device = select_device(device)
        self.generator = generator.to(self.device).eval()
        on_gpu = self.device.type == "cuda"
        self.batch_size = batch_size or (GPU_BATCH if on_gpu else CPU_BATCH)
        self.amp = on_gpu if amp is None else amp
        if self.amp and on_gpu:
            self.amp_dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        else:
            self.amp_dtype = torch.bfloat16

    def _autocast(self) -> contextlib.AbstractContextManager:
        if not self.amp:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device.type, dtype=self.amp_dtype)

    @torch.inference_mode()
    def encode_styles(self, images: np.ndarray, parsings: np.ndarray) -> np.ndarray:
        """Canvas images (N, 256, 176, 3) uint8 and parsings (N, 256, 176) -> codes (N, 8, 64) float32."""
        images_t, parsings_t = image_tensor(images), parsing_tensor(parsings)
        # eight component passes per photo: keep the encoder's own batch at most ``batch_size``
        per_batch = max(1, self.batch_size // NUM_PARSING_CLASSES)
        out = []
        for part in _chunks(len(images_t), per_batch):
            with self._autocast():
                codes = self.generator.encode_style(
                    images_t[part].to(self.device), parsings_t[part].to(self.device)
                )
            out.append(codes.float().cpu())
        return torch.cat(out).numpy()

    @torch.inference_mode()
    def encode_contents(self, pose_maps: np.ndarray) -> ContentCodes:
        """(N, 18, 256, 176) pose maps -> content codes (N, 256, 64, 44), float32 on the device."""
        poses = pose_tensor(pose_maps)
        contents, prepared = [], []
        for part in _chunks(len(poses), self.batch_size):
            with self._autocast():
                content = self.generator.encode_content(poses[part].to(self.device))
                contents.append(content.float())
                prepared.append(self.generator.dec.prepare(content).float())
        return ContentCodes(torch.cat(contents), torch.cat(prepared))

    @torch.inference_mode()
    def decode_tensor(
        self,
        contents: ContentCodes,
        styles: np.ndarray | torch.Tensor,
        content_index: Sequence[int] | None = None,
    ) -> torch.Tensor:
        """Decode ``len(styles)`` images; image ``i`` uses ``contents[content_index[i]]``.

        Without ``content_index`` the contents pair with the styles one to one (or a single
        content is shared by every style). Returns (N, 3, 256, 176) float32 in [-1, 1] on the CPU.
        """
        styles_t = torch.as_tensor(np.asarray(styles, dtype=np.float32))
        count = len(styles_t)
        if content_index is None:
            content_index = [0] * count if len(contents) == 1 else list(range(count))
        if len(content_index) != count:
            raise ValueError("content_index needs one entry per style")
        index = torch.as_tensor(list(content_index), dtype=torch.long, device=contents.device)
        out = []
        for part in _chunks(count, self.batch_size):
            chosen = contents.index_select(index[part])
            with self._autocast():
                images = self.generator.decode(
                    chosen.content.to(self.device),
                    styles_t[part].to(self.device),
                    fast=True,
                    prepared=chosen.prepared.to(self.device),
                )
            out.append(images.float().cpu())
        return torch.cat(out)

    def decode(
        self,
        contents: ContentCodes,
        styles: np.ndarray | torch.Tensor,
        content_index: Sequence[int] | None = None,
    ) -> np.ndarray:
        """Like :meth:`decode_tensor`, as (N, 256, 176, 3) uint8 images."""
        return to_uint8(self.decode_tensor(contents, styles, content_index))

    @torch.inference_mode()
    def full_forward(self, pose_maps: np.ndarray, images: np.ndarray, parsings: np.ndarray) -> torch.Tensor:
        """The unfactorised generator forward, one pair per row (reference and benchmark baseline)."""
        with self._autocast():
            out = self.generator(
                pose_tensor(pose_maps).to(self.device),
                image_tensor(images).to(self.device),
                parsing_tensor(parsings).to(self.device),
            )
        return out.float().cpu()
