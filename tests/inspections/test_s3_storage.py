"""Media behind Django's storage API: the same upload, background thumbnail and permission-checked
download against an S3-compatible object store (moto's server mode, a real HTTP endpoint), as
production configures it with django-storages (docs/architecture.md, "Evidence from the field")."""

import socket

import pytest

from duban.inspections import services
from duban.inspections.models import Media

from .conftest import jpeg

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")
pytest.importorskip("storages.backends.s3")

BUCKET = "duban-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_bucket(Bucket=BUCKET)
    yield url
    server.stop()


@pytest.fixture
def s3(settings, s3_endpoint):
    settings.STORAGES = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "us-east-1",
            "access_key": "test", "secret_key": "test", "default_acl": "private", "file_overwrite": False,
        }},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test")


def test_a_photo_is_stored_thumbnailed_and_served_from_an_s3_compatible_store(world, plan, s3, client):
    insp = plan()
    f = services.record_finding(insp.id, world.supervisor, target_id=insp.targets.get().id, text="x")
    m = services.add_media(world.supervisor, jpeg(), finding=f)
    m = Media.objects.get(pk=m.pk)
    assert m.is_processed
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert {m.original.name, m.display.name, m.thumbnail.name} <= keys
    client.force_login(world.supervisor)
    r = client.get(f"/media/{m.token}/thumb/")
    body = b"".join(r.streaming_content)
    assert r.status_code == 200 and body[:2] == b"\xff\xd8" and r["X-Content-Type-Options"] == "nosniff"
    # The bucket is private: the object is not readable without credentials.
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{s3.meta.endpoint_url}/{BUCKET}/{m.thumbnail.name}")
