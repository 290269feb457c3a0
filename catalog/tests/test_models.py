"""The catalogue's garment kinds are ml's: one definition for the whole project."""

from django.db.migrations.loader import MigrationLoader

from catalog.models import GarmentKind, Product
from ml.types import GarmentKind as MLGarmentKind


def test_the_database_choices_are_mls_garment_kinds():
    # given the field's choices, in the model and in the migrations' latest state
    field_values = [value for value, _ in Product._meta.get_field("garment_kind").choices]
    loader = MigrationLoader(None, ignore_no_migrations=True)
    state = loader.project_state(("catalog", loader.graph.leaf_nodes("catalog")[0][1]))
    migrated = state.models["catalog", "product"].fields["garment_kind"]
    # then both are ml's enum, value for value and in its order
    expected = [kind.value for kind in MLGarmentKind]
    assert field_values == expected
    assert [value for value, _ in migrated.choices] == expected
    assert migrated.max_length >= max(len(value) for value in expected)


def test_the_catalogue_kinds_compare_equal_to_mls():
    # given each kind as the catalogue names it
    # then it is ml's kind (a product's garment_kind can be handed to ml as it is)
    assert {MLGarmentKind(kind) for kind in GarmentKind.values} == set(MLGarmentKind)
    assert GarmentKind.FULL_OUTFIT == MLGarmentKind.FULL_OUTFIT == "full_outfit"
    assert GarmentKind.FULL_OUTFIT.label == "Full outfit"
