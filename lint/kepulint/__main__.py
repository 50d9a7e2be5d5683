"""``python -m kepulint``."""

from .cli import main

main()
