"""NemoVideo's processing API: a client built only from the published reference."""
