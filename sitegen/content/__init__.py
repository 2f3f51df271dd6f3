"""Reading and checking the content: files, front matter, field types, schemas, settings, the frozen model."""
