"""Many videos at once: sources → manifest → executor (threads here, or Ray actors)."""
