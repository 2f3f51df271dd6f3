"""Turning the model into files in memory: URLs, Markdown, Jinja pages, feeds and downloads, search."""
