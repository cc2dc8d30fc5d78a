"""The console entry point (`briefgen`, `python -m briefgen`). Nothing is imported before a
build's PDF engine is started ahead (engine.py): the command line's own imports are part of
what it overlaps."""

import gc
import signal
import sys


def run() -> None:
    # Ctrl-C before `main` is ready to answer it waits until it is (main unblocks both):
    # never a traceback, and never an engine left running.
    from briefgen.files import STOPPING

    signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    from briefgen import engine

    if engine.wanted(sys.argv[1:]):
        engine.start()
    from briefgen.cli import main

    code = main()
    engine.stop_unused()
    # Exiting, Python collects every object it made (the models, the templates...): ~0.15 s
    # of a `check`. Frozen, they are left to the operating system; files are closed already.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
