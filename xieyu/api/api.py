"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json). One router per domain."""

from ninja import NinjaAPI

api = NinjaAPI(title="XieYu API", version="1", urls_namespace="api")
