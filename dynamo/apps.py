from django.apps import AppConfig


class DynamoConfig(AppConfig):
    """The top layer, above every app: settings, URLs, the API router, the pages that
    gather what a member holds across apps, and the demo seed (``manage.py seed_demo``).
    An app so that Django finds its management command; it has no models."""

    name = "dynamo"
