"""The parsing label tables (LIP, ATR, CIHP) merged to the ADGAN classes."""

from ml.parsing.labels import ATR_LABELS, LIP_LABELS, merge_table
from ml.types import ParsingClass

C = ParsingClass


def test_label_tables_merge_to_adgan_classes():
    lip = merge_table("lip")
    assert len(lip) == 20 and len(merge_table("atr")) == 18
    assert lip[LIP_LABELS.index("hat")] == C.HAIR
    assert lip[LIP_LABELS.index("sunglasses")] == C.FACE
    assert lip[LIP_LABELS.index("dress")] == C.UPPER_CLOTHES
    assert lip[LIP_LABELS.index("right_shoe")] == C.LEGS
    assert lip[LIP_LABELS.index("glove")] == C.ARMS
    assert lip[LIP_LABELS.index("skirt")] == C.SKIRT
    assert merge_table("atr")[ATR_LABELS.index("pants")] == C.PANTS
    assert merge_table("cihp").tolist() == lip.tolist()
