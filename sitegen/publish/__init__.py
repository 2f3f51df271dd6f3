"""Getting rendered files into the output folder: what changed since the last build, and writing."""
