"""AI Subtitles for Video: the runtime behind the agent skill."""
