"""Peak memory of `pmm extract` on the two decompression bombs (and on a small good file).

    python benchmarks/hostile_memory.py [--docx-mib 850] [--pdf-mib 1024]

Builds the bombs with tools/make_hostile_inputs.py: a DOCX whose document.xml inflates to
850 MiB (an ~850 KB file) and a PDF whose content stream inflates to 1 GiB (a ~1 MB file), and
the same just under the limits of pipeline/inputs.py (the worst an accepted file can do); runs
`pmm extract` on each in a child process and reads the child's peak RSS (getrusage). Writes
benchmarks/results/hostile_memory.json.
"""

import argparse
import platform
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from figures import write_result  # noqa: E402

from tools import make_hostile_inputs as make  # noqa: E402

MiB = 1 << 20


def peak_rss_of(args) -> tuple[float, int, str]:
    """(peak RSS in MiB, exit code, last stderr line) of `pmm ARGS` in a fresh child process."""
    script = ("import resource, subprocess, sys\n"
              "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
              "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
              "print(peak, p.returncode); print((p.stderr.strip().splitlines() or [''])[-1])\n")
    out = subprocess.run([sys.executable, "-c", script, sys.executable, "-c",
                          "from pipeline.cli import cli; cli()", *map(str, args)],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout.splitlines()
    peak_kib, code = out[0].split()
    return int(peak_kib) / 1024, int(code), out[1] if len(out) > 1 else ""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docx-mib", type=int, default=850)
    parser.add_argument("--pdf-mib", type=int, default=1024)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        near = Path(folder) / "near"
        near.mkdir()
        files = {
            "good PDF (one page)": make.good_pdf(folder),
            # Just under the limits (pipeline/inputs.py): the most memory an accepted file can take.
            "DOCX whose XML inflates to 120 MiB (under the limit)": make.docx_zip_bomb(near, inflated=120 * MiB),
            "PDF whose stream inflates to 120 MiB (under the limit)": make.pdf_inflate_bomb(near, inflated=120 * MiB),
            f"DOCX bomb ({args.docx_mib} MiB inflated)": make.docx_zip_bomb(folder, inflated=args.docx_mib * MiB),
            f"DOCX bomb, sizes understated ({args.docx_mib} MiB)": make.docx_zip_bomb(
                folder, inflated=args.docx_mib * MiB, lie=True),
            f"PDF Flate bomb ({args.pdf_mib} MiB inflated)": make.pdf_inflate_bomb(folder, inflated=args.pdf_mib * MiB),
            f"PDF double-Flate bomb ({args.pdf_mib} MiB)": make.pdf_nested_inflate_bomb(
                folder, inflated=args.pdf_mib * MiB),
        }
        for what, path in files.items():
            peak, code, message = peak_rss_of(["extract", path, "-o", Path(folder) / "out.jsonl"])
            rows.append({"input": what, "file_bytes": path.stat().st_size, "peak_rss_mib": round(peak),
                         "exit_code": code, "message": message.replace(f"{path.parent}/", "")})
            print(f"{what:45s} {path.stat().st_size:>10,} bytes  peak {peak:6.0f} MiB  exit {code}  {message}")
    on = f"pmm extract in a child process (peak RSS), {platform.machine()}, Python {platform.python_version()}"
    peak = {r["input"]: f"{r['peak_rss_mib']} MiB" for r in rows}
    names = list(peak)
    figures = [
        {"what": "peak memory on decompression bombs (refused with one line)",
         "figure": f"DOCX {args.docx_mib} MiB-inflating: {peak[names[3]]}; PDF {args.pdf_mib} MiB-inflating "
                   f"stream: {peak[names[5]]} (a one-page PDF: {peak[names[0]]})",
         "on": f"{on}; files from tools/make_hostile_inputs.py"},
        {"what": "peak memory on the largest inflation still accepted",
         "figure": f"DOCX XML 120 MiB: {peak[names[1]]}; PDF stream 120 MiB: {peak[names[2]]}",
         "on": on},
    ]
    print(write_result("hostile_memory", {"rows": rows}, figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
