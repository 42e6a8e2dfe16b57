"""Every uploaded image carries alt text, asked for once in the upload form."""

from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from cms.models import SiteImage


def png_upload(name="photo.png"):
    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), "#2f4858").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw"))
    return client


def test_the_upload_form_has_one_required_alt_text_field(admin_client):
    form = admin_client.get("/admin/images/add/").context["form"]
    assert form.fields["alt_text"].required
    assert "description" not in form.fields


def test_an_image_without_alt_text_is_refused_and_not_saved(admin_client):
    response = admin_client.post(
        "/admin/images/add/", {"title": "Delegates", "file": png_upload(), "alt_text": ""}
    )
    assert response.status_code == 200
    assert "alt_text" in response.context["form"].errors
    assert not SiteImage.objects.exists()


def test_an_image_with_alt_text_is_saved_and_used_as_default_alt(admin_client):
    response = admin_client.post(
        "/admin/images/add/",
        {"title": "Delegates", "file": png_upload(), "alt_text": "Delegates in a lecture hall"},
    )
    assert response.status_code == 302
    image = SiteImage.objects.get()
    assert image.default_alt_text == "Delegates in a lecture hall"
