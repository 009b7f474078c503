"""Check that the installed moto is the version the fidelity and speed layers were written against.

The layers replace moto's internal functions and methods (fidelity/*.py, speed.py), so another
moto version can break them silently: a patched function renamed, a signature changed, an
answer no longer patched. The tested version is recorded once, in requirements.txt beside this
file; any other version is refused with what to install.

Usage: python3 moto_version.py   (prints the tested version, or the problem and exits 1)
"""
import os
import re
import sys
from typing import Optional

REQUIREMENTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "requirements.txt")


def tested_moto_version() -> str:
    """The version pinned in requirements.txt (`moto[server]==X`)."""
    with open(REQUIREMENTS, encoding="utf-8") as f:
        for line in f:
            match = re.match(r"^moto(\[[\w,]+\])?==([^\s#]+)", line.strip())
            if match:
                return match.group(2)
    raise RuntimeError(f"{REQUIREMENTS} pins no moto version (a line like moto[server]==5.2.1)")


def moto_version_problem() -> Optional[str]:
    """None when the installed moto is the tested version, else what is wrong and what to install."""
    tested = tested_moto_version()
    install = f"Install it: pip install 'moto[server]=={tested}' (or pip install -r {REQUIREMENTS})."
    try:
        import moto
    except ImportError as error:
        return f"{sys.executable} cannot import moto ({error}). The emulator needs moto {tested}. {install}"
    found = getattr(moto, "__version__", "unknown")
    if found != tested:
        return (
            f"moto {found} is installed ({sys.executable}), but the emulator's fidelity and speed layers "
            f"patch moto's internals and are tested with moto {tested} only. {install}"
        )
    return None


if __name__ == "__main__":
    problem = moto_version_problem()
    if problem:
        print(problem, file=sys.stderr)
        sys.exit(1)
    print(tested_moto_version())
