"""Extracts: files written from the warehouse on a schedule, never half-written.

``config`` loads and checks ``extracts.yml``, ``query`` turns a definition into SQL,
``writer`` writes one version folder with its manifest and moves ``latest``, ``runner``
runs a set of extracts against the served warehouse.
"""
