"""The demo catalogue: products whose packshots ``ml.garments`` draws (no downloaded images)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from catalog.models import Product, ProductImage
from catalog.services import (
    category_get_or_create,
    product_create,
    product_image_create,
    product_update,
    product_variant_update,
    product_variants_add_sizes,
)


@dataclass(frozen=True)
class DemoProduct:
    slug: str
    name: str
    category: str
    kind: str
    style: str
    colour: tuple[int, int, int]
    pattern: str
    price: str
    description: str


TOPS = ["XS", "S", "M", "L", "XL"]
BOTTOMS = ["34", "36", "38", "40", "42", "44"]

DEMO_PRODUCTS: tuple[DemoProduct, ...] = (
    DemoProduct(
        "essential-tee-ivory",
        "Essential tee — ivory",
        "Tops",
        "top",
        "tshirt",
        (238, 232, 220),
        "solid",
        "19.00",
        "A soft, mid-weight cotton jersey tee with a clean crew neck.",
    ),
    DemoProduct(
        "essential-tee-navy",
        "Essential tee — navy",
        "Tops",
        "top",
        "tshirt",
        (35, 45, 80),
        "solid",
        "19.00",
        "The everyday crew-neck tee in deep navy.",
    ),
    DemoProduct(
        "breton-longsleeve",
        "Breton long-sleeve top",
        "Tops",
        "top",
        "longsleeve",
        (245, 243, 238),
        "stripes",
        "39.00",
        "Classic striped long-sleeve top in heavy cotton.",
    ),
    DemoProduct(
        "oxford-shirt-sky",
        "Oxford shirt — sky",
        "Tops",
        "top",
        "shirt",
        (160, 190, 220),
        "solid",
        "55.00",
        "A relaxed Oxford-weave shirt with a button-down collar.",
    ),
    DemoProduct(
        "gingham-shirt",
        "Gingham shirt",
        "Tops",
        "top",
        "shirt",
        (190, 60, 60),
        "check",
        "59.00",
        "Crisp cotton poplin in a small red gingham check.",
    ),
    DemoProduct(
        "pinstripe-shirt",
        "Pinstripe shirt",
        "Tops",
        "top",
        "shirt",
        (230, 235, 245),
        "pinstripes",
        "62.00",
        "A tailored shirt in fine blue pinstripes.",
    ),
    DemoProduct(
        "polka-blouse",
        "Polka-dot blouse",
        "Tops",
        "top",
        "blouse",
        (30, 30, 40),
        "dots",
        "49.00",
        "A fluid blouse in a playful polka-dot print.",
    ),
    DemoProduct(
        "floral-blouse",
        "Floral blouse",
        "Tops",
        "top",
        "blouse",
        (240, 215, 200),
        "floral",
        "52.00",
        "Lightweight viscose with a hand-painted floral print.",
    ),
    DemoProduct(
        "rib-tank-olive",
        "Rib tank — olive",
        "Tops",
        "top",
        "tank",
        (110, 120, 70),
        "solid",
        "15.00",
        "A fitted ribbed tank for layering.",
    ),
    DemoProduct(
        "denim-jacket",
        "Denim jacket",
        "Outerwear",
        "outerwear",
        "jacket",
        (70, 100, 150),
        "denim",
        "89.00",
        "A timeless trucker jacket in rigid indigo denim.",
    ),
    DemoProduct(
        "field-jacket-khaki",
        "Field jacket — khaki",
        "Outerwear",
        "outerwear",
        "jacket",
        (150, 140, 100),
        "solid",
        "110.00",
        "Water-repellent cotton twill with four patch pockets.",
    ),
    DemoProduct(
        "wool-coat-camel",
        "Wool coat — camel",
        "Outerwear",
        "outerwear",
        "coat",
        (190, 150, 100),
        "solid",
        "220.00",
        "A long, single-breasted coat in a warm wool blend.",
    ),
    DemoProduct(
        "check-coat",
        "Check overcoat",
        "Outerwear",
        "outerwear",
        "coat",
        (90, 90, 95),
        "check",
        "240.00",
        "A heritage check overcoat with a relaxed shoulder.",
    ),
    DemoProduct(
        "slip-dress-emerald",
        "Slip dress — emerald",
        "Dresses",
        "dress",
        "sleeveless",
        (20, 110, 80),
        "solid",
        "79.00",
        "A bias-cut satin slip dress that skims the body.",
    ),
    DemoProduct(
        "tea-dress-floral",
        "Floral tea dress",
        "Dresses",
        "dress",
        "short_sleeve",
        (250, 235, 225),
        "floral",
        "85.00",
        "A midi tea dress with flutter sleeves.",
    ),
    DemoProduct(
        "shirt-dress-stripe",
        "Striped shirt dress",
        "Dresses",
        "dress",
        "long_sleeve",
        (235, 240, 250),
        "stripes",
        "95.00",
        "A belted shirt dress in crisp striped cotton.",
    ),
    DemoProduct(
        "polka-sundress",
        "Polka sundress",
        "Dresses",
        "dress",
        "sleeveless",
        (200, 40, 50),
        "dots",
        "69.00",
        "A breezy sundress for warm days.",
    ),
    DemoProduct(
        "chinos-stone",
        "Chinos — stone",
        "Trousers & skirts",
        "bottom",
        "trousers",
        (200, 190, 165),
        "solid",
        "59.00",
        "Straight-leg chinos in stretch cotton twill.",
    ),
    DemoProduct(
        "straight-jeans",
        "Straight jeans",
        "Trousers & skirts",
        "bottom",
        "trousers",
        (50, 75, 120),
        "denim",
        "79.00",
        "Mid-rise, straight-leg jeans in authentic denim.",
    ),
    DemoProduct(
        "pinstripe-trousers",
        "Pinstripe trousers",
        "Trousers & skirts",
        "bottom",
        "trousers",
        (45, 45, 55),
        "pinstripes",
        "89.00",
        "Tailored trousers with a pressed crease.",
    ),
    DemoProduct(
        "linen-shorts",
        "Linen shorts",
        "Trousers & skirts",
        "bottom",
        "shorts",
        (225, 215, 190),
        "solid",
        "39.00",
        "Relaxed linen shorts with an elastic waist.",
    ),
    DemoProduct(
        "check-skirt",
        "Check mini skirt",
        "Trousers & skirts",
        "bottom",
        "skirt",
        (120, 40, 50),
        "check",
        "49.00",
        "An A-line mini in a brushed wool check.",
    ),
    DemoProduct(
        "floral-midi-skirt",
        "Floral midi skirt",
        "Trousers & skirts",
        "bottom",
        "skirt",
        (40, 50, 90),
        "floral",
        "59.00",
        "A flowing midi skirt in a dark floral print.",
    ),
    DemoProduct(
        "denim-skirt",
        "Denim skirt",
        "Trousers & skirts",
        "bottom",
        "skirt",
        (80, 110, 160),
        "denim",
        "45.00",
        "A classic five-pocket denim skirt.",
    ),
)


# The colour family (catalog.models.Colour) each demo product is filtered under.
DEMO_COLOURS = {
    "essential-tee-ivory": "white",
    "essential-tee-navy": "navy",
    "breton-longsleeve": "white",
    "oxford-shirt-sky": "blue",
    "gingham-shirt": "red",
    "pinstripe-shirt": "white",
    "polka-blouse": "black",
    "floral-blouse": "pink",
    "rib-tank-olive": "green",
    "denim-jacket": "blue",
    "field-jacket-khaki": "beige",
    "wool-coat-camel": "brown",
    "check-coat": "grey",
    "slip-dress-emerald": "green",
    "tea-dress-floral": "pink",
    "shirt-dress-stripe": "white",
    "polka-sundress": "red",
    "chinos-stone": "beige",
    "straight-jeans": "blue",
    "pinstripe-trousers": "black",
    "linen-shorts": "beige",
    "check-skirt": "red",
    "floral-midi-skirt": "navy",
    "denim-skirt": "blue",
}


def _size_chart(kind: str) -> tuple[list[str], list[dict]]:
    if kind == "bottom":
        rows = []
        for index, size in enumerate(BOTTOMS):
            waist, hips = 62 + 4 * index, 88 + 4 * index
            rows.append(
                {
                    "size": size,
                    "waist_min": waist,
                    "waist_max": waist + 3,
                    "hips_min": hips,
                    "hips_max": hips + 3,
                    "inseam_min": 76,
                    "inseam_max": 84,
                }
            )
        return BOTTOMS, rows
    rows = []
    for index, size in enumerate(TOPS):
        chest, waist, hips = 80 + 6 * index, 64 + 6 * index, 88 + 6 * index
        row = {
            "size": size,
            "chest_min": chest,
            "chest_max": chest + 5,
            "waist_min": waist,
            "waist_max": waist + 5,
        }
        if kind == "dress":
            row.update(hips_min=hips, hips_max=hips + 5)
        rows.append(row)
    return TOPS, rows


def packshot_file(demo: DemoProduct, seed: int) -> tuple[ContentFile, dict[str, list[float]]]:
    from ml.garments import draw_packshot
    from ml.types import GarmentKind

    packshot = draw_packshot(
        kind=GarmentKind(demo.kind), colour=demo.colour, pattern=demo.pattern, seed=seed, style=demo.style
    )
    buffer = io.BytesIO()
    Image.fromarray(packshot.image).save(buffer, format="PNG", optimize=True)
    landmarks = {
        name: [round(float(x), 2), round(float(y), 2)] for name, (x, y) in packshot.landmarks.items()
    }
    return ContentFile(buffer.getvalue(), name=f"{demo.slug}.png"), landmarks


DEMO_STOCK = 25


def _ensure_demo_stock(product: Product, sizes: list[str]) -> None:
    """One variant per size, topped up to ``DEMO_STOCK`` (re-seeding restocks the demo shop)."""
    product_variants_add_sizes(product=product, sizes=sizes, stock=DEMO_STOCK)
    for variant in product.variants.filter(stock__lt=DEMO_STOCK):
        product_variant_update(variant=variant, stock=DEMO_STOCK)


@transaction.atomic
def seed_product(demo: DemoProduct, seed: int) -> tuple[Product, bool]:
    """Create or update one demo product; its packshot is drawn only when it has none yet."""
    category = category_get_or_create(name=demo.category)
    sizes, chart = _size_chart(demo.kind)
    fields = {
        "category": category,
        "name": demo.name,
        "description": demo.description,
        "price": Decimal(demo.price),
        "garment_kind": demo.kind,
        "colour": DEMO_COLOURS.get(demo.slug, ""),
    }
    product = Product.objects.filter(slug=demo.slug).first()
    created = product is None
    if created:
        product = product_create(slug=demo.slug, size_chart=chart, **fields)
    else:
        product = product_update(product=product, size_chart=chart, **fields)
    _ensure_demo_stock(product, sizes)
    if not product.images.filter(role=ProductImage.Role.PACKSHOT).exists():
        file, landmarks = packshot_file(demo, seed)
        product_image_create(
            product=product, file=file, role=ProductImage.Role.PACKSHOT, order=0, landmarks=landmarks
        )
    return product, created
