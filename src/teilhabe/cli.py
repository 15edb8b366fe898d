"""The ``teilhabe`` console command: Django's management commands under one name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")
    args = list(sys.argv if argv is None else argv)
    # The demo is a local, single-user installation; it must not need any configuration.
    if len(args) > 1 and args[1] in {"demo", "generate", "load_cologne"}:
        os.environ.setdefault("TEILHABE_ENVIRONMENT", "development")
        os.environ.setdefault("TEILHABE_DEBUG", "true")
    from django.core.management import execute_from_command_line

    args[0] = "teilhabe"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
