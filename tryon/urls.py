app_name = "tryon"

urlpatterns: list = []
