"""The production static build: every file our JavaScript imports is fingerprinted too, and
pages preload it (issue 14)."""

import json
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

PRODUCTION_STORAGE = "waitroom.static_storage.WaitroomStaticFilesStorage"


@pytest.fixture
def built(tmp_path, settings):
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path, json.loads((tmp_path / "staticfiles.json").read_text())["paths"]


def test_the_built_module_imports_the_design_system_by_its_hashed_name(built):
    root, paths = built
    module = (root / paths["js/waitroom.mjs"]).read_text()
    hashed_library = paths["nhsuk/nhsuk-frontend.min.js"]

    imported = re.findall(r'from "([^"]+)"', module)

    assert imported == ["../" + hashed_library]
    assert re.fullmatch(r"nhsuk/nhsuk-frontend\.min\.[0-9a-f]{12}\.js", hashed_library)
    assert (root / hashed_library).is_file()
    assert (root / (paths["js/waitroom.mjs"] + ".gz")).is_file()


def test_no_built_module_imports_an_unhashed_file(built):
    root, paths = built
    hashed = set(paths.values())
    for name in paths:
        if not name.endswith(".mjs"):
            continue
        source = (root / paths[name]).read_text()
        for target in re.findall(r'(?:from|import)\s*\(?\s*"(\.[^"]+)"', source):
            resolved = (root / paths[name]).parent.joinpath(target).resolve()
            assert str(resolved.relative_to(root.resolve())) in hashed, (name, target)


@pytest.mark.django_db
def test_a_page_preloads_the_module_its_script_imports(built, client):
    _, paths = built

    html = client.get(reverse("account_login")).content.decode()

    assert f'<script type="module" src="/static/{paths["js/waitroom.mjs"]}">' in html
    assert f'<link rel="modulepreload" href="/static/{paths["nhsuk/nhsuk-frontend.min.js"]}">' in (
        html
    )
