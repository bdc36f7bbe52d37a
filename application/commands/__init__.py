"""Subcommands of the ``conclusio`` CLI; each module registers its parsers and runs one library call."""
