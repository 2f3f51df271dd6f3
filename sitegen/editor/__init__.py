"""Tools for editors: new entries and sites, spreadsheets, round-trip edits, problem reports."""
