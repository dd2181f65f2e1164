"""Background work: a photo's thumbnail and clean display copy, a video's copy without its
location and device boxes (tests run it inline)."""

from huey.contrib.djhuey import db_task


@db_task(retries=2, retry_delay=30)
def process_media(media_id: int) -> None:
    from .services import process_media as run

    run(media_id)
