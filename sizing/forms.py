from django import forms

from accounts.models import BodyMeasurements


class MeasurementsForm(forms.Form):
    """One optional field per measurement: the shopper's own figure (empty = use the estimate)."""

    def __init__(self, *args, row: BodyMeasurements | None = None, **kwargs) -> None:
        initial = dict((row.corrected if row else {}) or {})
        super().__init__(*args, initial=initial, **kwargs)
        for name in BodyMeasurements.NAMES:
            self.fields[name] = forms.DecimalField(
                required=False, min_value=10, max_value=250, decimal_places=1, max_digits=4
            )

    def corrections(self) -> dict[str, float | None]:
        return {
            name: (None if self.cleaned_data.get(name) is None else float(self.cleaned_data[name]))
            for name in BodyMeasurements.NAMES
        }
