"""Member photos live in their own collection, hidden from the image API listings.

A member's photo is shown on the site and in the API only through the member's own
public record (listed, live members). The image libraries in `/api/v2/images/` and
`/api/v3/images/` list every image outside view-restricted collections, so photos are
filed in "Member photos", a collection restricted to signed-in users: an unlisted
member's face cannot be found there. Renditions on public pages are unaffected.
"""

from django.db import transaction
from wagtail.models import Collection, CollectionViewRestriction

MEMBER_PHOTOS = "Member photos"


def member_photos_collection():
    """The "Member photos" collection, created (with its restriction) if missing."""
    with transaction.atomic():
        collection = Collection.objects.filter(name=MEMBER_PHOTOS).first()
        if collection is None:
            collection = Collection.get_first_root_node().add_child(name=MEMBER_PHOTOS)
        if not collection.view_restrictions.exists():
            collection.view_restrictions.create(restriction_type=CollectionViewRestriction.LOGIN)
    return collection


def file_member_photo(image):
    """Move a member's photo into "Member photos" unless it is already there (or below)."""
    collection = member_photos_collection()
    if image.collection_id == collection.pk or image.collection.is_descendant_of(collection):
        return
    image.collection = collection
    image.save(update_fields=["collection"])
