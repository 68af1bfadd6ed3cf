#!/usr/bin/env python3
"""TensorFlow oracle generator: writes frozen GraphDefs, inputs and TF's own
outputs for every case into testdata/cases/ and testdata/models/.

Run it through testdata/gen/generate.sh (which sets up the pinned venv).

  generate.sh                 every op case and model (testdata/cases, testdata/models)
  generate.sh --only conv2d   only cases whose name contains "conv2d" (or matches a glob)
  generate.sh --list          list the case names
  generate.sh --resnet50      only the full ResNet50 into testdata/large/resnet50 (git-ignored)
  generate.sh --savedmodels   only the SavedModels and checkpoints of testdata/savedmodels
                              (with --only: those whose name matches); see savedmodels.py
  generate.sh --resnet50-savedmodel
                              only Keras ResNet50 exported as a SavedModel into
                              testdata/large/resnet50_savedmodel (git-ignored)
"""

import argparse
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402
import cases_nn  # noqa: E402,F401
import cases_math  # noqa: E402,F401
import cases_array  # noqa: E402,F401
import cases_wild  # noqa: E402,F401
import cases_quant  # noqa: E402,F401
import cases_segment  # noqa: E402,F401
import cases_image  # noqa: E402,F401
import cases_detect  # noqa: E402,F401
import cases_matrix_diag  # noqa: E402,F401
import cases_scatter  # noqa: E402,F401
import cases_control  # noqa: E402,F401
import cases_dynamic  # noqa: E402,F401
import cases_mathext  # noqa: E402,F401
import cases_roll_patches  # noqa: E402,F401
import cases_identity  # noqa: E402,F401
import cases_count  # noqa: E402,F401
import cases_index  # noqa: E402,F401
import cases_nn3d  # noqa: E402,F401
import models  # noqa: E402,F401
import bad  # noqa: E402
import savedmodels  # noqa: E402


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", metavar="PATTERN",
                    help="only cases whose name contains PATTERN (a glob if it has * ? or [)")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--resnet50", action="store_true",
                    help="write only the full ResNet50 into testdata/large/resnet50")
    ap.add_argument("--savedmodels", action="store_true",
                    help="write only the SavedModels and checkpoints of testdata/savedmodels")
    ap.add_argument("--resnet50-savedmodel", action="store_true",
                    help="write only Keras ResNet50 as a SavedModel into testdata/large/resnet50_savedmodel")
    args = ap.parse_args(argv)

    if args.resnet50_savedmodel:
        t0 = time.time()
        out = savedmodels.generate_resnet50()
        print(f"wrote {out} in {time.time() - t0:.0f}s", file=sys.stderr)
        return 0
    if args.savedmodels:
        t0 = time.time()
        done, failed = savedmodels.generate_all(args.only)
        print(f"wrote {done} SavedModels/checkpoints in {time.time() - t0:.0f}s", file=sys.stderr)
        if failed:
            print("failed: " + " ".join(failed), file=sys.stderr)
            return 1
        return 0 if done else 1

    large = [c for c in common.REGISTRY if c.out_dir == common.LARGE_DIR]
    regular = [c for c in common.REGISTRY if c.out_dir != common.LARGE_DIR]

    if args.list:
        for c in common.REGISTRY:
            where = os.path.relpath(os.path.join(c.out_dir, c.name), common.REPO_ROOT)
            print(f"{c.name}\t{c.kind}\t{where}")
        print(f"{len(regular)} cases (+{len(large)} with --resnet50)", file=sys.stderr)
        return 0

    if args.resnet50:
        todo = [c for c in large if common.matches(c.name, args.only)]
    else:
        todo = [c for c in regular if common.matches(c.name, args.only)]
    if not todo:
        print("no case matches", args.only, file=sys.stderr)
        return 1

    if not args.resnet50 and args.only is None:
        # Full run: drop directories of cases that no longer exist.
        for dir_ in (common.CASES_DIR, common.MODELS_DIR, common.DYNAMIC_DIR, common.CONTROL_DIR):
            known = {c.name for c in regular if c.out_dir == dir_}
            if os.path.isdir(dir_):
                for n in os.listdir(dir_):
                    p = os.path.join(dir_, n)
                    if os.path.isdir(p) and n not in known:
                        shutil.rmtree(p)

    t0 = time.time()
    failed = []
    for c in todo:
        try:
            common.generate_case(c)
        except Exception as e:  # report every failure, fail at the end
            failed.append(c.name)
            print(f"FAILED {c.name}: {type(e).__name__}: {e}", file=sys.stderr)

    if not args.resnet50:
        for dir_, title in ((common.CASES_DIR, "TensorFlow op cases"),
                            (common.MODELS_DIR, "TensorFlow model cases"),
                            (common.DYNAMIC_DIR, "TensorFlow cases of one model at several input sizes (dynamic shapes)"),
                            (common.CONTROL_DIR, "TensorFlow control-flow cases (loops and conditionals)")):
            if os.path.isdir(dir_):
                common.write_index(dir_, title)
        if args.only is None or common.matches("unsupported3", args.only):
            bad.write_bad()
        if args.only is None or common.matches("control_flow", args.only):
            bad.write_control_flow()
        if args.only is None or common.matches("dropout_active", args.only):
            bad.write_dropout()
        if args.only is None or common.matches("unique_runtime", args.only) or common.matches("unique", args.only):
            bad.write_unique()
    print(f"wrote {len(todo) - len(failed)} of {len(todo)} cases in {time.time() - t0:.0f}s",
          file=sys.stderr)
    if failed:
        print("failed: " + " ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
