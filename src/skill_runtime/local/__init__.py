"""The local engine, one module per pipeline step.

probe -> audio -> asr -> cues -> subtitles -> render, tied together by `job`,
with `session` keeping the result so chat edits and `export` can re-render.
"""
