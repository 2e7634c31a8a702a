"""Breach & Enforcement Warehouse: CLI and refresh pipeline."""
