from ninja import NinjaAPI

api = NinjaAPI(
    title="Local Power API",
    version="1",
    urls_namespace="api",
    description="Areas, postcode look-up and (later) budgets and consultations. Errors are JSON: "
    '{"error": {"code": "...", "message": "...", "details": [...]}}.',
)
