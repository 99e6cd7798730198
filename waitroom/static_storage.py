"""The production static-files storage: WhiteNoise's compressed manifest storage, with the
`import … from "../nhsuk/…"` lines of our own JavaScript modules (`*.mjs`) rewritten to the
hashed names too.

Django rewrites module imports only in `*.js` files, and only when
`support_js_module_import_aggregation` is set; our modules are `.mjs`. Left unrewritten,
`waitroom.<hash>.mjs` imported `nhsuk-frontend.min.js` by its plain name, which WhiteNoise
serves with a 60-second lifetime: a phone fetched it again on most visits, and a release could
pair a new module with an old library. The vendored `nhsuk-frontend.min.js` itself is left as
it is (minified, no relative imports of its own).
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage


class WaitroomStaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = HashedFilesMixin.patterns + (
        ("*.mjs", HashedFilesMixin._js_module_import_aggregation_patterns[1]),
    )
