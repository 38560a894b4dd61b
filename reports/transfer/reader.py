"""The process transfer.limits starts to read one file: a line of JSON (the file's name, what it is read for),
then the file's bytes, on standard input; the result as JSON on standard output."""

from __future__ import annotations

import json
import resource
import sys


def _ran_out_of_memory() -> bool:
    """Whether the process came near its memory limit: lxml says only "unknown error" when it ran out, which the
    reader takes for a broken file."""
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    if limit == resource.RLIM_INFINITY:
        return False
    with open("/proc/self/status") as status:
        peak = next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmPeak:")), 0)
    return peak > 0.9 * limit


def main() -> int:
    import django

    django.setup()
    from reports.transfer.errors import TransferError
    from reports.transfer.importer import Target, read_report
    from reports.transfer.limits import REFUSED, TOO_BIG

    header, data = sys.stdin.buffer.read().split(b"\n", 1)
    request = json.loads(header)
    target = request["target"]
    target = Target(**{**target, "sections": tuple(tuple(pair) for pair in target["sections"])})
    try:
        result = read_report(
            data, file_name=request["file_name"], target=target, full_width=request.get("full_width", True)
        )
    except MemoryError:
        return TOO_BIG
    except TransferError as error:
        if _ran_out_of_memory():
            return TOO_BIG
        sys.stdout.write(json.dumps({"message": str(error)}, ensure_ascii=False))
        return REFUSED
    sys.stdout.write(json.dumps({"snapshot": result.snapshot, "unplaced": result.unplaced, "summary": result.summary}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
