"""The console entry point (`briefgen`, `python -m briefgen`)."""

import gc
import signal
import sys


def run() -> None:
    # Ctrl-C before `main` is ready to answer it waits until it is (main unblocks them), and
    # after it has returned, never comes (main blocks them again): never a traceback. They
    # are held before any import (the set is interruption.STOPPING).
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    from briefgen.cli import main

    code = main()
    # Exiting, Python collects every object it made (the models, the templates...): ~0.15 s
    # of a `check`. Frozen, they are left to the operating system; files are closed already.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
