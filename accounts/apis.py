from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.authentication import ExpiringTokenAuthentication, token_expired, token_expires_at
from accounts.exports import user_export_build
from accounts.models import ReferencePhoto, User
from accounts.selectors import photo_usability, photos_usability, reference_photo_get, reference_photo_list
from accounts.services import (
    reference_photo_create,
    reference_photo_delete,
    reference_photo_set_primary,
    user_delete,
    user_update_profile,
)
from shop.api import absolute_url
from shop.guards import SafeJSONParser
from shop.throttling import (
    WriteScopedRateThrottle,
    login_failed,
    login_failures_exceeded,
    login_succeeded,
    wait_message,
)


def _api_error(error: DjangoValidationError) -> ApiValidationError:
    if hasattr(error, "error_dict"):
        return ApiValidationError(
            {field: [m for e in errs for m in e.messages] for field, errs in error.error_dict.items()}
        )
    return ApiValidationError({"detail": error.messages})


class TokenObtainApi(APIView):
    """Exchange an e-mail address and password for an API token (``Authorization: Token <key>``)."""

    # Token only: no session, so no CSRF check; it also makes a wrong password a 401, not a 403.
    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    class TokenInputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        password = serializers.CharField(trim_whitespace=False, write_only=True)

    class TokenOutputSerializer(serializers.Serializer):
        token = serializers.CharField()
        expires_at = serializers.DateTimeField()

    @extend_schema(request=TokenInputSerializer, responses=TokenOutputSerializer)
    def post(self, request):
        data = self.TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data["email"].lower()
        wait = login_failures_exceeded(email)
        if wait is not None:
            raise Throttled(wait=wait, detail=wait_message(wait))
        user = authenticate(request, username=email, password=data.validated_data["password"])
        if user is None:
            login_failed(email)
            raise AuthenticationFailed("The e-mail address or the password is wrong.")
        login_succeeded(email)
        token = Token.objects.filter(user=user).first()
        if token is not None and token_expired(token):
            token.delete()
            token = None
        if token is None:
            token = Token.objects.create(user=user)
        return Response({"token": token.key, "expires_at": token_expires_at(token)})


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "height_cm", "date_joined"]
        read_only_fields = ["id", "email", "date_joined"]


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    class ProfileInputSerializer(serializers.Serializer):
        height_cm = serializers.IntegerField(allow_null=True, min_value=80, max_value=250)

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    class DeleteInputSerializer(serializers.Serializer):
        password = serializers.CharField(trim_whitespace=False, write_only=True)

    def get_throttles(self):
        return [WriteScopedRateThrottle()] if self.request.method == "DELETE" else []

    throttle_scope = "account"

    @extend_schema(request=DeleteInputSerializer, responses={204: None})
    def delete(self, request):
        """Delete my account: rows, photos, analyses, renders and their files. Needs the password."""
        data = self.DeleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wait = login_failures_exceeded(request.user.email)
        if wait is not None:
            raise Throttled(wait=wait, detail=wait_message(wait))
        if not request.user.check_password(data.validated_data["password"]):
            login_failed(request.user.email)
            raise ApiValidationError({"password": ["The password is wrong."]})
        user_delete(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ProfileInputSerializer, responses=MeSerializer)
    def patch(self, request):
        data = self.ProfileInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if "height_cm" in data.validated_data:
            try:
                user_update_profile(user=request.user, height_cm=data.validated_data["height_cm"])
            except DjangoValidationError as error:
                raise _api_error(error) from error
        return Response(MeSerializer(request.user).data)


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning", "info"])
    message = serializers.CharField()


class PhotoAnalysisSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["pending", "running", "done", "failed"], help_text="The check of the photo."
    )
    usable = serializers.BooleanField(
        allow_null=True, help_text="Whether try-on can use it (null while it is being checked)."
    )
    reason = serializers.CharField(allow_blank=True, help_text="Why it cannot be used, in plain words.")
    findings = FindingSerializer(many=True)


class ReferencePhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    analysis = serializers.SerializerMethodField()

    class Meta:
        model = ReferencePhoto
        fields = ["id", "kind", "is_primary", "width", "height", "url", "analysis", "created_at"]

    def get_url(self, obj: ReferencePhoto) -> str:
        return absolute_url(self.context.get("request"), obj.image.url)

    @extend_schema_field(PhotoAnalysisSerializer)
    def get_analysis(self, obj: ReferencePhoto) -> dict:
        usability = self.context.get("usability", {}).get(obj.pk) or photo_usability(photo=obj)
        return {
            "status": usability.status,
            "usable": None if usability.state == "analysing" else usability.usable,
            "reason": "" if usability.usable else usability.reason,
            "findings": [
                {
                    "code": f.get("code", ""),
                    "severity": f.get("severity", ""),
                    "message": f.get("message", ""),
                }
                for f in usability.findings
            ],
        }


def _with_analyses(photos) -> tuple[list[ReferencePhoto], dict]:
    """The photos and their checks (a constant number of queries), for the serializer."""
    usability = photos_usability(photos=photos)
    return [u.photo for u in usability], {u.photo.pk: u for u in usability}


class PhotoListApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [WriteScopedRateThrottle]
    throttle_scope = "uploads"

    class PhotoUploadSerializer(serializers.Serializer):
        image = serializers.FileField()
        kind = serializers.ChoiceField(choices=ReferencePhoto.Kind.choices, default=ReferencePhoto.Kind.FRONT)

    @extend_schema(responses=ReferencePhotoSerializer(many=True))
    def get(self, request):
        photos, usability = _with_analyses(reference_photo_list(user=request.user))
        context = {"request": request, "usability": usability}
        return Response(ReferencePhotoSerializer(photos, many=True, context=context).data)

    @extend_schema(request=PhotoUploadSerializer, responses={201: ReferencePhotoSerializer})
    def post(self, request):
        data = self.PhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            photo = reference_photo_create(
                user=request.user, file=data.validated_data["image"], kind=data.validated_data["kind"]
            )
        except DjangoValidationError as error:
            raise ApiValidationError({"image": error.messages}) from error
        return Response(
            ReferencePhotoSerializer(photo, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class PhotoDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    def _photo(self, request, photo_id: int) -> ReferencePhoto:
        photo = reference_photo_get(user=request.user, photo_id=photo_id)
        if photo is None:
            raise Http404
        return photo

    @extend_schema(responses=ReferencePhotoSerializer)
    def get(self, request, photo_id: int):
        return Response(
            ReferencePhotoSerializer(self._photo(request, photo_id), context={"request": request}).data
        )

    @extend_schema(responses={204: None})
    def delete(self, request, photo_id: int):
        reference_photo_delete(photo=self._photo(request, photo_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PhotoSetPrimaryApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [SafeJSONParser, FormParser]

    @extend_schema(request=None, responses=ReferencePhotoSerializer)
    def post(self, request, photo_id: int):
        photo = reference_photo_get(user=request.user, photo_id=photo_id)
        if photo is None:
            raise Http404
        try:
            photo = reference_photo_set_primary(photo=photo)
        except DjangoValidationError as error:
            raise _api_error(error) from error
        return Response(ReferencePhotoSerializer(photo, context={"request": request}).data)


class MeExportApi(APIView):
    """Download my data: a zip of my profile, photos, what the try-on measured, and my orders."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "account"

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request):
        response = HttpResponse(user_export_build(user=request.user), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="my-atelier-data.zip"'
        response["Cache-Control"] = "private, no-store"
        return response
