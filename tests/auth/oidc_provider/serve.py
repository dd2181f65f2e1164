"""Set the provider up and serve it: ``python -m tests.auth.oidc_provider.serve PORT REDIRECT_URI``.

People (username:password:staff_number) come from PROVIDER_PEOPLE, separated by commas; the one
client is ``duban`` / ``duban-secret`` with an RS256 key made here."""

import os
import sys

import django


def main():
    port, redirect_uri = sys.argv[1], sys.argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.auth.oidc_provider.settings")
    django.setup()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    call_command("migrate", verbosity=0)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    RSAKey.objects.create(key=key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption(),
    ).decode())
    for entry in filter(None, os.environ.get("PROVIDER_PEOPLE", "").split(",")):
        username, password, staff_number = entry.split(":")
        user = User.objects.create_user(username, password=password)
        user.last_name = staff_number
        user.save()
    client = Client.objects.create(
        name="督办系统", client_type="confidential", client_id="duban", client_secret="duban-secret",
        jwt_alg="RS256", require_consent=False, reuse_consent=True, redirect_uris=[redirect_uri],
        scope=["openid", "profile", "staff"],
    )
    client.response_types.add(ResponseType.objects.get(value="code"))
    call_command("runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks", verbosity=0)


if __name__ == "__main__":
    main()
