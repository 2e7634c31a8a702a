"""The ground floor: where the project's files live and how it is configured (``paths``),
files written whole or not at all (``atomic``), what a build read (``provenance``) and the
refresh run history (``runs``). Every package may import it; it imports none of them."""
