"""A tiny API used only by test_auth.py: an unsafe endpoint behind the real authentication classes.

The public API has no unsafe endpoints yet, but the CSRF rules must hold the day it gets one.
"""

from django.urls import path

from localpower.api import errors
from localpower.api.auth import signed_in
from localpower.api.base import LocalPowerAPI

test_api = LocalPowerAPI(title="Auth test", urls_namespace="auth-test", docs_url=None)
errors.install(test_api)


@test_api.post("/echo", auth=signed_in)
def echo(request):
    return {"email": request.auth.email}


urlpatterns = [path("api/test/", test_api.urls)]
