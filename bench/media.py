"""Media benchmarks (issue 12): upload and thumbnail of a 10 MB photo; the item page with 100 photos.

Runs on a throwaway test database (SQLite in memory, or DATABASE_URL's server with a test_ prefix)
and a temporary MEDIA_ROOT, so it needs no generated data:

    .venv/bin/python bench/media.py [--runs 10]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def ten_mb_jpeg() -> bytes:
    """A 12-megapixel camera-like photo of about 10 MB (noise compresses badly, like foliage)."""
    from PIL import Image

    w, h = 4000, 3000
    im = Image.effect_noise((w, h), 60).convert("RGB")
    ex = Image.Exif()
    ex[0x0112] = 6
    ex[0x010F] = "HUAWEI"
    for q in (92, 95, 97):
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=q, exif=ex)
        if buf.tell() >= 9.5 * 1024 * 1024:
            break
    return buf.getvalue()


def ms(samples):
    return f"{statistics.median(samples) * 1000:.0f} ms (min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="duban-bench-media-")
    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client

        from duban.deadlines.official import ensure_official_calendar
        from duban.inspections import services
        from duban.inspections.models import Media
        from duban.items import services as item_services
        from duban.items.models import Status
        from tests.factories import World

        ensure_official_calendar()
        w = World()
        item = w.item_in(Status.IN_PROGRESS)
        photo = ten_mb_jpeg()
        print(f"photo: {len(photo) / 1024 / 1024:.1f} MB, 4000 x 3000, EXIF orientation 6")

        client = Client()
        client.force_login(w.liaison["lead"])
        upload, thumb, whole = [], [], []
        for _ in range(args.runs):
            r = item_services.draft_report(item.id, w.liaison["lead"], kind="progress", body="现场已清理")
            f = SimpleUploadedFile("site.jpg", photo, content_type="image/jpeg")
            t0 = time.perf_counter()
            m = services.add_media(w.liaison["lead"], f, report=r)  # on_commit: the task runs inline
            t1 = time.perf_counter()
            whole.append(t1 - t0)
            Media.objects.filter(pk=m.pk).update(is_processed=False)
            t2 = time.perf_counter()
            services.process_media(m.id)
            thumb.append(time.perf_counter() - t2)
            # The request as the phone sends it: multipart parsing, checks, storage (no thumbnail).
            from duban.inspections import tasks

            real, tasks.process_media = tasks.process_media, lambda media_id: None  # queued, not run
            t3 = time.perf_counter()
            resp = client.post(f"/items/{item.id}/reports/{r.id}/media/",
                               {"file": SimpleUploadedFile("site.jpg", photo, content_type="image/jpeg")},
                               HTTP_ACCEPT="application/json")
            upload.append(time.perf_counter() - t3)
            tasks.process_media = real
            assert resp.status_code == 200, resp.content
        print(f"upload request (multipart + checks + store, thumbnail queued): {ms(upload)}")
        print(f"thumbnail + display copy in the background task:            {ms(thumb)}")
        print(f"upload with the task run inline:                             {ms(whole)}")

        # The item page with 100 photos on filed reports.
        report = w.file_report(item)
        done = Media.objects.filter(is_processed=True).first()
        Media.objects.bulk_create([
            Media(token=f"bench{i:04d}", kind="photo", original=done.original.name, display=done.display.name,
                  thumbnail=done.thumbnail.name, original_name=f"p{i}.jpg", content_type="image/jpeg", size=1,
                  item=item, report=report, uploaded_by=w.liaison["lead"], is_processed=True)
            for i in range(100)
        ])
        client.force_login(w.supervisor)
        for _ in range(2):
            client.get(f"/items/{item.id}/")
        page = []
        for _ in range(max(args.runs, 10)):
            with CaptureQueriesContext(connection) as q:
                t = time.perf_counter()
                html = client.get(f"/items/{item.id}/").content.decode()
                page.append(time.perf_counter() - t)
        print(f"item page with {html.count('/thumb/')} photos: {ms(page)}, {len(q.captured_queries)} queries, "
              f"{len(html) / 1024:.0f} KB of HTML")
        t = []
        token = Media.objects.filter(report=report).first().token
        for _ in range(20):
            t0 = time.perf_counter()
            resp = client.get(f"/media/{token}/thumb/")
            b"".join(resp.streaming_content)
            t.append(time.perf_counter() - t0)
        print(f"one thumbnail through the permission-checking view: {ms(t)}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
