"""`sitegen serve`: the dev server and its watcher, calling the one build pipeline."""
