#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript, and
# spark.driver.resource.gpu.discoveryScript for local mode): prints the GPUs of this node the way
# Spark expects them, e.g. {"name":"gpu","addresses":["0","1"]}, from nvidia-smi.
# Honours CUDA_VISIBLE_DEVICES when it lists device indices, so a node can hold GPUs back from Spark.
set -euo pipefail

if ! command -v nvidia-smi > /dev/null 2>&1; then
  echo "discover-gpus.sh: nvidia-smi not found on $(hostname); is the NVIDIA driver installed?" >&2
  exit 1
fi

mapfile -t indices < <(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' \r' | grep -E '^[0-9]+$')

if [[ -n "${CUDA_VISIBLE_DEVICES:-}" && "${CUDA_VISIBLE_DEVICES}" =~ ^[0-9,]+$ ]]; then
  IFS=',' read -r -a visible <<< "${CUDA_VISIBLE_DEVICES}"
  kept=()
  for i in "${indices[@]}"; do
    for v in "${visible[@]}"; do
      [[ "$i" == "$v" ]] && kept+=("$i")
    done
  done
  indices=("${kept[@]+"${kept[@]}"}")
fi

json=""
for i in "${indices[@]+"${indices[@]}"}"; do
  json+="${json:+,}\"$i\""
done
echo "{\"name\":\"gpu\",\"addresses\":[${json}]}"
