"""Chat edits in local mode: sentences become typed edits of the caption session.

`interpret` reads the text against phrase tables in skill.yaml (`edits:`);
`apply_edits` changes settings and cue tracks and reports what changed.
Kept import-free so `config.py` can load the typed `edits:` section from here.
"""
