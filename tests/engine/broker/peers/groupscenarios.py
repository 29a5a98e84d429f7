"""What the *_groups peer scripts share: the command line, logging, failing, and running one
scenario under a watchdog that turns a hang into a clear failure."""
import json
import os
import sys
import threading
import time
import traceback

BOOTSTRAP = sys.argv[1]
SCENARIO = sys.argv[2]
ARGS = sys.argv[3:]
TIMEOUT = 30  # seconds for any one client call, and for any one wait for a group to settle
WATCHDOG = 170  # seconds for a whole scenario
RUN = "%x%x" % (os.getpid(), int(time.time() * 1000) & 0xffffff)  # makes topic and group names unique per run


def fail(message):
    print("FAILED: " + message, file=sys.stderr, flush=True)
    sys.stdout.flush()
    os._exit(2)  # client threads may be blocked inside the client library


def log(message):
    print("%.3f %s" % (time.time(), message), file=sys.stderr, flush=True)


def run(scenarios):
    """Runs SCENARIO from `scenarios` and prints its JSON result on one RESULT line."""
    if SCENARIO not in scenarios:
        fail("unknown scenario " + SCENARIO)

    def watchdog():
        fail("scenario %s did not finish within %d s" % (SCENARIO, WATCHDOG))

    timer = threading.Timer(WATCHDOG, watchdog)
    timer.daemon = True
    timer.start()
    try:
        result = scenarios[SCENARIO]()
    except Exception as e:  # noqa: BLE001 - any client exception is a failed scenario
        fail("%s: %r\n%s" % (SCENARIO, e, traceback.format_exc()))
    print("RESULT " + json.dumps(result), flush=True)
    os._exit(0)
