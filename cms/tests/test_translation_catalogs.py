"""Translation catalogs merged per plural rule give the same translations as Django's."""

from unittest import mock

from django.test import SimpleTestCase
from django.utils.translation import trans_real

from cms.translation_catalogs import DJANGO_UPDATE, merges_equal_plurals

# Languages with one, two, three and six plural forms, Urdu among them.
LANGUAGES = ("ja", "ur", "fr", "ru", "ar")


def fresh_translation(language, update):
    with mock.patch.object(trans_real.TranslationCatalog, "update", update):
        return trans_real.DjangoTranslation(language)


class MergedCatalogTests(SimpleTestCase):
    def test_catalogs_with_the_same_plural_rule_are_merged(self):
        self.assertTrue(merges_equal_plurals(trans_real.TranslationCatalog))
        english = trans_real.translation("en")
        self.assertLessEqual(len(english._catalog._catalogs), 3)

    def test_every_message_translates_as_before(self):
        patched_update = trans_real.TranslationCatalog.update
        for language in LANGUAGES:
            with self.subTest(language=language):
                ours = fresh_translation(language, patched_update)
                django = fresh_translation(language, DJANGO_UPDATE)
                self.assertLess(len(ours._catalog._catalogs), len(django._catalog._catalogs))
                keys = set(ours._catalog.keys()) | set(django._catalog.keys())
                self.assertGreater(len(keys), 100)
                for key in keys:
                    if isinstance(key, tuple):  # (message, plural form index)
                        message = key[0]
                        for count in (0, 1, 2, 3, 5, 11, 21, 100, 102):
                            self.assertEqual(
                                ours.ngettext(message, message, count),
                                django.ngettext(message, message, count),
                            )
                    else:
                        self.assertEqual(ours.gettext(key), django.gettext(key))
