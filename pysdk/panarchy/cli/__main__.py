"""Run the CLI as ``python -m panarchy.cli``."""

from panarchy.cli import main

main()
