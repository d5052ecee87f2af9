"""Chat edits in local mode: sentences become typed edits of the caption session.

`interpret` reads the text against the phrase tables of skill.yaml's `edits:`
section (`skill_runtime.settings.edits`, passed in); `apply_edits` changes settings
and cue tracks and reports what changed.
"""
