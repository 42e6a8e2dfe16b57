"""Translation catalogs merged as Django means them to be.

Django keeps each app's translations in one dict per plural rule
(`TranslationCatalog`): an app's catalog is merged into the top one when both use the
same rule. In Django 5.2 the check compares the new rule's code with the top rule
itself, never equal, so every app with a locale folder adds a dict of its own: about
20 in this project. A message with no translation (all of the public site's English
text) is then looked for in each of them twice, about 12 µs per `{% translate %}`,
dozens of times per page.

`merge_equal_plural_catalogs()` makes the comparison the one the code's comment
describes. Lookups give the same answers: a later app still wins over an earlier one,
in the merged dict as in a dict placed before it. It does nothing once Django
compares the rules itself.
"""

from django.utils.translation import trans_real

# Django's own, for comparison in the tests.
DJANGO_UPDATE = trans_real.TranslationCatalog.update


def merges_equal_plurals(catalog_class):
    """Whether `catalog_class.update` merges a catalog whose plural rule is the top one's."""
    catalog = catalog_class()
    same_rule = type("Translation", (), {"plural": catalog._plurals[0], "_catalog": {}})
    catalog.update(same_rule)
    return len(catalog._catalogs) == 1


def update(self, trans):
    """`TranslationCatalog.update` comparing the plural rules' code on both sides."""
    if trans.plural.__code__ == self._plurals[0].__code__:
        self._catalogs[0].update(trans._catalog)
    else:
        self._catalogs.insert(0, trans._catalog.copy())
        self._plurals.insert(0, trans.plural)


def merge_equal_plural_catalogs():
    """Install the merge, and drop translations already loaded without it."""
    if merges_equal_plurals(trans_real.TranslationCatalog):
        return
    trans_real.TranslationCatalog.update = update
    # Loaded again on first use; nothing has been rendered yet at start-up.
    trans_real._translations = {}
    trans_real._default = None
