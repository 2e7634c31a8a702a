"""One module per CLI subcommand. Each exposes ``register(subparsers)``, which adds its
parser and sets ``func`` to a callable taking the parsed arguments and returning the exit
status. ``COMMANDS`` lists them in the order ``--help`` shows them."""

COMMANDS = [
    "ingest",
    "refresh",
    "runs",
    "extract",
    "schedule",
    "sql",
    "serve",
    "generate",
    "bench",
    "parity",
    "spark_cluster",
    "linkage",
]
