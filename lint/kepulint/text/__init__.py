"""Reading a draft: bytes to text (decode.py), markup to normalised text, lines and sentences."""
