"""The ``teilhabe`` console command: Django's management commands under one name."""

from __future__ import annotations

import os
import sys

DEMO_COMMANDS = {"demo", "generate", "load_cologne"}


def prepare_environment(args: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")
    # The demo is a local, single-user installation; it must not need any configuration.
    # An environment that is set wins (the demo commands refuse production themselves), and
    # debug pages stay off: the demo shows the app's own error pages.
    if len(args) > 1 and args[1] in DEMO_COMMANDS:
        os.environ.setdefault("TEILHABE_ENVIRONMENT", "development")


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    prepare_environment(args)
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args[0] = "teilhabe"
    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as missing:
        # A missing setting (e.g. TEILHABE_ENVIRONMENT) is the user's to fix: say what, not
        # where in Django it was noticed.
        sys.stderr.write(f"teilhabe: {missing}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
