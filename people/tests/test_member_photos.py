"""Member photos are kept out of the public image listings of both APIs."""

from django.test import TestCase
from wagtail.models import Collection, CollectionViewRestriction

from cms.factories import SiteImageFactory
from home.factories import make_site_root
from people.factories import PersonFactory
from people.photos import MEMBER_PHOTOS, member_photos_collection


def listed_image_ids(client, version):
    response = client.get(f"/api/{version}/images/?limit=50", HTTP_HOST="localhost")
    assert response.status_code == 200, response.content
    body = response.json()
    items = body["items"] if "items" in body else body
    return {item["id"] for item in items}


class MemberPhotoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_site_root()
        cls.other_image = SiteImageFactory(title="Conference hall")
        cls.unlisted_photo = SiteImageFactory(title="Portrait of an unlisted member")
        cls.listed_photo = SiteImageFactory(title="Portrait of a listed member")
        cls.unlisted = PersonFactory(unlisted=True, photo=cls.unlisted_photo)
        cls.listed = PersonFactory(photo=cls.listed_photo)

    def test_a_photo_is_filed_in_the_restricted_member_photos_collection(self):
        self.unlisted_photo.refresh_from_db()
        collection = self.unlisted_photo.collection
        self.assertEqual(collection.name, MEMBER_PHOTOS)
        self.assertEqual(
            collection.view_restrictions.get().restriction_type,
            CollectionViewRestriction.LOGIN,
        )

    def test_other_images_stay_where_they_were_uploaded(self):
        self.other_image.refresh_from_db()
        self.assertEqual(self.other_image.collection, Collection.get_first_root_node())

    def test_a_photo_already_in_a_sub_collection_stays_there(self):
        album = member_photos_collection().add_child(name="Board portraits")
        photo = SiteImageFactory(collection=album)
        PersonFactory(photo=photo)
        photo.refresh_from_db()
        self.assertEqual(photo.collection, album)

    def test_no_member_photo_is_listed_by_either_api(self):
        for version in ("v2", "v3"):
            with self.subTest(version=version):
                ids = listed_image_ids(self.client, version)
                self.assertIn(self.other_image.pk, ids)
                self.assertNotIn(self.unlisted_photo.pk, ids)
                self.assertNotIn(self.listed_photo.pk, ids)

    def test_member_photos_have_no_image_detail(self):
        for url in (
            f"/api/v2/images/{self.unlisted_photo.pk}/",
            f"/api/v3/images/{self.unlisted_photo.pk}/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url, HTTP_HOST="localhost")
                self.assertEqual(response.status_code, 404)

    def test_a_listed_members_photo_is_still_served_with_their_record(self):
        response = self.client.get(f"/api/v2/people/{self.listed.pk}/", HTTP_HOST="localhost")
        self.assertEqual(response.status_code, 200)
        photo = response.json()["photo"]
        self.assertEqual(photo["id"], self.listed_photo.pk)
        self.assertTrue(photo["url"])
