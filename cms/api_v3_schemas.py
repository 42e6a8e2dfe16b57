"""Field schemas for Wagtail's v3 API generators, so every page type gets a schema.

Wagtail builds the v3 page schemas once, the first time its API module is imported
(during app loading). A text field whose default is a translatable (lazy) string,
such as `EventIndexPage.no_upcoming_message`, makes the OpenAPI document fail to
render: pydantic cannot encode a lazy string as a JSON default. The field schemas
registered here are the generators' own ones for text fields, with the default
turned into a plain string. They must be registered before the schemas are built,
so `cms.apps.CmsConfig.ready()` calls `register_field_schemas()`; `cms` comes first
in INSTALLED_APPS.

Only the generator modules are imported here (they build nothing); importing
Wagtail's API module itself would build the schemas too early.
"""

from django.db import models
from django.utils.functional import Promise
from ninja.orm.fields import get_schema_field
from pydantic.fields import FieldInfo
from wagtail.api.v3.schemas.generators import read, write

TEXT_FIELDS = (models.CharField, models.TextField)


def _text_field(field):
    annotation, field_info = get_schema_field(field)
    if isinstance(field_info.default, Promise):
        field_info = FieldInfo.merge_field_infos(field_info, default=str(field_info.default))
    return annotation, field_info


def read_text_field_schema(generator, field):
    annotation, field_info = _text_field(field)
    return annotation, field_info, None


def input_text_field_schema(generator, field):
    return _text_field(field)


def register_field_schemas():
    for field_class in TEXT_FIELDS:
        read.read_generator.register_field_schema(field_class, read_text_field_schema)
        for generator in (write.create_generator, write.patch_generator):
            generator.register_field_schema(field_class, input_text_field_schema)
