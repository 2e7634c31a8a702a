"""Breach linkage: the Splink model that decides which source rows report one breach,
its training from the hand-labelled pairs, the dbt macros generated from it, and its
evaluation."""
