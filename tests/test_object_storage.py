"""Media on object storage: pictures the desk uploads, and the renditions
the worker makes, live in an S3 bucket every app node shares, and readers
load them from there. Tested against a real S3-compatible server (moto's)
started for the test, through django-storages and boto3 as in production."""

import io
import json
import os
import re
import subprocess
import sys
from urllib.request import urlopen

import boto3
import pytest
from PIL import Image as PILImage

from articles.pictures import services as pictures

from .factories import make_article, make_image
from .test_serving import free_port
from .test_worker import ROOT, wait_until

pytestmark = pytest.mark.django_db
BUCKET = "newsroom-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


@pytest.fixture
def bucket(settings, monkeypatch, tmp_path):
    """An S3-compatible server on a free port with an empty bucket, and the
    site's media stored there as `S3_BUCKET` and `S3_ENDPOINT_URL` set it."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "newsroom-test",
        "AWS_SECRET_ACCESS_KEY": "newsroom-test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = (tmp_path / "s3.log").open("w")
    server = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "moto_server"), "-H", "127.0.0.1"]
        + ["-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        client = boto3.client("s3", endpoint_url=endpoint)

        def answers() -> bool:
            try:
                client.list_buckets()
            except Exception:
                return False
            return True

        assert wait_until(answers, seconds=30), (tmp_path / "s3.log").read_text()
        client.create_bucket(Bucket=BUCKET)
        # As the README asks of a production bucket: anyone may read.
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
        monkeypatch.setenv("S3_ENDPOINT_URL", endpoint)
        settings.STORAGES = {**settings.STORAGES, "default": s3_media()}
        yield client
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def s3_media() -> dict:
    from newsroom.settings import s3_media

    return s3_media(BUCKET)


def stored(client) -> set[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)
    return {item["Key"] for item in listing.get("Contents", [])}


def test_pictures_and_their_renditions_live_in_the_bucket_and_readers_load_them(
    client, bucket, world
):
    image = make_image(size=(1600, 900))
    assert image.file.name in stored(bucket)

    # The worker makes the renditions, into the same bucket.
    assert pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    assert {name for name in stored(bucket) if name.startswith("renditions/")}

    story = make_article(world, lead_image=image)
    page = client.get(story.get_absolute_url()).content.decode()
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert sources[0].startswith(f"{os.environ['S3_ENDPOINT_URL']}/{BUCKET}/renditions/")
    # What the reader's browser fetches is a real picture.
    with urlopen(sources[0], timeout=10) as response:
        picture = PILImage.open(io.BytesIO(response.read()))
    assert picture.size == (1600, 900)


def test_a_deleted_picture_leaves_the_bucket(bucket, editor, django_capture_on_commit_callbacks):
    image = make_image(size=(1600, 900))
    pictures.image_render(image_id=image.pk)
    image.refresh_from_db()
    assert len(stored(bucket)) > 1

    with django_capture_on_commit_callbacks(execute=True):
        pictures.image_delete(image=image, user=editor)

    assert stored(bucket) == set()


def test_the_bucket_is_configured_from_the_environment():
    env = {
        **os.environ,
        "S3_BUCKET": "news-pictures",
        "S3_CUSTOM_DOMAIN": "media.news.example",
        "S3_REGION": "ap-south-1",
    }
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django; django.setup(); from django.conf import settings; "
            "print(json.dumps([settings.STORAGES['default'], settings.SERVE_MEDIA, "
            "settings.SECURE_CSP['img-src']]))",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    media, serve_media, image_sources = json.loads(shown.stdout)
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "news-pictures"
    assert media["OPTIONS"]["custom_domain"] == "media.news.example"
    assert media["OPTIONS"]["region_name"] == "ap-south-1"
    assert media["OPTIONS"]["querystring_auth"] is False
    # Django no longer serves media; pages may load pictures from the CDN.
    assert serve_media is False
    assert "media.news.example" in image_sources
