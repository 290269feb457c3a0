from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.importer import ImportResult, iter_import, read_rows


class Command(BaseCommand):
    help = (
        "Import products from FOLDER (the images) and a products file (CSV or JSON). Matching is on slug, "
        "so running it again updates products and adds only images they do not have yet. CSV columns: slug, "
        'name, category, garment_kind, price, currency, sizes ("XS, S, M, L" or S|M|L: one variant '
        "per size), stock (optional, for each listed size), description, images (file names separated "
        "by |, optionally prefixed with the role: packshot:shirt.png). JSON rows may also carry variants "
        "([{size, colour, sku, stock, price}]) and size_chart."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--products", required=True, help="products.csv or products.json (relative to FOLDER or absolute)"
        )

    def handle(self, *args, folder: Path, products: str, **options):
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        products_file = Path(products)
        if not products_file.is_absolute() and not products_file.exists():
            products_file = folder / products_file
        if not products_file.is_file():
            raise CommandError(f"The products file {products} does not exist.")
        try:
            total = len(read_rows(products_file))
        except (ValueError, OSError) as error:
            raise CommandError(f"Cannot read {products_file}: {error}") from error
        result = ImportResult()
        with tqdm(total=total, desc="Importing", unit="product", disable=options["verbosity"] < 1) as bar:
            for _number, _total, error, outcome in iter_import(folder, products_file):
                if error:
                    result.errors.append(error)
                    bar.write(self.style.ERROR(error))
                else:
                    created, added = outcome
                    result.created += created
                    result.updated += not created
                    result.images_added += added
                bar.update(1)
        self.stdout.write(
            f"Imported {total - len(result.errors)} of {total} products: {result.created} created, "
            f"{result.updated} updated, {result.images_added} images added."
        )
        if result.errors:
            raise CommandError(
                f"{len(result.errors)} row(s) had errors (see above); the other rows were imported."
            )
