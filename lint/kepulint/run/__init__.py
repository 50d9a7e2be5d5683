"""Running over files: configuration, discovery, cache, parallel jobs, chunks, baselines, fixing."""
