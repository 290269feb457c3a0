"""REST API of size advice: the shopper's measurements (``/api/v1/me/measurements/``)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import BodyMeasurements
from accounts.selectors import body_measurements_get
from accounts.services import body_measurements_correct


class SizeAdviceSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["recommended", "between", "out_of_range", "no_chart", "no_measurements"]
    )
    size = serializers.CharField(allow_null=True, help_text="The recommended size, when there is one.")
    other_size = serializers.CharField(allow_null=True, help_text="The closer size (between) or the nearest.")
    note = serializers.CharField(help_text="The fit in words, e.g. 'Between M and L: L for a looser fit'.")
    details = serializers.DictField(
        child=serializers.CharField(), help_text="measure -> snug / loose / tight"
    )


class MeasurementValueSerializer(serializers.Serializer):
    value_cm = serializers.FloatField()
    uncertainty_cm = serializers.FloatField()


class MeasurementsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=BodyMeasurements.Status.values)
    reason = serializers.CharField(allow_blank=True)
    estimated = serializers.DictField(child=MeasurementValueSerializer())
    corrected = serializers.DictField(child=serializers.FloatField())
    effective = serializers.DictField(child=serializers.FloatField(), help_text="corrected wins")
    notes = serializers.ListField(child=serializers.CharField())
    measured_at = serializers.DateTimeField(allow_null=True)


def _payload(row: BodyMeasurements | None) -> dict:
    if row is None:
        return {
            "status": BodyMeasurements.Status.NONE,
            "reason": "",
            "estimated": {},
            "corrected": {},
            "effective": {},
            "notes": [],
            "measured_at": None,
        }
    return {
        "status": row.status,
        "reason": row.reason,
        "estimated": row.estimated or {},
        "corrected": row.corrected or {},
        "effective": row.effective(),
        "notes": row.notes or [],
        "measured_at": row.measured_at,
    }


class MeMeasurementsApi(APIView):
    """The shopper's body measurements; PATCH ``{"corrected": {"waist": 78}}`` (null clears one)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="me_measurements_get", responses=MeasurementsSerializer)
    def get(self, request):
        return Response(MeasurementsSerializer(_payload(body_measurements_get(user=request.user))).data)

    @extend_schema(
        operation_id="me_measurements_correct",
        request=inline_serializer(
            "MeasurementsCorrection",
            {"corrected": serializers.DictField(child=serializers.FloatField(allow_null=True))},
        ),
        responses=MeasurementsSerializer,
    )
    def patch(self, request):
        corrected = request.data.get("corrected") if isinstance(request.data, dict) else None
        if not isinstance(corrected, dict):
            raise ValidationError({"corrected": "Send an object of measurement name -> cm (or null)."})
        try:
            row = body_measurements_correct(user=request.user, corrected=corrected)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(MeasurementsSerializer(_payload(row)).data)
