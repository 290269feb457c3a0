from django.urls import path

from accounts import apis

urlpatterns = [
    path("auth/token/", apis.TokenObtainApi.as_view(), name="api-auth-token"),
    path("me/", apis.MeApi.as_view(), name="api-me"),
    path("me/export/", apis.MeExportApi.as_view(), name="api-me-export"),
    path("me/photos/", apis.PhotoListApi.as_view(), name="api-me-photos"),
    path("me/photos/<id:photo_id>/", apis.PhotoDetailApi.as_view(), name="api-me-photo-detail"),
    path("me/photos/<id:photo_id>/primary/", apis.PhotoSetPrimaryApi.as_view(), name="api-me-photo-primary"),
]
