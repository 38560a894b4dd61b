"""Start the test OpenID provider: migrate its own SQLite file, register the portal as a client and the people
given, then serve on localhost:PROVIDER_PORT until killed.

    PROVIDER_PORT PROVIDER_DB PROVIDER_RSA_KEY CLIENT_ID CLIENT_SECRET REDIRECT_URI PEOPLE=user:password:e-mail,...
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")  # plain HTTP on the loopback, for the test only

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import run  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

call_command("migrate", verbosity=0)
for person in filter(None, os.environ.get("PEOPLE", "").split(",")):
    username, password, email = person.split(":")
    User.objects.create_user(username, email=email, password=password, first_name=username)
Application.objects.create(
    name="法治政府建设年度报告平台",
    client_id=os.environ["CLIENT_ID"],
    client_secret=os.environ["CLIENT_SECRET"],
    hash_client_secret=False,
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris=os.environ["REDIRECT_URI"],
    algorithm=Application.RS256_ALGORITHM,
    skip_authorization=True,
)
run("localhost", int(os.environ["PROVIDER_PORT"]), get_wsgi_application(), ipv6=False, threading=True)
