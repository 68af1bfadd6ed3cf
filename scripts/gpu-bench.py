#!/usr/bin/env python3
"""gpu-bench.py: the GPU benchmarks of BENCHMARKS.md, run on the H200 machine by
scripts/gpu-verify.sh (steps bench and torch). Standard library only for --tfc;
--torch needs PyTorch and torchvision (the GPU machine has them).

  gpu-bench.py --tfc TFC --work DIR --out FILE.json [--fp32-math fp32,tf32,tf32x3] MODEL[@BATCH]=GRAPH.pb ...
      For each model and FP32 math (default strict FP32 and -tf32; tf32x3 is -tf32x3):
      tfc compile -emit=engine, then tfc run
      -engine: with an empty runtime cache (the first execution context compiles every
      kernel: JIT cost), again with the cache written by that run (a whole process, one
      inference: the start-up cost with the cache), then timed runs (-warmup, -iterations,
      -format=json) without and with -cuda-graph.
  gpu-bench.py --collect --out bench/gpu/results.json --commit C --date D --machine M \
               --verify SUMMARY.txt --torch-in bench-torch.json [--note TEXT] bench-tfc.json
      Here, on the files a device run brought back: the results file bench/report renders
      as BENCHMARKS.md's GPU section.
  gpu-bench.py --torch --out FILE.json
      torchvision ResNet50 (random weights), eager and torch.compile, strict FP32 and
      TF32, batch 1 and 32: the same end-to-end latency as tfc run -engine (input copied
      from pinned host memory to the GPU, the model, output copied back, synchronized).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

WARMUP, ITERS = 50, 500


def sh(cmd, log):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    log.write(f"$ {' '.join(cmd)}\n{p.stdout}{p.stderr}(exit {p.returncode}, {wall:.3f} s)\n\n")
    log.flush()
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()[-500:]}")
    return p.stdout, p.stderr, wall


def context_ms(stderr):
    m = re.search(r"engine loaded in ([\d.]+) ms, first execution context in ([\d.]+) ms", stderr)
    return (float(m.group(1)), float(m.group(2))) if m else (None, None)


# tfc compile's flags for each FP32 math of --fp32-math: strict FP32, TF32, and FP32-accurate
# products on TF32 tensor cores (3xTF32).
MATH_FLAGS = {"fp32": [], "tf32": ["-tf32"], "tf32x3": ["-tf32x3"]}


def bench_tfc(args):
    os.makedirs(args.work, exist_ok=True)
    log = open(args.out + ".log", "w")
    results = []
    for spec in args.models:
        name, graph = spec.split("=", 1)
        batch = 1
        if "@" in name:
            name, b = name.split("@")
            batch = int(b)
        for math in args.fp32_math.split(","):
            tag = f"{name}_b{batch}_{math}"
            plan = os.path.join(args.work, tag + ".plan")
            cache = os.path.join(args.work, tag + ".rtcache")
            if os.path.exists(cache):
                os.remove(cache)
            r = {"model": name, "batch": batch, "fp32_math": math}
            try:
                _, _, r["compile_s"] = sh([args.tfc, "compile", "-emit=engine", "-o", plan] + MATH_FLAGS[math] + [graph], log)
                r["plan_bytes"] = os.path.getsize(plan)
                run = [args.tfc, "run", "-engine", plan, "-runtime-cache", cache]
                _, err, r["process_cold_s"] = sh(run, log)  # no cache yet: JIT, then writes it
                r["load_ms"], r["context_cold_ms"] = context_ms(err)
                _, err, r["process_cached_s"] = sh(run, log)  # a second process, cache present
                r["load_cached_ms"], r["context_cached_ms"] = context_ms(err)
                timed = run + ["-warmup", str(WARMUP), "-iterations", str(ITERS), "-format=json"]
                for key, extra in (("timing", []), ("timing_cuda_graph", ["-cuda-graph"])):
                    out, _, _ = sh(timed + extra, log)
                    rep = json.loads(out)  # tfc run's report: latency (end to end) and engine (CUDA events)
                    r[key] = {"latency": rep["latency"], "engine": rep["engine"]}
            except Exception as e:  # recorded, and the other models still run
                r["error"] = str(e)
            results.append(r)
            print(json.dumps({k: v for k, v in r.items() if not k.startswith("timing")}), flush=True)
    json.dump(results, open(args.out, "w"), indent=1)


def bench_torch(args):
    import torch
    import torchvision

    torch.backends.cudnn.benchmark = True
    dev = torch.device("cuda")
    out = {"torch": torch.__version__, "torchvision": torchvision.__version__,
           "gpu": torch.cuda.get_device_name(0), "cudnn_benchmark": True, "results": []}

    def run(model, batch, tf32, mode):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32
        x = torch.randn(batch, 3, 224, 224).pin_memory()
        m = model
        t0 = time.perf_counter()
        if mode == "compile":
            torch._dynamo.reset()
            m = torch.compile(model)
        with torch.inference_mode():
            y = m(x.to(dev, non_blocking=True)).cpu()  # first call: compilation
            first = time.perf_counter() - t0
            for _ in range(WARMUP):
                m(x.to(dev, non_blocking=True)).cpu()
            torch.cuda.synchronize()
            lat = []
            s0 = time.perf_counter()
            for _ in range(ITERS):
                t = time.perf_counter()
                m(x.to(dev, non_blocking=True)).cpu()
                lat.append((time.perf_counter() - t) * 1e3)
            wall = time.perf_counter() - s0
        lat.sort()
        pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
        r = {"model": "torchvision_resnet50", "batch": batch, "fp32_math": "tf32" if tf32 else "fp32", "mode": mode,
             "first_call_s": first, "p50_ms": pct(0.5), "p90_ms": pct(0.9), "p99_ms": pct(0.99),
             "mean_ms": sum(lat) / len(lat), "throughput_qps": ITERS / wall, "images_per_s": ITERS * batch / wall}
        out["results"].append(r)
        print(json.dumps(r), flush=True)
        json.dump(out, open(args.out, "w"), indent=1)

    model = torchvision.models.resnet50(weights=None).eval().to(dev)
    for mode in ("eager", "compile"):
        for tf32 in (False, True):
            for batch in (1, 32):
                try:
                    run(model, batch, tf32, mode)
                except Exception as e:
                    out["results"].append({"batch": batch, "mode": mode, "tf32": tf32, "error": str(e)[-500:]})
                    json.dump(out, open(args.out, "w"), indent=1)


def collect(args):
    rows = []
    for f in args.models:
        rows += json.load(open(f))
    verify = {"summary": open(args.verify).read().splitlines()} if args.verify else None
    if verify:
        head = []  # the per-process totals come first, before the failures and model tables
        for l in verify["summary"]:
            if l.startswith(("  ", "FAIL")):
                break
            head.append(l)
        m = [re.match(r"(\d+)/(\d+) cases match", l) for l in head]
        verify["passed"] = sum(int(x.group(1)) for x in m if x)
        verify["total"] = sum(int(x.group(2)) for x in m if x)
    out = {"commit": args.commit, "date": args.date, "machine": args.machine, "note": args.note,
           "warmup": WARMUP, "iterations": ITERS, "tfc": rows, "verify": verify,
           "torch": json.load(open(args.torch_in)) if args.torch_in else None}
    json.dump(out, open(args.out, "w"), indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tfc")
    ap.add_argument("--work", default="/tmp/tfc-bench")
    ap.add_argument("--fp32-math", default="fp32,tf32", help="comma-separated: " + ", ".join(MATH_FLAGS))
    ap.add_argument("--torch", action="store_true")
    ap.add_argument("--collect", action="store_true")
    ap.add_argument("--commit")
    ap.add_argument("--date")
    ap.add_argument("--machine")
    ap.add_argument("--note", default="")
    ap.add_argument("--verify")
    ap.add_argument("--torch-in")
    ap.add_argument("--out", required=True)
    ap.add_argument("models", nargs="*")
    args = ap.parse_args()
    if args.collect:
        collect(args)
    elif args.torch:
        bench_torch(args)
    else:
        bench_tfc(args)


if __name__ == "__main__":
    sys.exit(main())
