"""Reading a draft: bytes and markup to normalised text, lines and sentences."""
