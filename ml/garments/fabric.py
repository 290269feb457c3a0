"""Fabric patterns and anti-aliased layers (polygons, dashed polylines) for drawing packshots."""

from __future__ import annotations

import itertools
import math

import cv2
import numpy as np
from PIL import Image, ImageDraw

from ml.garments.landmarks import PATTERNS, Point


def smooth_noise(rng: np.random.Generator, h: int, w: int, cells: tuple[int, int]) -> np.ndarray:
    small = rng.standard_normal((max(cells[0], 2), max(cells[1], 2))).astype(np.float32)
    field = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    return field / (np.abs(field).max() + 1e-6)


def shade_of(colour: np.ndarray, factor: float) -> np.ndarray:
    return np.clip(colour * factor, 0, 255)


def accent_for(colour: np.ndarray) -> np.ndarray:
    lum = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
    return np.array([245.0, 242.0, 235.0]) if lum < 150 else shade_of(colour, 0.45)


def fabric_pattern(
    pattern: str,
    colour: np.ndarray,
    accent: np.ndarray,
    h: int,
    w: int,
    scale: float,
    rng: np.random.Generator,
) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.empty((h, w, 3), np.float32)
    base[:] = colour
    if pattern == "solid":
        return base
    if pattern in ("stripes", "pinstripes"):
        period = (34 if pattern == "stripes" else 22) * scale
        frac = 0.45 if pattern == "stripes" else 0.12
        coord = yy if pattern == "stripes" else xx
        phase = (coord / period) % 1.0
        edge = 1.2 / period
        t = np.clip((np.abs(phase - 0.5) - (0.5 - frac / 2)) / edge + 0.5, 0, 1)
        return base * (1 - t[..., None]) + accent * t[..., None]
    if pattern == "dots":
        period = 30 * scale
        gx = (xx + (np.floor(yy / period) % 2) * period / 2) % period - period / 2
        gy = yy % period - period / 2
        r = np.sqrt(gx**2 + gy**2)
        t = np.clip((6.5 * scale - r) / 1.2 + 0.5, 0, 1)
        return base * (1 - t[..., None]) + accent * t[..., None]
    if pattern == "check":
        period = 40 * scale
        band_x = (np.cos(2 * np.pi * xx / period) > 0).astype(np.float32)
        band_y = (np.cos(2 * np.pi * yy / period) > 0).astype(np.float32)
        band_x = cv2.GaussianBlur(band_x, (0, 0), 0.8)
        band_y = cv2.GaussianBlur(band_y, (0, 0), 0.8)
        t = 0.45 * band_x + 0.45 * band_y
        return base * (1 - t[..., None]) + accent * t[..., None]
    if pattern == "denim":
        twill = np.sin((xx + yy) * 2 * np.pi / (4.0 * scale)) * 0.06
        slub = smooth_noise(rng, h, w, (h // 3, 6)) * 0.05
        return base * (1 + twill + slub)[..., None]
    if pattern == "floral":
        img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        step = int(70 * scale)
        petal = np.clip(accent, 0, 255).astype(int)
        centre = np.clip(shade_of(colour, 0.6) if accent.mean() > 200 else (250, 215, 90), 0, 255).astype(int)
        leaf = np.clip(np.array([70, 120, 70]) * 0.8 + colour * 0.2, 0, 255).astype(int)
        for gy in range(-step, h + step, step):
            for gx in range(-step, w + step, step):
                x = gx + rng.uniform(-0.3, 0.3) * step + (step / 2 if (gy // step) % 2 else 0)
                y = gy + rng.uniform(-0.3, 0.3) * step
                r = rng.uniform(0.16, 0.24) * step
                rot = rng.uniform(0, 2 * np.pi)
                for k in range(2):
                    a = rot + np.pi / 2 + k * np.pi
                    lx, ly = x + np.cos(a) * r * 1.6, y + np.sin(a) * r * 1.6
                    draw.ellipse(
                        [lx - r * 0.45, ly - r * 0.25, lx + r * 0.45, ly + r * 0.25], fill=tuple(leaf)
                    )
                for k in range(5):
                    a = rot + k * 2 * np.pi / 5
                    px, py = x + np.cos(a) * r * 0.8, y + np.sin(a) * r * 0.8
                    draw.ellipse(
                        [px - r * 0.55, py - r * 0.55, px + r * 0.55, py + r * 0.55], fill=tuple(petal)
                    )
                draw.ellipse([x - r * 0.35, y - r * 0.35, x + r * 0.35, y + r * 0.35], fill=tuple(centre))
        return cv2.GaussianBlur(np.asarray(img, np.float32), (0, 0), 0.7)
    raise ValueError(f"Unknown pattern {pattern!r}; choose one of {', '.join(PATTERNS)}.")


def polyline_layer(
    size: tuple[int, int], ss: int, lines: list[list[Point]], width: float, dash: float = 0.0
) -> np.ndarray:
    """Rasterise polylines (optionally dashed) at ``ss``x supersampling, returned as a 0..1 float layer."""
    h, w = size
    img = Image.new("L", (w * ss, h * ss), 0)
    draw = ImageDraw.Draw(img)
    for line in lines:
        pts = [(x * ss, y * ss) for x, y in line]
        if len(pts) < 2:
            continue
        if dash <= 0:
            draw.line(pts, fill=255, width=max(1, round(width * ss)), joint="curve")
            continue
        # walk the polyline, drawing every other dash
        carry, on = 0.0, True
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            seg = math.hypot(x1 - x0, y1 - y0)
            pos = 0.0
            while pos < seg:
                step = min(dash * ss - carry, seg - pos)
                if on:
                    a, b = pos / seg, (pos + step) / seg
                    draw.line(
                        [(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)],
                        fill=255,
                        width=max(1, round(width * ss)),
                    )
                pos += step
                carry += step
                if carry >= dash * ss - 1e-6:
                    carry, on = 0.0, not on
    small = img.resize((w, h), Image.Resampling.BOX)
    return np.asarray(small, np.float32) / 255.0


def polygon_layer(size: tuple[int, int], ss: int, polygons: list[list[Point]]) -> np.ndarray:
    h, w = size
    img = Image.new("L", (w * ss, h * ss), 0)
    draw = ImageDraw.Draw(img)
    for poly in polygons:
        draw.polygon([(x * ss, y * ss) for x, y in poly], fill=255)
    return np.asarray(img.resize((w, h), Image.Resampling.BOX), np.float32) / 255.0
