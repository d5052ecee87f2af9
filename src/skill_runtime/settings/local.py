"""Typed `local:` section of skill.yaml: every number the local engine uses lives there.

The models declare types and limits only; skill.yaml gives every value (a missing key is a
`config_invalid` error at load). A default here is only a switch that is off or a value that is
absent, for entries of a table that do not set it.
"""

from __future__ import annotations

from pydantic import Field

from .base import Strict


class CueRules(Strict):
    """Timed-text limits (Netflix/BBC figures in skill.yaml, see subtitle-craft.md)."""

    max_lines: int = Field(ge=1)
    max_chars_per_line: int = Field(ge=8)
    min_duration_s: float = Field(gt=0)
    max_duration_s: float = Field(gt=0)
    target_cps: float = Field(gt=0)
    max_cps: float = Field(gt=0)
    min_gap_frames: int = Field(ge=0)
    chain_gap_frames: int = Field(ge=0)
    linger_s: float = Field(ge=0)
    max_linger_s: float = Field(ge=0)
    max_late_in_s: float = Field(ge=0)
    split_pause_s: float = Field(gt=0)
    sentence_pause_s: float = Field(gt=0)
    default_fps: float = Field(gt=0)
    no_space_languages: list[str]
    sentence_end: str
    clause_end: str
    # Words a line (or cue) must not end with, per language: articles, determiners,
    # prepositions, conjunctions, subject pronouns, auxiliaries, negations.
    no_end_words: dict[str, list[str]]
    # Endings that make a word possessive or a contraction ("John's", "it's").
    no_end_suffixes: dict[str, list[str]]
    # Words a line must not start with (a negation torn from its verb: "ask | not").
    no_start_words: dict[str, list[str]]
    # Good words to start a line with: conjunctions, prepositions, relative words.
    break_before_words: dict[str, list[str]]
    # Two speakers in one cue: each speaker's line starts with this mark.
    dialogue_dash: str

    def with_overrides(self, **changes: object) -> CueRules:
        return self.model_copy(update={k: v for k, v in changes.items() if v is not None})


class StylePreset(Strict):
    """One look; sizes are fractions of the output's shorter side so they scale.

    skill.yaml writes the shared values once (`local.style_base`) and merges them
    into each style; the defaults here are only switches that are off and limits that are absent.
    """

    font_size: float = Field(gt=0)
    bold: bool = False
    primary_colour: str
    secondary_colour: str
    outline_colour: str
    back_colour: str
    outline: float = Field(ge=0)
    shadow: float = Field(ge=0)
    boxed: bool = False
    karaoke: bool = False
    max_chars_per_line: int | None = None
    secondary_scale: float = Field(gt=0)
    # Short-form looks (local.subtitles.shortform): a few words at a time from the
    # word timings, the spoken word in `accent_colour`, or keywords in it.
    pop: str | None = None
    highlight_word: bool = False
    keywords: bool = False
    accent_colour: str


class Shape(Strict):
    """An output frame and the margins that keep captions out of platform UI."""

    width: int
    height: int
    margin_bottom: int
    margin_top: int
    margin_side: int
    max_chars_per_line: int | None = None
    # Text size on this frame relative to the style's: styles sized for a
    # landscape screen (no line length of their own) are too small on a phone.
    font_scale: float = Field(gt=0)
    # A platform's UI is lopsided (TikTok's buttons sit on the right).
    margin_left: int | None = None
    margin_right: int | None = None

    @property
    def left(self) -> int:
        return self.margin_side if self.margin_left is None else self.margin_left

    @property
    def right(self) -> int:
        return self.margin_side if self.margin_right is None else self.margin_right


class PopTiming(Strict):
    """How words are grouped for a few-words-at-a-time style.

    A group closes once it has been on screen `target_s` (or holds `max_words`
    words or `max_chars` characters, or ends a clause); a group shorter than
    `min_s` takes the next word, and whatever happens it stays up `min_s`.
    """

    max_words: int = Field(ge=1, le=6)
    max_chars: int = Field(ge=4)
    min_s: float = Field(gt=0)
    target_s: float = Field(ge=0)
    linger_s: float = Field(ge=0)
    scale_in_ms: int = Field(ge=0)
    scale_from: int = Field(ge=1, le=100)
    # Height of the group's centre in the safe area (0 top, 1 bottom), per position.
    anchor: dict[str, float]


class KeywordRules(Strict):
    """What the keywords style colours besides the words a user lists."""

    number_words: dict[str, list[str]]
    # Capitalised words that are not names when they start a sentence or are "I".
    not_names: dict[str, list[str]]


class ShortForm(Strict):
    pop: dict[str, PopTiming]
    # A spoken-word highlight shorter than this takes the next word with it.
    highlight_min_s: float = Field(gt=0)
    keywords: KeywordRules


class SafeZone(Strict):
    """Pixels a platform's UI covers on a 1080x1920 frame, and where the figures come from."""

    name: str
    top: int = Field(ge=0)
    bottom: int = Field(ge=0)
    left: int = Field(ge=0)
    right: int = Field(ge=0)
    source: str


class SizeChannel(Strict):
    """A chat or mail channel's video size limit."""

    name: str
    max_mb: float = Field(gt=0)
    source: str


class DeliverySettings(Strict):
    """Fitting an MP4 under a size limit: capped-CRF H.264, resolution lowered only when needed."""

    channels: dict[str, SizeChannel]
    # Fraction of the limit to aim at, leaving room for the container and VBV slack.
    aim: float = Field(gt=0.5, le=1)
    # Lowest video bitrate (kbit/s) at which captions stay legible, per short side.
    floors_kbps: dict[int, int]
    # Audio bitrate (kbit/s) by the total bitrate (kbit/s) available, highest first.
    audio_kbps: list[tuple[int, int]]
    crf: int
    attempts: int = Field(ge=1)
    # The capped encode's VBV buffer: a file can exceed the cap by this much picture.
    vbv_buffer_s: float = Field(gt=0)
    # A budget above this (kbit/s) is no limit: the picture is encoded as a full render is.
    full_quality_kbps: int = Field(gt=0)


class LinkSettings(Strict):
    """A video link the local backend downloads (local/links.py) before captioning it."""

    # Refused from the size the site or Content-Length states, else once this much has come.
    max_mb: float = Field(gt=0)
    # yt-dlp's format choice: captions need no more than 1080p, so less is downloaded.
    format: str
    # Longest wait for one network read, in seconds.
    timeout_s: float = Field(gt=0)


class BeamEscalation(Strict):
    """Greedy first; a window decoded below this confidence gets the full beam (asr/escalate.py)."""

    first_pass_beam: int = Field(ge=1)
    min_avg_logprob: float = Field(le=0)
    max_compression_ratio: float = Field(gt=0)


class ThreadSplit(Strict):
    """A model up to `max_model_mb` decodes on its own copy with fewer threads (asr/engine.py)."""

    decoder_threads: int = Field(ge=1)
    max_model_mb: float = Field(gt=0)


class ModelSettings(Strict):
    default: str
    env_var: str
    named: list[str]
    compute_type: str
    beam_size: int = Field(ge=1)
    # null turns the feature off: the beam everywhere, one copy of the model.
    escalation: BeamEscalation | None
    thread_split: ThreadSplit | None
    bundled_name: str
    bundled_packages: list[str]
    bundled_files: list[str]
    bundled_sha256: str


class RecognitionSettings(Strict):
    vad_min_silence_ms: int
    no_speech_threshold: float
    log_prob_threshold: float
    compression_ratio_threshold: float
    hallucination_silence_s: float
    min_segment_probability: float
    max_ngram_repeats: int
    onset_threshold: float = Field(gt=0, lt=1)
    onset_max_shift_s: float = Field(ge=0)
    onset_phrase_gap_s: float = Field(ge=0)
    pause_reveal_s: float = Field(gt=0)
    edge_island_gap_s: float = Field(ge=0)
    edge_max_words: int = Field(ge=0)
    edge_log_prob: float
    edge_probability: float = Field(ge=0, le=1)
    edge_word_probability: float = Field(ge=0, le=1)
    edge_loud_share: float = Field(ge=0, le=1)
    turn_short_answer_words: int = Field(ge=0)
    turn_pause_s: float = Field(ge=0)
    turn_pitch_semitones: float = Field(gt=0)
    turn_energy_db: float = Field(gt=0)


class BurnAhead(Strict):
    """Burning while speech is still recognised: how long a range is, how far behind it ends."""

    min_range_s: float = Field(gt=0)
    settle_s: float = Field(ge=0)
    split_tail_s: float = Field(gt=0)


class VideoSettings(Strict):
    crf: int
    preset: str
    audio_bitrate: str
    copy_audio_codecs: list[str]
    preview_width: int
    # Set only when fitting a size: caps the CRF encode (VBV) so the file stays under it.
    maxrate_kbps: int | None = None
    vbv_buffer_s: float = Field(gt=0)
    # Contact sheet: the width of each of its four frames.
    sheet_frame_width: int
    # None burns in one pass after recognition.
    burn_ahead: BurnAhead | None


class FontSettings(Strict):
    family: str
    packages: list[str]


class LocalSettings(Strict):
    model: ModelSettings
    recognition: RecognitionSettings
    cues: CueRules
    # The look every style starts from; skill.yaml merges it into each (`<<: *style_base`).
    style_base: StylePreset
    styles: dict[str, StylePreset]
    shapes: dict[str, Shape]
    video: VideoSettings
    fonts: FontSettings
    # What the local backend reads (ffmpeg decodes all of it); `batch` scans folders for videos.
    video_extensions: list[str]
    audio_extensions: list[str]
    # A user's own subtitle files, imported as a language track (local.imports).
    subtitle_extensions: list[str]
    short_form: ShortForm
    # Platform UI zones, padded by `safe_padding` pixels (at 1080x1920) for the text.
    platforms: dict[str, SafeZone]
    safe_padding: int = Field(ge=0)
    delivery: DeliverySettings
    links: LinkSettings

    @property
    def media_extensions(self) -> list[str]:
        return [*self.video_extensions, *self.audio_extensions]
