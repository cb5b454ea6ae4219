"""A static files finder for single files of npm packages: `NPM_STATIC_FILES` maps a static path to one file under
the project's node_modules ({"echarts/echarts.min.js": "echarts/dist/echarts.min.js"}), so `collectstatic` and
whitenoise ship exactly those files, never a whole package."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


def _files() -> dict[str, Path]:
    root = Path(getattr(settings, "NPM_ROOT", Path(settings.BASE_DIR) / "node_modules"))
    return {static: root / source for static, source in getattr(settings, "NPM_STATIC_FILES", {}).items()}


class NpmFileFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        source = _files().get(path)
        if source is None or not source.is_file():
            return [] if find_all or kwargs.get("all") else None
        return [str(source)] if find_all or kwargs.get("all") else str(source)

    def list(self, ignore_patterns):
        for static, source in _files().items():
            if source.is_file():
                folder, _sep, name = static.rpartition("/")
                storage = FileSystemStorage(location=str(source.parent))
                storage.prefix = folder  # type: ignore[attr-defined]
                if name == source.name:
                    yield name, storage
