"""Rules as data: loading, validating, caching and the literal prefilters derived from them."""
