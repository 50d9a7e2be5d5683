"""``python -m kepulint``."""

from .launch import main

main()
