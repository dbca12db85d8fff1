"""The WSGI entry point for a production server: `gunicorn wsgi:app` (settings in gunicorn.conf.py)."""
from app import create_app

app = create_app()
