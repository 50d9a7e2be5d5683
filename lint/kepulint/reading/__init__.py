"""What the text says about itself: structure, genre, voice, region, context cues, evidence."""
