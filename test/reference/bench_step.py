"""PyTorch timing of the benchmark training step (feasibility.md section 2's configuration), for
bench/model-step.bench.ts. Reads the configuration as JSON on stdin, prints {"ms_per_step": [...], "cpu_ms_per_step": [...]}.

The model is modules.py's (same math as the TF.js model, float32 here), one thread, torch.optim.Adam.
"""
import json
import os
import sys
import time

# One thread for OpenBLAS too (its pthread build otherwise starts one per core), set before torch loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch

import modules
import shapes
from make_goldens import random_params


def main():
    spec = json.load(sys.stdin)
    torch.set_num_threads(1)  # 2 threads oversubscribe the 2 cores (feasibility.md section 6)
    config = spec["config"]
    rng = np.random.default_rng(0)
    trainable = lambda n: n.startswith(("qformer.", "query_tokens", "language_projection."))
    P = {n: torch.tensor(v, requires_grad=trainable(n)) for n, v in random_params(shapes.instructblip(config), rng).items()}
    batch, image_tokens = spec["batch"], spec["image_tokens"]
    q_len, prompt_len, answer_len = spec["instruction_tokens"], spec["prompt_tokens"], spec["answer_tokens"]
    image = torch.randn(batch, image_tokens, config["vision_config"]["hidden_size"])
    q_ids = torch.randint(1000, config["qformer_config"]["vocab_size"], (batch, q_len))
    ids = torch.randint(3, config["text_config"]["vocab_size"], (batch, prompt_len + answer_len))
    labels = ids.clone()
    labels[:, :prompt_len] = -100
    ones = lambda shape: torch.ones(shape, dtype=torch.long)
    optimizer = torch.optim.Adam([t for n, t in P.items() if trainable(n)], lr=1e-3)
    times, cpu_times = [], []
    for step in range(spec["warmup"] + spec["steps"]):
        start, cpu_start = time.perf_counter(), time.process_time()
        optimizer.zero_grad()
        loss = modules.instructblip_loss(P, config, image, q_ids, ones(q_ids.shape), ids, ones(ids.shape), labels)
        loss.backward()
        optimizer.step()
        if step >= spec["warmup"]:
            times.append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.process_time() - cpu_start) * 1000)
    json.dump({"ms_per_step": times, "cpu_ms_per_step": cpu_times, "torch": torch.__version__, "loss": loss.item()}, sys.stdout)


if __name__ == "__main__":
    main()
