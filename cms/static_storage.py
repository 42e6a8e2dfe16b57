"""Static files as whitenoise serves them, with each file's URL worked out once.

Every page asks for the URLs of its stylesheet, icon and script. The manifest storage
answers each from its manifest (cleaning the name, splitting it, looking up its hash,
joining the URL): about 30 µs a time, for an answer that cannot change while the
process runs, since the manifest is read once at start-up.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        # With DEBUG on, the storage answers unhashed names from the app folders.
        if force or settings.DEBUG:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)  # a missing file raises, not kept
            return url
