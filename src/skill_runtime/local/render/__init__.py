"""ffmpeg rendering: burn-in, soft tracks, previews, and the frame each output gets."""
