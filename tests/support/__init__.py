"""Test helpers shared by the store and the try-on tests (real worker processes, a real browser)."""
