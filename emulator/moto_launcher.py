"""Start moto's server with the project's fidelity layer applied.

Usage: python3 moto_launcher.py [--no-fidelity] -H 127.0.0.1 -p PORT

With ``-p 0`` the system picks a free port as the server binds it, and the launcher
prints ``ion-dest emulator listening on port N`` once the socket is bound: the
caller reads N from that line, so no other process can take the port in between
(a port found free beforehand may be taken by the time the server binds it, and
the caller would then talk to whatever server holds it).

It refuses any moto but the version the layers were tested with (moto_version.py,
pinned in requirements.txt). The fidelity layer (fidelity/) patches the few places where moto answers
differently from AWS in ways the toolkit depends on; see README.md beside this
file for each patch and the AWS documentation it follows. The speed layer
(speed.py) makes moto do less work without changing any answer.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


PORT_LINE_PREFIX = "ion-dest emulator listening on port "


def report_port_once_bound() -> None:
    """Print the bound port (and give it to moto as MOTO_PORT, which it uses to build URLs)."""
    import werkzeug.serving as serving

    make_server = serving.make_server

    def make_server_and_report(*args, **kwargs):  # type: ignore[no-untyped-def]
        server = make_server(*args, **kwargs)
        port = server.socket.getsockname()[1]
        os.environ["MOTO_PORT"] = str(port)
        print(f"{PORT_LINE_PREFIX}{port}", flush=True)
        return server

    serving.make_server = make_server_and_report


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

    report_port_once_bound()
    from moto.server import main

    main(argv)


if __name__ == "__main__":
    run()
