"""Start moto's server with the project's fidelity layer applied.

Usage: python3 moto_launcher.py [--no-fidelity] -H 127.0.0.1 -p PORT

It refuses any moto but the version the layers were tested with (moto_version.py,
pinned in requirements.txt). The fidelity layer (fidelity/) patches the few places where moto answers
differently from AWS in ways the toolkit depends on; see README.md beside this
file for each patch and the AWS documentation it follows. The speed layer
(speed.py) makes moto do less work without changing any answer.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def run() -> None:
    from moto_version import moto_version_problem

    problem = moto_version_problem()
    if problem:
        print(f"moto_launcher: {problem}", file=sys.stderr)
        sys.exit(2)
    argv = sys.argv[1:]
    if "--no-fidelity" in argv:
        argv.remove("--no-fidelity")
    else:
        import fidelity
        import speed

        fidelity.apply()
        speed.apply()

    from moto.server import main

    main(argv)


if __name__ == "__main__":
    run()
