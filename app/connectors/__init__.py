"""Clients of the agencies' departmental systems behind one interface (see base.py).

Typical use by the sync job:

    from app.connectors import build_connector
    with build_connector(agency.connector_kind, agency.connector_settings) as connector:
        for update in connector.fetch_updates(since, until):
            ...
"""
from app.connectors.base import (
    Connector,
    ConnectorAuthError,
    ConnectorConfigError,
    ConnectorError,
    ConnectorProtocolError,
    ConnectorRemoteError,
    ConnectorUnavailable,
    ExternalCase,
    ExternalUpdate,
)
from app.connectors.registry import available_kinds, build_connector, register

__all__ = [
    "Connector",
    "ConnectorAuthError",
    "ConnectorConfigError",
    "ConnectorError",
    "ConnectorProtocolError",
    "ConnectorRemoteError",
    "ConnectorUnavailable",
    "ExternalCase",
    "ExternalUpdate",
    "available_kinds",
    "build_connector",
    "register",
]
