"""Ingestion helpers for external reference data."""
