"""The WSGI entry point for a production server: `gunicorn wsgi:app` (settings in gunicorn.conf.py)."""
from app import create_app
from app.services.schema_check import warn_if_unusable

app = create_app()
warn_if_unusable(app)
