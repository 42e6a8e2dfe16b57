"""Headless preview: drafts previewed on a separate frontend through expiring tokens.

When `HEADLESS_PREVIEW_CLIENT_URL` is set, "Preview" in the admin sends the editor to
that frontend with `?content_type=<app>.<model>&token=<token>`; the frontend fetches
the draft from `/api/v3/preview/` with the same two parameters. When it is not set,
pages preview with their own templates, as usual.

wagtail-headless-preview signs its tokens with a timestamp but never checks their
age; the mixin here does, so a leaked preview link stops working after
`HEADLESS_PREVIEW_TOKEN_MAX_AGE` seconds.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature
from wagtail.models import Page
from wagtail_headless_preview.models import HeadlessPreviewMixin as PackagePreviewMixin
from wagtail_headless_preview.models import PagePreview
from wagtail_headless_preview.settings import headless_preview_settings

DEFAULT_TOKEN_MAX_AGE = 60 * 60


class PreviewTokenError(Exception):
    """A preview request that cannot be honoured; `status` is the HTTP status to send."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def headless_preview_enabled():
    return bool(headless_preview_settings.CLIENT_URLS)


def token_max_age():
    return getattr(settings, "HEADLESS_PREVIEW_TOKEN_MAX_AGE", DEFAULT_TOKEN_MAX_AGE)


class HeadlessPreviewMixin(PackagePreviewMixin):
    """Preview on the configured frontend, or with the page's own template without one.

    Only the preview half of the package is used: the public site keeps serving
    pages itself, so the package's `HeadlessServeMixin` (which redirects every
    visitor to the frontend) is deliberately left out.
    """

    def serve_preview(self, request, mode_name):
        if headless_preview_enabled():
            prune_expired_previews()
            return super().serve_preview(request, mode_name)
        # Skip the package's override: Wagtail's own template preview.
        return super(PackagePreviewMixin, self).serve_preview(request, mode_name)

    @classmethod
    def get_page_from_preview_token(cls, token):
        """The previewed draft, or None; raises BadSignature (or SignatureExpired)."""
        cls.get_preview_signer().unsign(token, max_age=token_max_age())
        return super().get_page_from_preview_token(token)


def preview_model_for(content_type):
    """The page class named by `app_label.model`, if it previews headlessly."""
    app_label, _, model_name = (content_type or "").lower().partition(".")
    try:
        model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
    except ContentType.DoesNotExist:
        model = None
    if model is None or not issubclass(model, Page):
        raise PreviewTokenError("Unknown content type.", status=400)
    if not issubclass(model, HeadlessPreviewMixin):
        raise PreviewTokenError("This content type has no headless preview.", status=400)
    return model


def page_from_preview_token(content_type, token):
    """The draft a preview token stands for; PreviewTokenError when it is no good.

    A forged or tampered token fails its signature and an old one its age (both
    400); a well-signed token whose preview was already cleaned up is a 404.
    """
    model = preview_model_for(content_type)
    try:
        page = model.get_page_from_preview_token(token or "")
    except BadSignature as error:  # includes SignatureExpired
        raise PreviewTokenError("The preview token is invalid or has expired.") from error
    if page is None:
        raise PreviewTokenError("No preview matches this token.", status=404)
    return page


def prune_expired_previews():
    """Delete stored previews whose tokens can no longer be used."""
    signer = PackagePreviewMixin.get_preview_signer()
    expired = []
    for pk, token in PagePreview.objects.values_list("pk", "token"):
        try:
            signer.unsign(token, max_age=token_max_age())
        except BadSignature:
            expired.append(pk)
    PagePreview.objects.filter(pk__in=expired).delete()
    return len(expired)
