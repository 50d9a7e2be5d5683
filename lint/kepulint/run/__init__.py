"""Running over files: options, configuration, discovery, cache, parallel jobs, chunks, baselines, fixing."""
