import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from duban.inspections import services
from duban.inspections.models import InspectionKind, Target


def jpeg(name="site.jpg", size=(640, 480), exif=None, color=(200, 30, 30)) -> SimpleUploadedFile:
    im = Image.new("RGB", size, color)
    buf = io.BytesIO()
    kw = {"exif": exif} if exif is not None else {}
    im.save(buf, "JPEG", **kw)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def gps_exif(orientation=6):
    """EXIF as a phone writes it: rotated a quarter turn, a GPS position and the camera's name."""
    ex = Image.Exif()
    ex[0x0112] = orientation
    ex[0x010F] = "HUAWEI"
    ex[0x0110] = "P60 Pro"
    ex.get_ifd(0x8769)[0x9003] = "2026:06:01 09:30:00"
    gps = ex.get_ifd(0x8825)
    gps[1], gps[2] = "N", (30.0, 15.0, 36.0)
    gps[3], gps[4] = "E", (120.0, 9.0, 0.0)
    return ex


@pytest.fixture
def plan(world):
    """An announced on-site inspection of the lead unit, and an unannounced one of the same unit."""
    w = world

    def make(kind=InspectionKind.ONSITE, units=("lead",), sites=(), members=()):
        targets = [services.TargetSpec(Target.Kind.UNIT, unit=w.units[k]) for k in units]
        targets += [services.TargetSpec(Target.Kind.SITE, address=a) for a in sites]
        return services.plan_inspection(w.org, w.supervisor, services.InspectionFields(
            title="城区内涝点整治实地督查", kind=kind, start_date="2026-06-01", end_date="2026-06-05",
            leader=w.leader, team_leader=w.supervisor, members=list(members),
            external_members="市纪委监委 王某某" if kind == InspectionKind.JOINT else "", targets=targets))
    return make


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    """Tests run inside one transaction that never commits, so ``on_commit`` callbacks (the
    thumbnail task) would never run; run them when they are registered, as a commit would."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())
