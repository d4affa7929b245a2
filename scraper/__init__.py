"""Raw Thai event reports (text dumps, saved HTML pages, URLs) into clean,
tagged Markdown reports for the archive. `extract` is pure (text in, record
out); `normalize` is the thin shell that writes files."""
