from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "SMOP CMS core"

    def ready(self):
        # One translation catalog per plural rule, not per app (see the module).
        from cms.translation_catalogs import merge_equal_plural_catalogs  # noqa: PLC0415

        merge_equal_plural_catalogs()

        # Before any app imports Wagtail's v3 API, which builds its schemas then.
        from cms.api_v3_schemas import register_field_schemas  # noqa: PLC0415 - needs models

        register_field_schemas()

        # Every change to public content invalidates the full-page cache.
        from cms.page_cache import connect_signals  # noqa: PLC0415 - needs models

        connect_signals()
