"""The PDF: scheduling, layout workers, rendering, merging, tags."""
