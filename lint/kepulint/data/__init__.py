"""Static data: the Traditional→Simplified character table."""
