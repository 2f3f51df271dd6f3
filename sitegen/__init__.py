"""sitegen: a static site generator for the Shandong park alliance's bilingual site and industry map."""

__version__ = "0.2.0"
