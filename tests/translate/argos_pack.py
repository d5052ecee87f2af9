"""Tiny Argos Translate packs built in the test, and a package index on 127.0.0.1.

The model is a real CTranslate2 Transformer (one layer, 16 dimensions) from
numpy weights, wired as a word dictionary: the encoder embeds each source
word on its own axis, cross-attention copies that axis into the decoder, and
the projection maps it to the target word, then to </s>. Its SentencePiece
model is trained here on the words it knows. So a one-word cue comes out as
its dictionary translation, through the same code that runs real packs.
"""

from __future__ import annotations

import io
import json
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np

D = 16


def _zeros(*shape: int) -> np.ndarray:
    return np.zeros(shape, dtype=np.float32)


def _norm(spec: Any) -> None:
    spec.gamma, spec.beta = np.ones(D, dtype=np.float32), _zeros(D)


def _sentencepiece(words: list[str]) -> bytes:
    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(words * 4),
        model_writer=model,
        vocab_size=len(words) + 1,
        model_type="word",
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        minloglevel=2,
        hard_vocab_limit=False,
    )
    return model.getvalue()


def _model(words: dict[str, str], out: Path) -> None:
    from ctranslate2.specs import transformer_spec

    pieces = {f"▁{s}": f"▁{t}" for s, t in words.items()}
    vocab = ["<unk>", "<s>", "</s>", *pieces, *pieces.values()]
    axis = {src: 2 + k for k, src in enumerate(pieces)}
    spec = transformer_spec.TransformerSpec.from_config(1, 2)
    encoder, decoder = spec.encoder, spec.decoder
    source = _zeros(len(vocab), D)
    for src, k in axis.items():
        source[vocab.index(src), k] = 10
    encoder.embeddings[0].weight = source
    target = _zeros(len(vocab), D)
    target[vocab.index("<s>"), 0] = 10
    for tgt in pieces.values():
        target[vocab.index(tgt), 1] = 10
    decoder.embeddings.weight = target
    for stack in (encoder, decoder):
        _norm(stack.layer_norm)
        layer = stack.layer[0]
        _norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = _zeros(3 * D, D)
        layer.self_attention.linear[1].weight = _zeros(D, D)
        _norm(layer.ffn.layer_norm)
        layer.ffn.linear_0.weight = _zeros(2 * D, D)
        layer.ffn.linear_1.weight = _zeros(D, 2 * D)
    cross = decoder.layer[0].attention
    _norm(cross.layer_norm)
    cross.linear[0].weight = _zeros(D, D)
    keys_values, output = _zeros(2 * D, D), _zeros(D, D)
    for k in axis.values():
        keys_values[D + k, k], output[k, k] = 1, 20
    cross.linear[1].weight, cross.linear[2].weight = keys_values, output
    projection = _zeros(len(vocab), D)
    for src, tgt in pieces.items():
        projection[vocab.index(tgt), axis[src]] = 10
        projection[vocab.index(tgt), 1] = -10
    projection[vocab.index("</s>"), 1] = 20
    decoder.projection.weight = projection
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    out.mkdir(parents=True)
    spec.save(str(out))


def build_pack(
    folder: Path, source: str, target: str, words: dict[str, str], *, meta_pair: str = ""
) -> Path:
    """`folder/translate-SRC_DST-1_0.argosmodel`; `meta_pair` ("fr-de") lies in its metadata."""
    name = f"translate-{source}_{target}-1_0"
    staging = folder / f"build-{source}-{target}"
    _model(words, staging / name / "model")
    (staging / name / "sentencepiece.model").write_bytes(_sentencepiece([*words, *words.values()]))
    meta_source, meta_target = meta_pair.split("-") if meta_pair else (source, target)
    metadata = {"package_version": "1.0", "from_code": meta_source, "to_code": meta_target}
    (staging / name / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    archive = folder / f"{name}.argosmodel"
    with zipfile.ZipFile(archive, "w") as pack:
        for path in sorted((staging / name).rglob("*")):
            pack.write(path, path.relative_to(staging))
    return archive


@dataclass
class Index:
    url: str
    root: Path
    served: list[str] = field(default_factory=list)

    def offer(self, source: str, target: str, archive: Path) -> None:
        """List `archive` in index.json as the SRC→DST package."""
        path = self.root / "index.json"
        entries = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        entries.append(
            {
                "type": "translate",
                "from_code": source,
                "to_code": target,
                "package_version": "1.0",
                "links": [f"{self.url.rsplit('/', 1)[0]}/{archive.name}"],
            }
        )
        path.write_text(json.dumps(entries), encoding="utf-8")


@contextmanager
def serve_index(root: Path) -> Iterator[Index]:
    """Files under `root` over HTTP on 127.0.0.1; index.json is the package index."""
    index = Index(url="", root=root)

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            index.served.append(self.path)
            super().do_GET()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    index.url = f"http://127.0.0.1:{server.server_address[1]}/index.json"
    try:
        yield index
    finally:
        server.shutdown()
        server.server_close()
